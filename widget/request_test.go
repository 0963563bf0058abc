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
