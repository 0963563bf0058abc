package api

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestAmountUnmarshal(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{`100`, 100, true}, {`"100"`, 100, true}, {`"1000.00"`, 1000, true}, {`1000.0`, 1000, true},
		{`"12.5"`, 0, false}, {`"abc"`, 0, false}, {`true`, 0, false}, {`"1e3"`, 0, false},
	}
	for _, tt := range tests {
		var req ChargeCreateRequest
		err := json.Unmarshal([]byte(`{"amount":`+tt.in+`}`), &req)
		if (err == nil) != tt.ok || (tt.ok && int64(req.Amount) != tt.want) {
			t.Errorf("%s: got %d, %v", tt.in, req.Amount, err)
		}
		if !tt.ok {
			var te *json.UnmarshalTypeError
			if !asTypeError(err, &te) || te.Field != "amount" {
				t.Errorf("%s: error %v lacks field path", tt.in, err)
			}
		}
	}
}

func asTypeError(err error, te **json.UnmarshalTypeError) bool {
	e, ok := err.(*json.UnmarshalTypeError)
	*te = e
	return ok
}

func TestFlexTypes(t *testing.T) {
	var r TokenCreateRequest
	in := `{"data":{"exp_month":12,"exp_year":"2099","cvv":"012","cvv_authorize":{"enabled":"true"},"phone_number":{"country_code":81}}}`
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		t.Fatal(err)
	}
	if r.Data.ExpMonth != "12" || r.Data.ExpYear != "2099" || r.Data.CVV != "012" || !bool(r.Data.CVVAuthorize.Enabled) || r.Data.PhoneNumber.CountryCode != "81" {
		t.Errorf("decoded %+v", r.Data)
	}
	out, _ := json.Marshal(r.Data.CVVAuthorize)
	if string(out) != `{"enabled":true}` {
		t.Errorf("marshal FlexBool: %s", out)
	}
	if err := json.Unmarshal([]byte(`{"capture":"maybe"}`), new(ChargeCreateRequest)); err == nil {
		t.Error("FlexBool accepted maybe")
	}
}

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		amount   int64
		currency string
		want     string
	}{
		{1000, "JPY", "1000"}, {1000, "jpy", "1000"}, {110, "USD", "1.10"}, {1250, "USD", "12.50"}, {5, "USD", "0.05"},
		{0, "USD", "0.00"}, {-150, "EUR", "-1.50"}, {1234, "KWD", "1.234"},
	}
	for _, tt := range tests {
		if got := FormatAmount(tt.amount, tt.currency); string(got) != tt.want {
			t.Errorf("FormatAmount(%d, %s) = %s, want %s", tt.amount, tt.currency, got, tt.want)
		}
	}
}

func TestMetadataPreservesNumbers(t *testing.T) {
	in := `{"customer_id":12345678901234567890,"price":12.50,"name":"x","ok":true,"nested":{"a":1}}`
	var m Metadata
	if err := json.Unmarshal([]byte(in), &m); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(m)
	for _, frag := range []string{`"customer_id":12345678901234567890`, `"price":12.50`} {
		if !strings.Contains(string(out), frag) {
			t.Errorf("%s lost %s", out, frag)
		}
	}
	if s, _ := m.String("name"); s != "x" {
		t.Errorf("String(name) = %q", s)
	}
	if s, _ := m.String("price"); s != "12.50" {
		t.Errorf("String(price) = %q", s)
	}
	if k := m.NestedKeys(); len(k) != 1 || k[0] != "nested" {
		t.Errorf("NestedKeys = %v", k)
	}
	m2 := Metadata{}
	m2.SetNumber("n", "007x")
	m2.SetNumber("m", "42")
	m2.SetBool("b", true)
	if out, _ := json.Marshal(m2); string(out) != `{"b":true,"m":42,"n":"007x"}` {
		t.Errorf("setters: %s", out)
	}
}

func TestErrorBody(t *testing.T) {
	e := ValidationError(FieldError{Field: "data.card_number", Reason: ReasonInvalidCardNumber})
	out, _ := json.Marshal(e.Body())
	if string(out) != `{"status":"error","code":"VALIDATION_ERROR","errors":[{"field":"data.card_number","reason":"INVALID_CARD_NUMBER"}]}` {
		t.Errorf("body %s", out)
	}
	out, _ = json.Marshal(NewError(401, CodeInvalidDomain).Body())
	if string(out) != `{"status":"error","code":"INVALID_DOMAIN","errors":[]}` {
		t.Errorf("body %s", out)
	}
	if e.Error() != "400 VALIDATION_ERROR [data.card_number: INVALID_CARD_NUMBER]" {
		t.Errorf("Error() = %q", e.Error())
	}
	var b ErrorBody
	json.Unmarshal(out, &b)
	if back := b.Err(401); back.Status != 401 || back.Code != CodeInvalidDomain {
		t.Errorf("Err = %+v", back)
	}
}

func TestTimeFormatAndStatuses(t *testing.T) {
	ts := time.Date(2024, 6, 25, 12, 58, 49, 0, time.FixedZone("JST", 9*3600))
	if got := FormatTime(ts); got != "2024-06-25T03:58:49.000000Z" {
		t.Errorf("FormatTime = %s", got)
	}
	if p, err := ParseTime("2024-06-25T03:58:49.321896Z"); err != nil || p.Nanosecond() != 321896000 {
		t.Errorf("ParseTime = %v %v", p, err)
	}
	for s, final := range map[ChargeStatus]bool{ChargePending: false, ChargeAwaiting: false, ChargeAuthorized: false,
		ChargeSuccessful: true, ChargeFailed: true, ChargeError: true, ChargeCanceled: true} {
		if s.Final() != final {
			t.Errorf("%s.Final() = %v", s, !final)
		}
	}
}

func TestChargeJSONShape(t *testing.T) {
	out, _ := json.Marshal(Charge{Status: ChargePending, RequestedAmountFormatted: "10"})
	var m map[string]any
	json.Unmarshal(out, &m)
	for _, k := range []string{"charged_amount", "error", "subscription_id", "capture_at", "descriptor", "redirect", "fee_amount", "metadata"} {
		if _, ok := m[k]; !ok {
			t.Errorf("charge JSON lacks %q: %s", k, out)
		}
	}
	if _, ok := m["three_ds"]; ok {
		t.Errorf("three_ds should be omitted when nil")
	}
}
