package widget

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func mdJSON(t *testing.T, m Metadata) string {
	t.Helper()
	if m == nil {
		return "null"
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHTMLAndJSGiveSameOptions(t *testing.T) {
	html := map[string]any{
		"data-app-id":                      "jwt.token.here",
		"data-checkout":                    "payment",
		"data-amount":                      "1000",
		"data-currency":                    "jpy",
		"data-token-type":                  "recurring",
		"data-usage-limit":                 "Monthly",
		"data-payment-methods":             "card, konbini,visa",
		"data-capture":                     "false",
		"data-capture-at":                  "2099-04-03T12:34:56+09:00",
		"data-cvv-authorize":               "",
		"data-show-cvv":                    "FALSE",
		"data-auto-submit":                 "1",
		"data-timeout":                     "120",
		"data-locale":                      "ja_JP",
		"data-metadata":                    `order:"A-1",tags:"red\,blue"`,
		"data-subscription-period":         "P2W",
		"data-card-installment-options":    "3,6,revolving",
		"data-product-codes":               "a,b",
		"data-product-code-quantities":     "1, 2",
		"data-inline-field-focus-style":    "color:red",
		"data-expiration-time-shift":       "12:34:56+09:00",
		"data-custom-field-labels":         "サイズ,備考",
		"data-custom-field-types":          "select,string",
		"data-custom-field-options":        "S;M;L,",
		"data-custom-field-required":       "true,false",
		"data-custom-field-keys":           "size,note",
		"data-univapay-customer-id":        "0b3c2f7e-1111-4d6e-9a3b-3c2d1e0f9a8b",
		"data-email":                       "a@example.com",
		"data-name":                        "tokenField",
		"data-subscription-initial-amount": "0",
	}
	js := map[string]any{
		"appId":                     "jwt.token.here",
		"checkout":                  "payment",
		"amount":                    float64(1000),
		"currency":                  "JPY",
		"tokenType":                 "recurring",
		"usageLimit":                "monthly",
		"paymentMethods":            []any{"card", "konbini", "visa"},
		"capture":                   false,
		"captureAt":                 "2099-04-03T12:34:56+09:00",
		"cvvAuthorize":              "true",
		"showCvv":                   false,
		"autoSubmit":                true,
		"timeout":                   float64(120),
		"locale":                    "ja-jp",
		"metadata":                  map[string]any{"order": "A-1", "tags": "red,blue"},
		"subscriptionPeriod":        "p2w",
		"cardInstallmentOptions":    []any{float64(3), float64(6), "revolving"},
		"productCodes":              []any{"a", "b"},
		"productCodeQuantities":     []any{float64(1), float64(2)},
		"inlineFieldForcusStyle":    "color:red",
		"expirationTimeShift":       "12:34:56+09:00",
		"customFieldLabels":         []any{"サイズ", "備考"},
		"customFieldTypes":          []any{"select", "string"},
		"customFieldOptions":        []any{[]any{"S", "M", "L"}, ""},
		"customFieldRequired":       []any{true, false},
		"customFieldKeys":           []any{"size", "note"},
		"univapayCustomerId":        "0b3c2f7e-1111-4d6e-9a3b-3c2d1e0f9a8b",
		"email":                     "a@example.com",
		"name":                      "tokenField",
		"subscriptionInitialAmount": "0",
	}
	oh, ph := ParseOptions(SourceHTML, html)
	oj, pj := ParseOptions(SourceJS, js)
	if len(ph) != 0 || len(pj) != 0 {
		t.Fatalf("problems: html %v, js %v", ph, pj)
	}
	// Metadata values are raw JSON; compare as text.
	if a, b := mdJSON(t, oh.Metadata), mdJSON(t, oj.Metadata); a != b {
		t.Errorf("metadata html %s js %s", a, b)
	}
	oh.Metadata, oj.Metadata = nil, nil
	// The values as given differ by source ("1" and true); they are only
	// for messages.
	oh.values, oj.values = nil, nil
	if !reflect.DeepEqual(oh, oj) {
		t.Errorf("html and js differ:\nhtml %+v\njs   %+v", oh, oj)
	}
	o := oh
	if o.Amount != 1000 || !o.AmountSet || o.Currency != "JPY" || o.TokenType != "recurring" || o.UsageLimit != "monthly" ||
		o.Capture || !o.CvvAuthorize || o.ShowCvv || !o.AutoSubmit || o.Timeout != 120*time.Second || o.Locale != "ja-jp" ||
		o.SubscriptionPeriod != "P2W" || o.InlineStyles.FieldFocusStyle != "color:red" || !o.SubscriptionInitialAmountSet {
		t.Errorf("unexpected options %+v", o)
	}
	if !reflect.DeepEqual(o.PaymentMethods, []string{"card", "konbini", "visa"}) ||
		!reflect.DeepEqual(o.CardInstallmentOptions, []string{"3", "6", "revolving"}) ||
		!reflect.DeepEqual(o.ProductCodeQuantities, []int64{1, 2}) {
		t.Errorf("lists %v %v %v", o.PaymentMethods, o.CardInstallmentOptions, o.ProductCodeQuantities)
	}
	wantCF := []CustomField{
		{Key: "size", Label: "サイズ", Type: "select", Required: true, Options: []string{"S", "M", "L"}},
		{Key: "note", Label: "備考", Type: "string"},
	}
	if !reflect.DeepEqual(o.CustomFields, wantCF) {
		t.Errorf("custom fields %+v", o.CustomFields)
	}
	if want := time.Date(2099, 4, 3, 3, 34, 56, 0, time.UTC); !o.CaptureAt.Time.Equal(want) {
		t.Errorf("captureAt %v", o.CaptureAt.Time)
	}
}

func TestDefaults(t *testing.T) {
	o, ps := ParseOptions(SourceJS, map[string]any{"appId": "x", "amount": float64(1)})
	if len(ps) != 0 {
		t.Fatal(ps)
	}
	if o.Checkout != "payment" || o.Currency != "JPY" || o.TokenType != "one_time" || !o.Capture || !o.ShowCvv ||
		!o.ShowLogo || o.Locale != "auto" || o.Size != "normal" || o.Inline {
		t.Errorf("defaults %+v", o)
	}
}

func TestBoolCoercion(t *testing.T) {
	cases := []struct {
		src  Source
		v    any
		want bool
		err  bool
	}{
		{SourceHTML, "true", true, false},
		{SourceHTML, "TRUE", true, false},
		{SourceHTML, "False", false, false},
		{SourceHTML, "1", true, false},
		{SourceHTML, "0", false, false},
		{SourceHTML, "", true, false},
		{SourceHTML, " true ", true, false},
		{SourceHTML, "yes", false, true},
		{SourceJS, true, true, false},
		{SourceJS, false, false, false},
		{SourceJS, "true", true, false},
		{SourceJS, "false", false, false},
		{SourceJS, "1", true, false},
		{SourceJS, float64(0), false, false},
		{SourceJS, float64(1), true, false},
		{SourceJS, "", false, false},
		{SourceJS, []any{}, false, true},
	}
	for _, c := range cases {
		raw := map[string]any{"autoClose": c.v}
		if c.src == SourceHTML {
			raw = map[string]any{"data-auto-close": c.v}
		}
		o, ps := ParseOptions(c.src, raw)
		if c.err != ps.HasErrors() || (!c.err && o.AutoClose != c.want) {
			t.Errorf("%v %#v: got %v %v", c.src, c.v, o.AutoClose, ps)
		}
		if c.err && ps.Errors()[0].Param != "autoClose" {
			t.Errorf("problem param %q", ps[0].Param)
		}
	}
}

func TestAmountCoercion(t *testing.T) {
	cases := []struct {
		amount   any
		currency string
		want     int64
		err      bool
	}{
		{"1000", "jpy", 1000, false},
		{"1000.00", "jpy", 1000, false},
		{"1000.", "jpy", 1000, false},
		{"1000.5", "jpy", 0, true},
		{float64(1000), "", 1000, false},
		{float64(1000.5), "JPY", 0, true},
		{"9.00", "usd", 900, false},
		{"9.5", "USD", 950, false},
		{"900", "usd", 900, false},
		{float64(9.99), "usd", 999, false},
		{"9.001", "usd", 0, true},
		{"1.234", "kwd", 1234, false},
		{"-1", "jpy", 0, true},
		{"1,000", "jpy", 0, true},
		{"1e3", "jpy", 0, true},
		{"abc", "jpy", 0, true},
		{"", "jpy", 0, true},
		{true, "jpy", 0, true},
		{" 500 ", "jpy", 500, false},
		{"99999999999999999999", "jpy", 0, true},
	}
	for _, c := range cases {
		raw := map[string]any{"amount": c.amount}
		if c.currency != "" {
			raw["currency"] = c.currency
		}
		o, ps := ParseOptions(SourceJS, raw)
		if c.err != ps.HasErrors() || o.Amount != c.want || o.AmountSet == c.err {
			t.Errorf("amount %#v %s: got %d set=%v %v", c.amount, c.currency, o.Amount, o.AmountSet, ps)
		}
	}
	// Currency is upper-cased; currency is applied before amount whatever the order.
	o, _ := ParseOptions(SourceHTML, map[string]any{"data-amount": "9.00", "data-currency": "Usd"})
	if o.Currency != "USD" || o.Amount != 900 {
		t.Errorf("got %s %d", o.Currency, o.Amount)
	}
}

func TestListsAndEnums(t *testing.T) {
	o, ps := ParseOptions(SourceHTML, map[string]any{
		"data-payment-methods": " card , , PAY_PAY_ONLINE,bogus,card",
		"data-product-codes":   "a, b ,c",
		"data-size":            "huge",
		"data-locale":          "xx",
		"data-checkout":        "PAYMENT",
	})
	if !reflect.DeepEqual(o.PaymentMethods, []string{"card", "pay_pay_online"}) {
		t.Errorf("methods %v", o.PaymentMethods)
	}
	if !reflect.DeepEqual(o.ProductCodes, []string{"a", "b", "c"}) {
		t.Errorf("codes %v", o.ProductCodes)
	}
	if o.Size != "normal" || o.Locale != "auto" || o.Checkout != "payment" {
		t.Errorf("size %q locale %q checkout %q", o.Size, o.Locale, o.Checkout)
	}
	if ps.HasErrors() || len(ps.Warnings()) != 3 {
		t.Errorf("problems %v", ps)
	}
	_, ps = ParseOptions(SourceJS, map[string]any{"productCodeQuantities": "1,x"})
	if !ps.HasErrors() {
		t.Error("bad quantity accepted")
	}
}

func TestMetadataForms(t *testing.T) {
	cases := []struct {
		name string
		src  Source
		v    any
		want string
	}{
		{"seed sample", SourceHTML, `”foo-bar:"baz"`, `{"foo-bar":"baz"}`},
		{"plain", SourceHTML, `order_id:123`, `{"order_id":"123"}`},
		{"woo", SourceJS, "order_id:" + "42", `{"order_id":"42"}`},
		{"same value for several", SourceHTML, `a,b:"x"`, `{"a":"x","b":"x"}`},
		{"several values for one", SourceHTML, `tags:"red\,blue"`, `{"tags":"red,blue"}`},
		{"escaped colon and backslash", SourceHTML, `a\:b:c\\d`, `{"a:b":"c\\d"}`},
		{"quoted comma", SourceHTML, `a:"x,y",b:z`, `{"a":"x,y","b":"z"}`},
		{"typographic", SourceHTML, `k:“v”, k2 : ”w”`, `{"k":"v","k2":"w"}`},
		{"value with colon", SourceHTML, `url:https://x.test/a`, `{"url":"https://x.test/a"}`},
		{"last wins", SourceHTML, `a:1,a:2`, `{"a":"2"}`},
		{"json string", SourceHTML, `{"orderNo": 12345678901234567890, "x": {"y": [1, 2]}}`, `{"orderNo":12345678901234567890,"x":"{\"y\":[1,2]}"}`},
		{"object nested", SourceJS, map[string]any{"orderNo": float64(12), "b": true, "n": map[string]any{"k": "v"}, "arr": []any{"a", float64(1)}},
			`{"arr":"[\"a\",1]","b":true,"n":"{\"k\":\"v\"}","orderNo":12}`},
		{"json in js string", SourceJS, `{"a":"b"}`, `{"a":"b"}`},
	}
	for _, c := range cases {
		raw := map[string]any{"metadata": c.v}
		if c.src == SourceHTML {
			raw = map[string]any{"data-metadata": c.v}
		}
		o, ps := ParseOptions(c.src, raw)
		if ps.HasErrors() {
			t.Errorf("%s: %v", c.name, ps)
		}
		if got := mdJSON(t, o.Metadata); got != c.want {
			t.Errorf("%s: got %s want %s", c.name, got, c.want)
		}
	}
	// Warnings: empty key, dangling key, null.
	_, ps := ParseOptions(SourceHTML, map[string]any{"data-metadata": `:x,a:1,dangling`})
	if len(ps.Warnings()) != 2 || ps.HasErrors() {
		t.Errorf("warnings %v", ps)
	}
	_, ps = ParseOptions(SourceJS, map[string]any{"metadata": float64(3)})
	if !ps.HasErrors() {
		t.Error("number metadata accepted")
	}
}

func TestArbitraryFields(t *testing.T) {
	o, ps := ParseOptions(SourceHTML, map[string]any{
		"data-app-id":           "x",
		"data-store_id":         "s1",
		"data-booking_id":       "b2",
		"data-foo-bar":          "baz",
		"data-qr-unknown":       "ignored",
		"data-installment-plan": "x",
		"class":                 "not data",
		"data-metadata":         "fooBar:fromMeta,keep:1",
	})
	want := map[string]string{"store_id": "s1", "booking_id": "b2", "fooBar": "baz"}
	if !reflect.DeepEqual(o.Fields, want) {
		t.Errorf("fields %v", o.Fields)
	}
	if len(ps.Warnings()) != 2 || ps.HasErrors() {
		t.Errorf("problems %v", ps)
	}
	md := o.TokenMetadata(nil, true, nil)
	if got := mdJSON(t, md); got != `{"booking_id":"b2","fooBar":"baz","keep":"1","store_id":"s1"}` {
		t.Errorf("merged %s", got)
	}
}

func TestAliasPrecedence(t *testing.T) {
	o, _ := ParseOptions(SourceHTML, map[string]any{"data-txt": "B", "data-text": "A", "data-checkout-type": "token", "data-checkout": "payment"})
	if o.Text != "A" || o.Checkout != "payment" {
		t.Errorf("got %q %q", o.Text, o.Checkout)
	}
	o, _ = ParseOptions(SourceHTML, map[string]any{"data-txt": "支払う", "data-checkout-type": "token"})
	if o.Text != "支払う" || o.Checkout != "token" {
		t.Errorf("got %q %q", o.Text, o.Checkout)
	}
	o, _ = ParseOptions(SourceJS, map[string]any{"inlineFieldFocusStyle": "a:1", "inlineFieldForcusStyle": "b:2"})
	if o.InlineStyles.FieldFocusStyle != "a:1" {
		t.Errorf("focus %q", o.InlineStyles.FieldFocusStyle)
	}
}

func TestJSUnknownAndNull(t *testing.T) {
	o, ps := ParseOptions(SourceJS, map[string]any{
		"appId": "x", "bogusOption": 1.0, "text": "btn", "onSuccess": true, "amount": nil, "form": "#f",
	})
	w := ps.Warnings()
	if len(w) != 2 || w[0].Param != "bogusOption" || w[1].Param != "text" || ps.HasErrors() {
		t.Errorf("problems %v", ps)
	}
	if o.AmountSet || o.IsSet("amount") || o.Form != "#f" || !reflect.DeepEqual(o.Callbacks, []string{"onSuccess"}) {
		t.Errorf("options %+v", o)
	}
}

func TestValueKinds(t *testing.T) {
	o, ps := ParseOptions(SourceJS, map[string]any{
		"expirationPeriod":    "p7d",
		"expirationTimeShift": "12:34:56",
		"subscriptionStart":   "2099-12-01",
		"captureAt":           "20990102",
		"style":               "color:red;background:url(javascript:alert(1))",
	})
	if o.ExpirationPeriod != "P7D" || o.ExpirationTimeShift != "12:34:56+09:00" || o.SubscriptionStart != "2099-12-01" {
		t.Errorf("%+v", o)
	}
	if !o.CaptureAt.DateOnly || o.CaptureAt.For("card").Format(time.RFC3339) != "2099-01-02T09:00:00+09:00" ||
		o.CaptureAt.For("konbini").Format(time.RFC3339) != "2099-01-03T00:00:00+09:00" {
		t.Errorf("captureAt %+v", o.CaptureAt)
	}
	if ps.HasErrors() || len(ps.Warnings()) != 2 {
		t.Errorf("problems %v", ps) // style is HTML-only → warning; time shift offset → warning
	}
	_, ps = ParseOptions(SourceHTML, map[string]any{
		"data-expiration-period": "30 days", "data-capture-at": "tomorrow", "data-subscription-period": "fortnightly",
		"data-timeout": "-1", "data-subscription-start": "2099/01/01",
	})
	if got := len(ps.Errors()); got != 5 {
		t.Errorf("want 5 errors, got %v", ps)
	}
	o, ps = ParseOptions(SourceHTML, map[string]any{"data-style": "color:red;background:url(x)<b>"})
	if strings.ContainsAny(o.Style, "<>") || strings.Contains(o.Style, "url(") || len(ps.Warnings()) != 1 {
		t.Errorf("style %q %v", o.Style, ps)
	}
}

func TestDateTimeFormats(t *testing.T) {
	for in, want := range map[string]string{
		"2023-04-03T12:34:56+09:00": "2023-04-03T03:34:56Z",
		"2023-04-03T12:34:56.123Z":  "2023-04-03T12:34:56Z",
		"2023-04-03T12:34:56":       "2023-04-03T03:34:56Z",
		"20230403T123456":           "2023-04-03T03:34:56Z",
		"230403T123456":             "2023-04-03T03:34:56Z",
		"2023-04-03T12:34:56.0000Z": "2023-04-03T12:34:56Z",
		"2023-04-03":                "2023-04-03T00:00:00Z", // date only → card 09:00 JST
		"20230403":                  "2023-04-03T00:00:00Z",
	} {
		d, err := ParseDateTime(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if got := FormatAPITime(d.For("card")); got != want {
			t.Errorf("%s: got %s want %s", in, got, want)
		}
	}
}
