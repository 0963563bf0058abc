package widget

import (
	"encoding/json"
	"testing"
)

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTokenRequest(t *testing.T) {
	in := CardInput{Cardholder: " taro  yamada ", CardNumber: "４２４２ 4242-4242 4242", Exp: "1/99", CVV: "１２３", Email: " taro@example.com "}
	cases := []struct {
		name string
		raw  map[string]any
		x    RequestExtras
		want string
	}{
		{"one-time", map[string]any{"appId": "a", "amount": 1000.0},
			RequestExtras{},
			`{"payment_type":"card","type":"one_time","email":"taro@example.com","data":{"cardholder":"TARO YAMADA","card_number":"4242424242424242","exp_month":"01","exp_year":"2099","cvv":"123"}}`},
		{"one-time cvvAuthorize ignored", map[string]any{"appId": "a", "amount": 1000.0, "cvvAuthorize": true, "usageLimit": "daily"},
			RequestExtras{},
			`{"payment_type":"card","type":"one_time","email":"taro@example.com","data":{"cardholder":"TARO YAMADA","card_number":"4242424242424242","exp_month":"01","exp_year":"2099","cvv":"123"}}`},
		{"recurring", map[string]any{"appId": "a", "checkout": "token", "tokenType": "recurring", "cvvAuthorize": "true", "usageLimit": "monthly", "currency": "usd",
			"metadata": "order:1,univapay-reference-id:merchant", "univapayReferenceId": "ref-1"},
			RequestExtras{CustomFields: map[string]string{"size": "M"}},
			`{"payment_type":"card","type":"recurring","usage_limit":"monthly","email":"taro@example.com","metadata":{"order":"1","size":"M","univapay-reference-id":"ref-1"},"data":{"cardholder":"TARO YAMADA","card_number":"4242424242424242","exp_month":"01","exp_year":"2099","cvv":"123","cvv_authorize":{"enabled":true,"currency":"USD"}}}`},
		{"subscription", map[string]any{"appId": "a", "tokenType": "subscription", "subscriptionPeriod": "monthly", "amount": 500.0, "cvvAuthorize": true},
			RequestExtras{},
			`{"payment_type":"card","type":"subscription","email":"taro@example.com","data":{"cardholder":"TARO YAMADA","card_number":"4242424242424242","exp_month":"01","exp_year":"2099","cvv":"123","cvv_authorize":{"enabled":true,"currency":"JPY"}}}`},
		{"save card", map[string]any{"appId": "a", "amount": 1.0, "univapayCustomerId": "0b3c2f7e-1111-4d6e-9a3b-3c2d1e0f9a8b", "usageLimit": "weekly"},
			RequestExtras{SaveCard: true},
			`{"payment_type":"card","type":"recurring","usage_limit":"weekly","email":"taro@example.com","metadata":{"univapay-customer-id":"0b3c2f7e-1111-4d6e-9a3b-3c2d1e0f9a8b"},"data":{"cardholder":"TARO YAMADA","card_number":"4242424242424242","exp_month":"01","exp_year":"2099","cvv":"123"}}`},
	}
	for _, c := range cases {
		o, ps := ParseOptions(SourceJS, c.raw)
		if ps.HasErrors() {
			t.Fatalf("%s: %v", c.name, ps)
		}
		if got := jsonOf(t, TokenRequestWith(o, in, c.x)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
	// Arbitrary HTML fields and e-mail pre-fill.
	o, _ := ParseOptions(SourceHTML, map[string]any{"data-app-id": "a", "data-amount": "1", "data-store_id": "42", "data-email": "pre@example.com", "data-metadata": "store_id:meta"})
	req := TokenRequest(o, CardInput{CardNumber: "4242424242424242", Exp: "12/2030", Cardholder: "A B"})
	if got := jsonOf(t, req.Metadata); got != `{"store_id":"42"}` || req.Email != "pre@example.com" || req.Data.CVV != "" {
		t.Errorf("metadata %s email %q cvv %q", got, req.Email, req.Data.CVV)
	}
	if got := jsonOf(t, req.Data); got != `{"cardholder":"A B","card_number":"4242424242424242","exp_month":"12","exp_year":"2030"}` {
		t.Errorf("data %s", got)
	}
}

func TestChargeRequest(t *testing.T) {
	cases := []struct {
		name string
		raw  map[string]any
		pt   string
		want string
	}{
		{"capture", map[string]any{"appId": "a", "amount": "1000.00", "currency": "jpy", "metadata": map[string]any{"orderNo": 12.0}}, "card",
			`{"transaction_token_id":"tok","amount":1000,"currency":"JPY","metadata":{"orderNo":12}}`},
		{"auth", map[string]any{"appId": "a", "amount": "9.00", "currency": "usd", "capture": "false", "captureAt": "2099-01-02"}, "card",
			`{"transaction_token_id":"tok","amount":900,"currency":"USD","capture":false,"capture_at":"2099-01-02T00:00:00Z"}`},
		{"captureAt ignored when capturing", map[string]any{"appId": "a", "amount": 1.0, "captureAt": "2099-01-02T10:00:00"}, "card",
			`{"transaction_token_id":"tok","amount":1,"currency":"JPY"}`},
		{"konbini deadline", map[string]any{"appId": "a", "amount": 1.0, "capture": false, "captureAt": "2099-01-02"}, "konbini",
			`{"transaction_token_id":"tok","amount":1,"currency":"JPY","capture_at":"2099-01-02T15:00:00Z"}`},
	}
	for _, c := range cases {
		o, ps := ParseOptions(SourceJS, c.raw)
		if ps.HasErrors() {
			t.Fatalf("%s: %v", c.name, ps)
		}
		if got := jsonOf(t, ChargeRequestWith(o, "tok", c.pt, RequestExtras{})); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
	o, _ := ParseOptions(SourceJS, map[string]any{"appId": "a", "amount": 5.0})
	if jsonOf(t, ChargeRequest(o, "t")) != `{"transaction_token_id":"t","amount":5,"currency":"JPY"}` {
		t.Error("ChargeRequest")
	}
}

func TestSubscriptionRequest(t *testing.T) {
	base := map[string]any{"appId": "a", "tokenType": "subscription", "amount": 1000.0}
	with := func(kv ...any) map[string]any {
		m := map[string]any{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	const zone = `"schedule_settings":{"zone_id":"Asia/Tokyo"}`
	cases := []struct {
		name string
		raw  map[string]any
		x    RequestExtras
		want string
	}{
		{"named period", with("subscriptionPeriod", "monthly", "metadata", "order:7"), RequestExtras{},
			`{"transaction_token_id":"tok","amount":1000,"currency":"JPY","period":"monthly",` + zone + `,"metadata":{"order":"7"}}`},
		{"bimonthly is a period", with("subscriptionPeriod", "BiMonthly"), RequestExtras{},
			`{"transaction_token_id":"tok","amount":1000,"currency":"JPY","period":"bimonthly",` + zone + `}`},
		{"ISO period is cyclical_period", with("subscriptionPeriod", "p10d"), RequestExtras{},
			`{"transaction_token_id":"tok","amount":1000,"currency":"JPY","cyclical_period":"P10D",` + zone + `}`},
		{"initial amount 0", with("subscriptionPeriod", "monthly", "subscriptionInitialAmount", 0.0, "cvvAuthorize", true), RequestExtras{},
			`{"transaction_token_id":"tok","amount":1000,"currency":"JPY","initial_amount":0,"period":"monthly",` + zone + `}`},
		{"start date", with("subscriptionPeriod", "monthly", "subscriptionStart", "2031-01-31", "subscriptionPreserveEndOfMonth", true, "subscriptionRetryInterval", "p3d"), RequestExtras{},
			`{"transaction_token_id":"tok","amount":1000,"currency":"JPY","period":"monthly","schedule_settings":{"start_on":"2031-01-31","zone_id":"Asia/Tokyo","preserve_end_of_month":true,"retry_interval":"P3D"}}`},
		{"start in and day of month", with("subscriptionPeriod", "monthly", "subscriptionStartIn", "P2M", "subscriptionStartDayOfMonth", 20.0), RequestExtras{},
			`{"transaction_token_id":"tok","amount":1000,"currency":"JPY","period":"monthly","schedule_settings":{"zone_id":"Asia/Tokyo","start_in":"P2M","start_day_of_month":20}}`},
		{"fixed cycles", with("subscriptionPeriod", "monthly", "subscriptionPlan", "fixed_cycles", "subscriptionQty", 3.0, "currency", "usd", "amount", "30.00"), RequestExtras{},
			`{"transaction_token_id":"tok","amount":3000,"currency":"USD","period":"monthly",` + zone + `,"subscription_plan":{"plan_type":"fixed_cycles","fixed_cycles":3}}`},
		{"fixed cycle amount", with("subscriptionPeriod", "weekly", "subscriptionPlan", "fixed_cycle_amount", "subscriptionQty", 300.0), RequestExtras{},
			`{"transaction_token_id":"tok","amount":1000,"currency":"JPY","period":"weekly",` + zone + `,"subscription_plan":{"plan_type":"fixed_cycle_amount","fixed_cycle_amount":300}}`},
		{"installments: monthly, the plan and nothing else", map[string]any{"appId": "a", "amount": 12000.0, "allowCardInstallments": true}, RequestExtras{Installments: "6"},
			`{"transaction_token_id":"tok","amount":12000,"currency":"JPY","period":"monthly","installment_plan":{"plan_type":"fixed_cycles","fixed_cycles":6}}`},
		{"revolving", map[string]any{"appId": "a", "amount": 12000.0, "allowCardInstallments": true}, RequestExtras{Installments: "revolving"},
			`{"transaction_token_id":"tok","amount":12000,"currency":"JPY","period":"monthly","installment_plan":{"plan_type":"revolving"}}`},
	}
	for _, c := range cases {
		o, ps := ParseOptions(SourceJS, c.raw)
		if ps.HasErrors() {
			t.Fatalf("%s: %v", c.name, ps)
		}
		if got := jsonOf(t, SubscriptionRequest(o, "tok", c.x)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

// The matrix (docs/widget.md, "The tokenType × checkout matrix"): which token
// is created and whether the payment ends in POST /subscriptions.
func TestEffectiveTokenTypeAndSubscription(t *testing.T) {
	const cust = "0b3c2f7e-1111-4d6e-9a3b-3c2d1e0f9a8b"
	cases := []struct {
		name      string
		raw       map[string]any
		x         RequestExtras
		tokenType string
		sub       bool
	}{
		{"#1 token one_time", map[string]any{"checkout": "token"}, RequestExtras{}, TokenOneTime, false},
		{"#2 token recurring", map[string]any{"checkout": "token", "tokenType": "recurring"}, RequestExtras{}, TokenRecurring, false},
		{"#4 token subscription", map[string]any{"checkout": "token", "tokenType": "subscription"}, RequestExtras{}, TokenSubscription, false},
		{"#5 token one_time, box ticked", map[string]any{"checkout": "token", "univapayCustomerId": cust}, RequestExtras{SaveCard: true}, TokenRecurring, false},
		{"#6 card change", map[string]any{"checkout": "token", "subscriptionId": "s"}, RequestExtras{}, TokenSubscription, false},
		{"#6 card change, recurring", map[string]any{"checkout": "token", "tokenType": "recurring", "subscriptionId": "s"}, RequestExtras{}, TokenRecurring, false},
		{"#7 payment one_time", map[string]any{"amount": 1.0}, RequestExtras{}, TokenOneTime, false},
		{"#7 lump sum chosen", map[string]any{"amount": 1.0}, RequestExtras{Installments: "1"}, TokenOneTime, false},
		{"#8 installments", map[string]any{"amount": 1.0}, RequestExtras{Installments: "3"}, TokenSubscription, true},
		{"#9 payment recurring", map[string]any{"amount": 1.0, "tokenType": "recurring"}, RequestExtras{}, TokenRecurring, false},
		{"#10 recurring installments", map[string]any{"amount": 1.0, "tokenType": "recurring"}, RequestExtras{Installments: "revolving"}, TokenRecurring, true},
		{"#11 recurring with a period", map[string]any{"amount": 1.0, "tokenType": "recurring", "subscriptionPeriod": "monthly"}, RequestExtras{}, TokenRecurring, true},
		{"#12 subscription", map[string]any{"amount": 1.0, "tokenType": "subscription", "subscriptionPeriod": "monthly"}, RequestExtras{}, TokenSubscription, true},
		{"#15 payment one_time, box ticked", map[string]any{"amount": 1.0, "univapayCustomerId": cust}, RequestExtras{SaveCard: true}, TokenRecurring, false},
		{"box ticked without a customer id", map[string]any{"amount": 1.0}, RequestExtras{SaveCard: true}, TokenOneTime, false},
	}
	for _, c := range cases {
		raw := map[string]any{"appId": "a"}
		for k, v := range c.raw {
			raw[k] = v
		}
		o, ps := ParseOptions(SourceJS, raw)
		if ps.HasErrors() {
			t.Fatalf("%s: %v", c.name, ps)
		}
		if got := EffectiveTokenType(o, c.x); got != c.tokenType {
			t.Errorf("%s: token type %s, want %s", c.name, got, c.tokenType)
		}
		if got := CreatesSubscription(o, c.x); got != c.sub {
			t.Errorf("%s: creates a subscription %t, want %t", c.name, got, c.sub)
		}
	}
}
