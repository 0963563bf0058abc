package widget

import (
	"encoding/base64"
	"reflect"
	"testing"

	"kessai/api"
)

const testCustomer = "0b3c2f7e-1111-4d6e-9a3b-3c2d1e0f9a8b"

func optsOf(t *testing.T, raw map[string]any) Options {
	t.Helper()
	all := map[string]any{"appId": "a"}
	for k, v := range raw {
		all[k] = v
	}
	o, ps := ParseOptions(SourceJS, all)
	if ps.HasErrors() {
		t.Fatalf("%v: %v", raw, ps)
	}
	return o
}

func TestRecurringBoxOf(t *testing.T) {
	infinite := api.CheckoutInfo{RecurringTokenPrivilege: api.RecurringInfinite}
	bounded := api.CheckoutInfo{RecurringTokenPrivilege: api.RecurringBounded}
	none := api.CheckoutInfo{RecurringTokenPrivilege: api.RecurringNone}
	cases := []struct {
		name string
		raw  map[string]any
		info api.CheckoutInfo
		want RecurringBox
	}{
		{"one-time", map[string]any{"amount": 1.0}, infinite, BoxNone},
		{"one-time with a customer: save box", map[string]any{"amount": 1.0, "univapayCustomerId": testCustomer}, infinite, BoxSaveCard},
		{"bounded store without usageLimit: no save box", map[string]any{"amount": 1.0, "univapayCustomerId": testCustomer}, bounded, BoxNone},
		{"bounded store with usageLimit", map[string]any{"amount": 1.0, "univapayCustomerId": testCustomer, "usageLimit": "monthly"}, bounded, BoxSaveCard},
		{"store keeps no cards", map[string]any{"amount": 1.0, "univapayCustomerId": testCustomer}, none, BoxNone},
		{"recurring: consent", map[string]any{"checkout": "token", "tokenType": "recurring"}, infinite, BoxConsent},
		{"recurring, hideRecurringCheckbox", map[string]any{"checkout": "token", "tokenType": "recurring", "hideRecurringCheckbox": true}, infinite, BoxNone},
		{"subscription", map[string]any{"amount": 1.0, "tokenType": "subscription", "subscriptionPeriod": "monthly", "univapayCustomerId": testCustomer}, infinite, BoxNone},
		{"card change", map[string]any{"checkout": "token", "subscriptionId": "s", "univapayCustomerId": testCustomer}, infinite, BoxNone},
	}
	for _, c := range cases {
		if got := RecurringBoxOf(optsOf(t, c.raw), c.info); got != c.want {
			t.Errorf("%s: box %d, want %d", c.name, got, c.want)
		}
	}
}

func TestValidateInfo(t *testing.T) {
	recurring := optsOf(t, map[string]any{"checkout": "token", "tokenType": "recurring"})
	if ps := recurring.ValidateInfo(api.CheckoutInfo{RecurringTokenPrivilege: api.RecurringNone}); !reflect.DeepEqual(ps.Errors().Params(), []string{"tokenType"}) {
		t.Errorf("recurring on a store without recurring tokens: %v", ps)
	}
	if ps := recurring.ValidateInfo(api.CheckoutInfo{RecurringTokenPrivilege: api.RecurringBounded}); !reflect.DeepEqual(ps.Errors().Params(), []string{"usageLimit"}) {
		t.Errorf("recurring on a bounded store without usageLimit: %v", ps)
	}
	if ps := recurring.ValidateInfo(api.CheckoutInfo{RecurringTokenPrivilege: api.RecurringInfinite}); len(ps) != 0 {
		t.Errorf("recurring on an infinite store: %v", ps)
	}
}

func TestNeedsSavedCardCVV(t *testing.T) {
	info := api.CheckoutInfo{RecurringCardChargeCVVConfirmation: api.CVVConfirmation{Enabled: true,
		Threshold: []api.MoneyAmount{{Amount: 10000, Currency: "JPY"}}}}
	cases := []struct {
		raw  map[string]any
		info api.CheckoutInfo
		want bool
	}{
		{map[string]any{"amount": 10000.0}, info, false},
		{map[string]any{"amount": 10001.0}, info, true},
		{map[string]any{"amount": 10001.0}, api.CheckoutInfo{}, false},
		{map[string]any{"amount": 20000.0, "currency": "usd"}, info, false}, // no threshold in USD
		{map[string]any{"amount": 20000.0, "tokenType": "recurring", "subscriptionPeriod": "monthly", "subscriptionInitialAmount": 500.0}, info, false},
		{map[string]any{"checkout": "token"}, info, false},
	}
	for _, c := range cases {
		if got := NeedsSavedCardCVV(optsOf(t, c.raw), c.info); got != c.want {
			t.Errorf("%v: %t, want %t", c.raw, got, c.want)
		}
	}
}

func TestInstallmentChoices(t *testing.T) {
	info := api.CheckoutInfo{
		InstallmentsConfiguration: api.InstallmentsConfiguration{Enabled: true, CardProcessor: api.CardProcessor{Revolving: true, FixedCycle: true}},
		SupportedBrands: []api.SupportedBrand{
			{PaymentType: api.PaymentTypeCard, Brand: "visa", InstallmentCapable: true},
			{PaymentType: api.PaymentTypeCard, Brand: "mastercard"},
		},
	}
	noRevolving := info
	noRevolving.InstallmentsConfiguration.CardProcessor.Revolving = false
	minAmount := info
	minAmount.InstallmentsConfiguration.MinChargeAmount = &api.MoneyAmount{Amount: 2000, Currency: "JPY"}
	disabled := info
	disabled.InstallmentsConfiguration.Enabled = false
	allow := map[string]any{"amount": 12000.0, "allowCardInstallments": true}
	with := func(kv ...any) map[string]any {
		m := map[string]any{}
		for k, v := range allow {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	cases := []struct {
		name  string
		raw   map[string]any
		info  api.CheckoutInfo
		brand string
		want  []string
	}{
		{"every option", allow, info, "visa", InstallmentOptions},
		{"limited by cardInstallmentOptions", with("cardInstallmentOptions", []any{1.0, 3.0, "revolving"}), info, "visa", []string{"1", "3", "revolving"}},
		{"without revolving", with("cardInstallmentOptions", "1,3,revolving"), noRevolving, "visa", []string{"1", "3"}},
		{"counts below the minimum left out", with("cardInstallmentOptions", "1,3,6,10"), minAmount, "visa", []string{"1", "3", "6"}},
		{"a brand that cannot", allow, info, "mastercard", nil},
		{"unknown brand", allow, info, "", nil},
		{"store without installments", allow, disabled, "visa", nil},
		{"not allowed", map[string]any{"amount": 12000.0}, info, "visa", nil},
		{"not with a subscription", with("tokenType", "subscription", "subscriptionPeriod", "monthly"), info, "visa", nil},
		{"not with checkout=token", with("checkout", "token"), info, "visa", nil},
		{"a lump sum alone is no choice", with("cardInstallmentOptions", "1,revolving"), noRevolving, "visa", nil},
	}
	for _, c := range cases {
		if got := InstallmentChoices(optsOf(t, c.raw), c.info, c.brand); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if got := InstallmentLabel(LocaleJA, "6") + InstallmentLabel(LocaleJA, "1") + InstallmentLabel(LocaleJA, "revolving"); got != "6回払い一括払いリボ払い" {
		t.Errorf("labels %q", got)
	}
}

func TestValidateChoices(t *testing.T) {
	if got := ValidateChoices(BoxConsent, false, "", nil); !reflect.DeepEqual(got, FieldErrors{FieldConsent: ErrCodeConsentRequired}) {
		t.Errorf("consent unchecked: %v", got)
	}
	if got := ValidateChoices(BoxSaveCard, false, "3", []string{"1", "3"}); len(got) != 0 {
		t.Errorf("save box unchecked, 3 offered: %v", got)
	}
	if got := ValidateChoices(BoxNone, false, "5", []string{"1", "3"}); !reflect.DeepEqual(got, FieldErrors{FieldInstallments: ErrCodeInvalidInstallments}) {
		t.Errorf("5 not offered: %v", got)
	}
	if LocaleJA.FieldError(FieldConsent, ErrCodeConsentRequired) == LocaleJA.T("validation.invalid") ||
		LocaleEN.FieldError(FieldInstallments, ErrCodeInvalidInstallments) == LocaleEN.T("validation.invalid") {
		t.Error("no message for the consent or installment errors")
	}
}

func TestAppTokenStoreIDAndSavedCardLabel(t *testing.T) {
	payload := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"app_token","store_id":"11111111-2222-3333-4444-555555555555"}`))
	if got := AppTokenStoreID("eyJhbGciOiJIUzI1NiJ9." + payload + ".sig"); got != "11111111-2222-3333-4444-555555555555" {
		t.Errorf("store id %q", got)
	}
	for _, bad := range []string{"", "not-a-jwt", "a.!!!.c", "a." + base64.RawURLEncoding.EncodeToString([]byte("[]")) + ".c"} {
		if got := AppTokenStoreID(bad); got != "" {
			t.Errorf("AppTokenStoreID(%q) = %q", bad, got)
		}
	}
	c := api.TokenListItem{TokenFields: api.TokenFields{ID: "t"}, Data: &api.TokenMaskedData{Card: &api.TokenMaskedCard{Brand: "american_express", LastFour: "0005", ExpMonth: 3, ExpYear: 2031}}}
	if got := SavedCardLabel(c); got != "AMERICAN EXPRESS •••• 0005 (03/31)" {
		t.Errorf("label %q", got)
	}
}
