package server

import (
	"testing"

	"kessai/api"
)

// Currencies other than JPY and USD are charged in JPY at the sandbox's
// fixed rate; direct-only charges and stores refuse them; unknown
// currencies are a validation error.
func TestChargeCurrencies(t *testing.T) {
	e := newEnv(t)
	charge := func(currency, extra string) resp {
		tok := e.createToken("4000020000000000", "one_time")
		return e.do("POST", "/charges", e.secretAuth(),
			`{"transaction_token_id":"`+tok.ID+`","amount":1050,"currency":"`+currency+`"`+extra+`}`)
	}
	for _, c := range []struct {
		currency       string
		chargedAmount  int64
		chargedCurrency string
	}{
		{"JPY", 1050, "JPY"},
		{"usd", 1050, "USD"},
		{"EUR", 1680, "JPY"}, // €10.50 at 160 yen
		{"krw", 116, "JPY"},  // ₩1050 at 0.11 yen (115.5 rounded)
	} {
		r := charge(c.currency, "")
		if r.code != 201 {
			t.Fatalf("%s: %d %s", c.currency, r.code, r.body)
		}
		var created api.Charge
		r.json(t, &created)
		got := e.pollCharge(created.ID)
		if got.Status != api.ChargeSuccessful || got.ChargedAmount == nil || *got.ChargedAmount != c.chargedAmount ||
			*got.ChargedCurrency != c.chargedCurrency || got.RequestedAmount != 1050 {
			t.Errorf("%s: %s charged %v %v", c.currency, got.Status, got.ChargedAmount, got.ChargedCurrency)
		}
	}
	wantError(t, charge("EUR", `,"only_direct_currency":true`), 400, api.CodeNoDirectCurrencyGateway)
	if r := charge("USD", `,"only_direct_currency":true`); r.code != 201 {
		t.Errorf("USD only_direct_currency: %d %s", r.code, r.body)
	}
	wantError(t, charge("XYZ", ""), 400, api.CodeValidationError, api.FieldError{Field: "currency", Reason: api.ReasonUnsupportedCurrency})

	e.configure(`{"only_direct_currency": true}`, false)
	wantError(t, charge("EUR", ""), 400, api.CodeNoDirectCurrencyGateway)
}

// A live-mode app token refuses the documented test cards.
func TestNoTestCardInLiveMode(t *testing.T) {
	e := newEnv(t)
	live := e.addStore(e.demoStore().MerchantID, "Live shop", "live")
	for _, number := range []string{"4000020000000000", "4111111111111111", "4242424242424242", "4012888888881881"} {
		r := e.do("POST", "/tokens", secretAuthOf(live), cardTokenBody(number, "one_time"))
		wantError(t, r, 400, api.CodeNoTestCardInLiveMode)
	}
	if r := e.do("POST", "/tokens", secretAuthOf(live), cardTokenBody("5555555555554444", "one_time")); r.code != 201 {
		t.Errorf("a real-looking card in live mode: %d %s", r.code, r.body)
	}
}
