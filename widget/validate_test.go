package widget

import (
	"kessai/api"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	now := time.Date(2025, 6, 15, 12, 0, 0, 0, JST)
	base := map[string]any{"appId": "jwt", "amount": float64(1000)}
	with := func(kv ...any) map[string]any {
		m := map[string]any{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(m, kv[i].(string))
				continue
			}
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	cases := []struct {
		name     string
		raw      map[string]any
		errors   []string // params with errors
		warnings []string
	}{
		{"ok", base, nil, nil},
		{"no appId", with("appId", nil), []string{"appId"}, nil},
		{"bad checkout", with("checkout", "qr"), []string{"checkout"}, nil},
		{"bad tokenType", with("tokenType", "forever"), []string{"tokenType"}, nil},
		{"amount missing", with("amount", nil), []string{"amount"}, nil},
		{"amount zero payment", with("amount", float64(0)), []string{"amount"}, nil},
		{"token needs no amount", with("amount", nil, "checkout", "token"), nil, nil},
		{"products supply amount", with("amount", nil, "productCodes", "p1"), nil, nil},
		{"currency", with("currency", "yenn"), []string{"currency"}, nil},
		{"usageLimit enum", with("tokenType", "recurring", "usageLimit", "hourly"), []string{"usageLimit"}, nil},
		{"usageLimit not recurring", with("usageLimit", "daily"), nil, []string{"usageLimit"}},
		{"subscription needs period", with("tokenType", "subscription"), []string{"subscriptionPeriod"}, nil},
		{"subscription with period", with("tokenType", "subscription", "subscriptionPeriod", "monthly"), nil, nil},
		{"subscription token mode", with("tokenType", "subscription", "checkout", "token"), nil, nil},
		{"plan needs qty", with("tokenType", "subscription", "subscriptionPeriod", "monthly", "subscriptionPlan", "fixed_cycles"), []string{"subscriptionQty"}, nil},
		{"plan enum", with("tokenType", "subscription", "subscriptionPeriod", "monthly", "subscriptionPlan", "x", "subscriptionQty", float64(3)), []string{"subscriptionPlan"}, nil},
		{"qty without plan", with("subscriptionQty", float64(3)), nil, []string{"subscriptionQty"}},
		{"initial 0 needs cvvAuthorize", with("tokenType", "subscription", "subscriptionPeriod", "monthly", "subscriptionInitialAmount", float64(0)), []string{"cvvAuthorize"}, nil},
		{"initial 0 ok", with("tokenType", "subscription", "subscriptionPeriod", "monthly", "subscriptionInitialAmount", float64(0), "cvvAuthorize", true), nil, nil},
		{"initial 0 needs card", with("tokenType", "subscription", "subscriptionPeriod", "monthly", "subscriptionInitialAmount", float64(0), "cvvAuthorize", true, "paymentMethods", "paidy"), []string{"subscriptionInitialAmount"}, nil},
		{"subscriptionId needs token", with("subscriptionId", "s1"), []string{"subscriptionId"}, nil},
		{"subscriptionId token", with("subscriptionId", "s1", "checkout", "token"), nil, nil},
		{"time shift needs 1 day", with("expirationPeriod", "PT12H", "expirationTimeShift", "12:00:00+09:00"), []string{"expirationTimeShift"}, nil},
		{"time shift ok", with("expirationPeriod", "P3D", "expirationTimeShift", "12:00:00+09:00"), nil, nil},
		{"quantities count", with("productCodes", "a,b", "productCodeQuantities", "1"), []string{"productCodeQuantities"}, nil},
		{"quantities need codes", with("productCodeQuantities", "1"), []string{"productCodeQuantities"}, nil},
		{"quantities >= 1", with("productCodes", "a", "productCodeQuantities", "0"), []string{"productCodeQuantities"}, nil},
		{"day of month", with("subscriptionStartDayOfMonth", float64(32)), []string{"subscriptionStartDayOfMonth"}, nil},
		{"retry interval", with("tokenType", "subscription", "subscriptionPeriod", "weekly", "subscriptionRetryInterval", "P7D"), []string{"subscriptionRetryInterval"}, nil},
		{"retry interval ok", with("tokenType", "subscription", "subscriptionPeriod", "monthly", "subscriptionRetryInterval", "P3D"), nil, nil},
		{"custom fields", with("customFieldLabels", "A", "customFieldTypes", "select,string", "customFieldRequired", "maybe"),
			[]string{"customFieldTypes", "customFieldRequired", "customFieldOptions"}, nil},
		{"custom reserved key", with("customFieldLabels", "A", "customFieldKeys", "univapay-name"), []string{"customFieldKeys"}, nil},
		{"captureAt past", with("captureAt", "2025-06-14T12:00:00+09:00"), []string{"captureAt"}, nil},
		{"captureAt today date", with("captureAt", "2025-06-15"), []string{"captureAt"}, nil},
		{"captureAt auth window", with("capture", false, "inline", true, "captureAt", "2025-07-15"), []string{"captureAt"}, nil},
		{"captureAt auth ok", with("capture", false, "inline", true, "captureAt", "2025-06-17"), nil, nil},
		{"customer id uuid", with("univapayCustomerId", "nope"), []string{"univapayCustomerId"}, nil},
		{"email prefill", with("email", "nope"), nil, []string{"email"}},
		{"autoCloseOnError", with("autoCloseOnError", true), nil, []string{"autoCloseOnError"}},
		{"shipping without address", with("shippingAddressZip", "1000001"), nil, []string{"shippingAddressZip"}},
		{"inline ignores", with("inline", true, "autoSubmit", true, "paymentMethods", "konbini"), []string{"paymentMethods"}, []string{"autoSubmit", "paymentMethods"}},
	}
	for _, c := range cases {
		o, ps := ParseOptions(SourceJS, c.raw)
		if ps.HasErrors() {
			t.Errorf("%s: parse problems %v", c.name, ps)
			continue
		}
		vs := o.ValidateAt(now)
		gotE, gotW := vs.Errors().Params(), vs.Warnings().Params()
		sort.Strings(gotE)
		sort.Strings(gotW)
		sort.Strings(c.errors)
		sort.Strings(c.warnings)
		if !reflect.DeepEqual(gotE, c.errors) && !(len(gotE) == 0 && len(c.errors) == 0) {
			t.Errorf("%s: errors %v, want %v (%v)", c.name, gotE, c.errors, vs)
		}
		if !reflect.DeepEqual(gotW, c.warnings) && !(len(gotW) == 0 && len(c.warnings) == 0) {
			t.Errorf("%s: warnings %v, want %v (%v)", c.name, gotW, c.warnings, vs)
		}
	}
}

func TestValidateZeroOptions(t *testing.T) {
	// Hand-built options: empty enums mean the defaults.
	ps := Options{AppID: "x", Amount: 1, AmountSet: true}.ValidateAt(time.Now())
	if len(ps) != 0 {
		t.Errorf("%v", ps)
	}
}

func TestResultFieldName(t *testing.T) {
	cases := []struct {
		o    Options
		kind string
		want string
	}{
		{Options{Checkout: "token"}, ResultToken, "univapayTokenId"},
		{Options{Checkout: "token", Name: "tok"}, ResultToken, "tok"},
		{Options{Checkout: "payment", Name: "cid"}, ResultCharge, "cid"},
		{Options{Checkout: "payment", Name: "cid"}, ResultToken, "univapayTokenId"},
		{Options{Checkout: "payment", TokenType: "subscription", Name: "sid"}, ResultSubscription, "sid"},
		{Options{Checkout: "payment", TokenType: "subscription", Name: "sid"}, ResultCharge, "univapayChargeId"},
		{Options{Checkout: "payment"}, ResultSubscription, "univapaySubscriptionId"},
	}
	for _, c := range cases {
		if got := ResultFieldName(c.o, c.kind); got != c.want {
			t.Errorf("%+v %s: %s want %s", c.o, c.kind, got, c.want)
		}
	}
	got := ResultFields(Options{Checkout: "payment", Name: "x"}, "t", "", "s")
	if !reflect.DeepEqual(got, map[string]string{"univapayTokenId": "t", "x": "s"}) {
		t.Errorf("installment fields %v", got)
	}
	got = ResultFields(Options{Checkout: "payment", Name: "x"}, "t", "c", "")
	if !reflect.DeepEqual(got, map[string]string{"univapayTokenId": "t", "x": "c"}) {
		t.Errorf("charge fields %v", got)
	}
}

func TestParseAndValidate(t *testing.T) {
	_, ps := ParseAndValidate(SourceHTML, map[string]any{"data-amount": "1.5"})
	if p := ps.Errors().Params(); !reflect.DeepEqual(p, []string{"amount", "appId"}) {
		t.Errorf("%v", ps)
	}
	if ps.Error() == "" {
		t.Error("empty Error()")
	}
}

func TestValidateCaptureWithSubscription(t *testing.T) {
	o, _ := ParseOptions(SourceJS, map[string]any{"appId": "a", "amount": 1.0, "tokenType": "subscription", "subscriptionPeriod": "monthly", "capture": false})
	if ps := o.Validate(); len(ps.Errors()) != 0 || !contains(ps.Warnings().Params(), "capture") {
		t.Errorf("problems %v, want a capture warning", ps)
	}
}

// A configuration error names the parameter and the value as given
// (docs/widget.md, "Configuration errors"); paymentMethods asking only for
// methods that are not available is such an error, never a fallback to card.
func TestConfigurationErrorNamesParamAndValue(t *testing.T) {
	cases := []struct {
		src      Source
		raw      map[string]any
		param    string
		value    string
		warnOnly bool
	}{
		{SourceHTML, map[string]any{"data-app-id": "jwt", "data-amount": "1000", "data-inline": "true", "data-payment-methods": "konbini"}, "paymentMethods", "konbini", false},
		{SourceJS, map[string]any{"appId": "jwt", "amount": float64(1000), "inline": true, "paymentMethods": []any{"paidy", "bank_transfer"}}, "paymentMethods", `["paidy","bank_transfer"]`, false},
		{SourceHTML, map[string]any{"data-app-id": "jwt", "data-amount": "12x"}, "amount", "12x", false},
		{SourceHTML, map[string]any{"data-app-id": "jwt", "data-amount": "1000", "data-token-type": "forever"}, "tokenType", "forever", false},
	}
	for _, c := range cases {
		o, ps := ParseAndValidate(c.src, c.raw)
		var got Problems = ps.Errors()
		if c.warnOnly {
			got = ps.Warnings()
			if ps.HasErrors() {
				t.Errorf("%v: errors %v", c.raw, ps.Errors())
			}
		}
		if len(got) == 0 || got[0].Param != c.param || got[0].Value != c.value {
			t.Fatalf("%v: problems %v, want %s=%q", c.raw, ps, c.param, c.value)
		}
		if o.Value(c.param) != c.value {
			t.Errorf("Value(%s) = %q", c.param, o.Value(c.param))
		}
		msg := ConfigError(LocaleEN, got).Message
		if want := "Configuration error: " + c.param + "=" + strconv.Quote(c.value); !c.warnOnly && msg != want {
			t.Errorf("message %q, want %q", msg, want)
		}
		line := ConsoleMessage(got[0])
		if !strings.Contains(line.Text, c.param+"="+strconv.Quote(c.value)) {
			t.Errorf("console line %q", line.Text)
		}
		if (line.Level == "warn") != c.warnOnly {
			t.Errorf("console level %q", line.Level)
		}
	}
}

// A brand restriction the store leaves nothing of is an error, not a form
// that silently accepts every brand.
func TestValidateInfoBrandsNoneAccepted(t *testing.T) {
	info := api.CheckoutInfo{SupportedBrands: []api.SupportedBrand{{Brand: BrandVisa, PaymentType: api.PaymentTypeCard}, {Brand: BrandJCB, PaymentType: api.PaymentTypeCard}}}
	info.CardConfiguration.ForbiddenCardBrands = []string{BrandJCB}
	o, _ := ParseAndValidate(SourceHTML, map[string]any{"data-app-id": "jwt", "data-amount": "1", "data-payment-methods": "jcb,discover"})
	ps := o.ValidateInfo(info)
	if errs := ps.Errors(); len(errs) != 1 || errs[0].Param != "paymentMethods" || errs[0].Value != "jcb,discover" {
		t.Errorf("problems %v", ps)
	}
	o, _ = ParseAndValidate(SourceHTML, map[string]any{"data-app-id": "jwt", "data-amount": "1", "data-payment-methods": "visa,jcb"})
	if ps := o.ValidateInfo(info); len(ps) != 0 {
		t.Errorf("visa,jcb: %v", ps)
	}
	if got := CardBrandsOffered(o, info); !reflect.DeepEqual(got, []string{BrandVisa}) {
		t.Errorf("offered %v", got)
	}
}
