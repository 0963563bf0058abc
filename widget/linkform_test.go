package widget

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"kessai/api"
)

func mustQuery(t *testing.T, q string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The link form's names map onto the widget's parameters.
func TestParseLinkFormMapsTheDocumentedNames(t *testing.T) {
	q := mustQuery(t, "appId=jwt.x.y&amount=1500&currency=usd&type=recurring&auth=true&hideCvv=true"+
		"&emailAddress=a%40example.com&requirePhoneNumber=true&phoneNumber=09012345678&phoneNumberCountryCode=%2B81"+
		"&name=Taro&cardholder=TARO+YAMADA&period=monthly&initialAmount=500&startIn=P1M&startDayOfMonth=20"+
		"&productQuantities=1,2&productCodes=a,b&expirationTimeShift=12%3A34%3A56%2B09%3A00&utm_source=mail"+
		"&successRedirectUrl=https%3A%2F%2Fshop.example%2Fok%3Forder%3D1&autoRedirect=true&showRedirectMetadata=true"+
		"&terminationMode=on_next_payment&cardInstallmentOptions=3,6")
	lf, ps := ParseLinkForm(api.DefaultLinkFormSettings(), q)
	if errs := ps.Errors(); len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	if w := ps.Warnings(); len(w) != 1 || w[0].Param != "utm_source" {
		t.Fatalf("warnings = %v, want utm_source ignored", w)
	}
	o := lf.Options
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"amount", o.Amount, int64(1500)}, // USD minor units as given
		{"currency", o.Currency, "USD"},
		{"tokenType", o.TokenType, TokenRecurring},
		{"capture", o.Capture, false},
		{"showCvv", o.ShowCvv, false},
		{"email", o.Email, "a@example.com"},
		{"requirePhoneNumber", o.RequirePhoneNumber, true},
		{"phoneNumber", o.PhoneNumber, "09012345678"},
		{"subscriptionPeriod", o.SubscriptionPeriod, "monthly"},
		{"subscriptionInitialAmount", o.SubscriptionInitialAmount, int64(500)},
		{"subscriptionStartIn", o.SubscriptionStartIn, "P1M"},
		{"subscriptionStartDayOfMonth", o.SubscriptionStartDayOfMonth, int64(20)},
		{"productCodeQuantities", o.ProductCodeQuantities, []int64{1, 2}},
		{"productCodes", o.ProductCodes, []string{"a", "b"}},
		{"expirationTimeShift", o.ExpirationTimeShift, "12:34:56+09:00"},
		{"cardInstallmentOptions", o.CardInstallmentOptions, []string{"3", "6"}},
		{"checkout", o.Checkout, CheckoutPayment},
		{"name prefill", lf.Name, "Taro"},
		{"cardholder prefill", lf.Cardholder, "TARO YAMADA"},
		{"phone country", lf.PhoneCountry, "81"},
		{"terminationMode", lf.TerminationMode, "on_next_payment"},
		{"redirects", lf.Redirects, LinkRedirects{Success: "https://shop.example/ok?order=1", Auto: true, ShowMetadata: true}},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func TestParseLinkFormCheckout(t *testing.T) {
	for _, c := range []struct {
		query    string
		checkout string
		qr       bool
	}{
		{"appId=j", CheckoutPayment, false},
		{"appId=j&checkout=token", CheckoutToken, false},
		{"appId=j&checkout=qr", CheckoutToken, true},
		{"appId=j&tokenOnly=true&amount=100", CheckoutToken, false},
		{"appId=j&tokenOnly=false&amount=100", CheckoutPayment, false},
	} {
		lf, ps := ParseLinkForm(api.DefaultLinkFormSettings(), mustQuery(t, c.query))
		if lf.Options.Checkout != c.checkout || lf.QR != c.qr {
			t.Errorf("%s: checkout %q qr %v, want %q %v (%v)", c.query, lf.Options.Checkout, lf.QR, c.checkout, c.qr, ps)
		}
	}
}

// paymentMethods[] with one value, repeated, or a comma list.
func TestParseLinkFormPaymentMethods(t *testing.T) {
	for q, want := range map[string][]string{
		"paymentMethods[]=card":                          {"card"},
		"paymentMethods[]=card&paymentMethods[]=konbini": {"card", "konbini"},
		"paymentMethods=card,bank_transfer":              {"card", "bank_transfer"},
	} {
		lf, _ := ParseLinkForm(api.DefaultLinkFormSettings(), mustQuery(t, "appId=j&amount=1&"+q))
		if !reflect.DeepEqual(lf.Options.PaymentMethods, want) {
			t.Errorf("%s: %v, want %v", q, lf.Options.PaymentMethods, want)
		}
	}
}

// Documented precedence: URL over settings for methods, language, custom
// fields and redirects; the settings' required fields always apply; the
// theme is the settings'.
func TestParseLinkFormPrecedence(t *testing.T) {
	settings := api.DefaultLinkFormSettings()
	settings.PaymentMethods = []string{"card", "konbini"}
	settings.Language = "en"
	settings.RequireName = true
	settings.RequirePhoneNumber = true
	settings.RequireAddress = true
	settings.CustomFields = []api.LinkFormCustomField{{Key: "seat", Label: "Seat", Type: "select", Required: true, Options: []string{"A", "B"}}}
	settings.SuccessRedirectURL = "https://shop.example/settings-ok"
	settings.FailureRedirectURL = "https://shop.example/settings-ng"
	settings.Theme.Mode, settings.Theme.ButtonColor = "dark", "#112233"

	// Nothing in the URL: the settings.
	lf, ps := ParseLinkForm(settings, mustQuery(t, "appId=j&amount=100"))
	if ps.HasErrors() {
		t.Fatal(ps)
	}
	o := lf.Options
	if !reflect.DeepEqual(o.PaymentMethods, []string{"card", "konbini"}) || o.Locale != "en" || !o.RequireName ||
		!o.RequirePhoneNumber || !o.RequireBillingAddress || len(o.CustomFields) != 1 || o.CustomFields[0].Key != "seat" ||
		!reflect.DeepEqual(o.CustomFields[0].Options, []string{"A", "B"}) || !o.CustomFields[0].Required ||
		lf.Redirects.Success != settings.SuccessRedirectURL || lf.Redirects.Failure != settings.FailureRedirectURL ||
		lf.Theme != settings.Theme {
		t.Fatalf("from the settings: %+v %+v", o, lf)
	}

	// The URL's methods, language, custom fields and redirects win; its
	// requirePhoneNumber=false does not remove the settings' field; theme
	// parameters do not exist.
	lf, ps = ParseLinkForm(settings, mustQuery(t, "appId=j&amount=100&paymentMethods[]=card&locale=ja"+
		"&customFieldLabels[]=Note&customFieldKeys[]=note&customFieldTypes[]=string&customFieldRequired[]=false"+
		"&successRedirectUrl=https%3A%2F%2Fshop.example%2Furl-ok&requirePhoneNumber=false&theme=light"))
	if ps.HasErrors() {
		t.Fatal(ps)
	}
	o = lf.Options
	if !reflect.DeepEqual(o.PaymentMethods, []string{"card"}) || o.Locale != "ja" || len(o.CustomFields) != 1 ||
		o.CustomFields[0].Key != "note" || o.CustomFields[0].Required {
		t.Fatalf("URL over settings: methods %v locale %q custom %+v", o.PaymentMethods, o.Locale, o.CustomFields)
	}
	if lf.Redirects != (LinkRedirects{Success: "https://shop.example/url-ok"}) {
		t.Fatalf("redirects = %+v: a redirect in the URL replaces the settings' redirects", lf.Redirects)
	}
	if !o.RequirePhoneNumber || !o.RequireName || !o.RequireBillingAddress {
		t.Fatalf("the settings' required fields must stay: %+v", o)
	}
	if lf.Theme != settings.Theme {
		t.Fatalf("theme = %+v", lf.Theme)
	}
	var warned []string
	for _, w := range ps.Warnings() {
		warned = append(warned, w.Param)
	}
	if strings.Join(warned, ",") != "theme,requirePhoneNumber" {
		t.Fatalf("warnings %v, want requirePhoneNumber (kept by the settings) and theme (unknown)", ps.Warnings())
	}

	// Without the settings' toggle, the URL may ask for the phone number.
	lf, _ = ParseLinkForm(api.DefaultLinkFormSettings(), mustQuery(t, "appId=j&amount=1&requirePhoneNumber=true"))
	if !lf.Options.RequirePhoneNumber {
		t.Fatal("requirePhoneNumber=true from the URL must show the phone number")
	}
}

// Several custom fields, one value per field; options comma-separated.
func TestParseLinkFormCustomFields(t *testing.T) {
	lf, ps := ParseLinkForm(api.DefaultLinkFormSettings(), mustQuery(t, "appId=j&amount=1"+
		"&customFieldLabels[]=Size&customFieldLabels[]=Note&customFieldKeys[]=size&customFieldKeys[]=note"+
		"&customFieldTypes[]=select&customFieldTypes[]=string&customFieldRequired[]=true&customFieldRequired[]=false"+
		"&customFieldOptions[]=S,M,L&customFieldOptions[]="))
	if ps.HasErrors() {
		t.Fatal(ps)
	}
	want := []CustomField{{Key: "size", Label: "Size", Type: "select", Required: true, Options: []string{"S", "M", "L"}},
		{Key: "note", Label: "Note", Type: "string"}}
	if !reflect.DeepEqual(lf.Options.CustomFields, want) {
		t.Fatalf("custom fields = %+v, want %+v", lf.Options.CustomFields, want)
	}
}

// A bad value is an error naming the query parameter and the value.
func TestParseLinkFormBadValues(t *testing.T) {
	for _, c := range []struct{ query, param, value string }{
		{"appId=j&amount=abc", "amount", "abc"},
		{"appId=j&amount=1&auth=maybe", "auth", "maybe"},
		{"appId=j&amount=1&hideCvv=nope", "hideCvv", "nope"},
		{"appId=j&amount=1&successRedirectUrl=javascript%3Aalert(1)", "successRedirectUrl", "javascript:alert(1)"},
		{"appId=j&amount=1&autoRedirect=sometimes", "autoRedirect", "sometimes"},
		{"appId=j&amount=1&terminationMode=later", "terminationMode", "later"},
		{"appId=j&amount=1&type=forever", "type", "forever"},
		{"appId=j&amount=1&period=fortnightly&type=subscription", "period", "fortnightly"},
		{"appId=j&amount=1&captureAt=tomorrow", "captureAt", "tomorrow"},
		{"appId=j&amount=1&hidePrefilledEmail=true", "hidePrefilledEmail", ""},
		{"amount=1", "appId", ""},
		{"appId=j", "amount", ""},
	} {
		lf, ps := ParseLinkForm(api.DefaultLinkFormSettings(), mustQuery(t, c.query))
		errs := append(ps, lf.LinkProblems(lf.Options.Validate())...).Errors()
		found := false
		for _, p := range errs {
			if p.Param == c.param && p.Value == c.value {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: errors %v, want one naming %s=%q", c.query, errs, c.param, c.value)
		}
	}
}

func TestLinkRedirectURL(t *testing.T) {
	r := LinkRedirects{Success: "https://shop.example/ok?order=7", Failure: "https://shop.example/ng"}
	ids := map[string]string{"univapayTokenId": "tok", "univapayChargeId": "ch"}
	md := map[string]string{"order-id": "A-1"}
	if got := r.URL(RedirectSuccess, ids, md); got != "https://shop.example/ok?order=7&univapayChargeId=ch&univapayTokenId=tok" {
		t.Errorf("success = %s", got)
	}
	r.ShowMetadata = true
	if got := r.URL(RedirectFailure, ids, md); got != "https://shop.example/ng?order-id=A-1&univapayChargeId=ch&univapayTokenId=tok" {
		t.Errorf("failure with metadata = %s", got)
	}
	if got := r.URL(RedirectPending, ids, md); got != "" {
		t.Errorf("pending without a URL = %q, want none", got)
	}
}

// Where a payment's outcome sends the buyer, with which IDs and metadata.
func TestLinkRedirectFor(t *testing.T) {
	charge := &Object[api.Charge]{Value: api.Charge{ID: "ch", TransactionTokenID: "tok",
		Metadata: api.Metadata{"seat": []byte(`"B"`), "qty": []byte(`2`)}}}
	for _, c := range []struct {
		name   string
		o      Outcome
		status RedirectStatus
		ok     bool
	}{
		{"success", Outcome{OK: true, Charge: charge}, RedirectSuccess, true},
		{"declined charge", Outcome{Stage: StageCharge, Code: "309", Retry: true, Charge: charge}, RedirectFailure, true},
		{"failed subscription", Outcome{Stage: StageSubscription, Code: CodeSubscriptionUnconfirmed}, RedirectFailure, true},
		{"still pending", Outcome{Stage: StagePolling, Code: CodePollingTimeout, Charge: charge}, RedirectPending, true},
		{"input errors stay", Outcome{Stage: StageToken, Code: CodeValidation, Fields: FieldErrors{FieldCardNumber: "invalid"}}, 0, false},
		{"a card refused at tokenisation stays", Outcome{Stage: StageToken, Code: "INVALID_CARD_NUMBER", Retry: true}, 0, false},
		{"a configuration error stays", Outcome{Stage: StageConfig, Code: CodeInvalidConfiguration}, 0, false},
	} {
		status, ok := LinkRedirectFor(c.o)
		if status != c.status || ok != c.ok {
			t.Errorf("%s: %v %v, want %v %v", c.name, status, ok, c.status, c.ok)
		}
	}
	o := Outcome{OK: true, Charge: charge}
	if ids := o.RedirectIDs(); !reflect.DeepEqual(ids, map[string]string{"univapayChargeId": "ch", "univapayTokenId": "tok"}) {
		t.Errorf("ids = %v", ids)
	}
	if md := o.RedirectMetadata(); !reflect.DeepEqual(md, map[string]string{"seat": "B", "qty": "2"}) {
		t.Errorf("metadata = %v", md)
	}
}

// terminationMode reaches the subscription's schedule settings.
func TestLinkFormTerminationMode(t *testing.T) {
	lf, ps := ParseLinkForm(api.DefaultLinkFormSettings(), mustQuery(t, "appId=j&amount=980&type=subscription&period=monthly&terminationMode=on_next_payment"))
	if ps.HasErrors() {
		t.Fatal(ps)
	}
	req := SubscriptionRequest(lf.Options, "tok", RequestExtras{TerminationMode: lf.TerminationMode})
	if req.ScheduleSettings == nil || req.ScheduleSettings.TerminationMode != "on_next_payment" {
		t.Fatalf("schedule settings = %+v", req.ScheduleSettings)
	}
	if req := SubscriptionRequest(lf.Options, "tok", RequestExtras{}); req.ScheduleSettings.TerminationMode != "" {
		t.Fatalf("the widget sends no termination mode: %+v", req.ScheduleSettings)
	}
}
