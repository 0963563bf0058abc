package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"kessai/api"
	"kessai/widget"
)

// The card form's parts for subscriptions, recurring tokens, saved cards and
// installments, rendered natively with go-app's engine (app.HTMLString).

var formInfo = api.CheckoutInfo{
	RecurringTokenPrivilege: api.RecurringInfinite,
	InstallmentsConfiguration: api.InstallmentsConfiguration{Enabled: true,
		CardProcessor: api.CardProcessor{Revolving: true, FixedCycle: true}},
	RecurringCardChargeCVVConfirmation: api.CVVConfirmation{Enabled: true, Threshold: []api.MoneyAmount{{Amount: 10000, Currency: "JPY"}}},
	SupportedBrands: []api.SupportedBrand{
		{PaymentType: api.PaymentTypeCard, Brand: "visa", InstallmentCapable: true},
		{PaymentType: api.PaymentTypeCard, Brand: "mastercard"},
	},
}

var savedVisa = api.TokenListItem{TokenFields: api.TokenFields{ID: "tok-saved"}, Data: &api.TokenMaskedData{Card: &api.TokenMaskedCard{Brand: "visa", LastFour: "4242", ExpMonth: 12, ExpYear: 2099}}}

func formHTML(t *testing.T, raw map[string]any, setup func(c *checkout)) string {
	t.Helper()
	all := map[string]any{"appId": "a", "locale": "ja"}
	for k, v := range raw {
		all[k] = v
	}
	o, ps := widget.ParseAndValidate(widget.SourceJS, all)
	if ps.HasErrors() {
		t.Fatalf("%v: %v", all, ps)
	}
	c := &checkout{opts: o, loc: widget.LocaleJA, info: formInfo, screen: screenForm, touched: map[string]bool{}}
	if setup != nil {
		setup(c)
	}
	return app.HTMLString(c.renderForm(""))
}

func TestFormParts(t *testing.T) {
	const customer = "0b3c2f7e-1111-4d6e-9a3b-3c2d1e0f9a8b"
	cases := []struct {
		name      string
		raw       map[string]any
		setup     func(c *checkout)
		want, not []string
	}{
		{"subscription terms", map[string]any{"amount": 980.0, "tokenType": "subscription", "subscriptionPeriod": "monthly"}, nil,
			[]string{`class="kessai-plan"`, "定期課金の内容", "毎月のお支払い: 980円", "解約されるまで継続します", `name="data.cardNumber"`},
			[]string{`name="accept"`, `name="installments"`}},
		{"a one-time payment has no terms", map[string]any{"amount": 980.0}, nil, nil,
			[]string{"kessai-plan", `name="accept"`, "savedCard"}},
		{"save-card box", map[string]any{"amount": 980.0, "univapayCustomerId": customer}, nil,
			[]string{`class="checkbox"`, `type="checkbox"`, `name="accept"`, "このカードを保存する"}, []string{"savedCard"}},
		{"consent box of a recurring token, with its error", map[string]any{"checkout": "token", "tokenType": "recurring"},
			func(c *checkout) { c.errs = widget.FieldErrors{widget.FieldConsent: widget.ErrCodeConsentRequired} },
			[]string{"カード情報を保存し、次回以降の決済に利用することに同意します", "has-error", "同意が必要です。"}, nil},
		{"saved cards: chosen, no card fields", map[string]any{"amount": 980.0, "univapayCustomerId": customer},
			func(c *checkout) { c.savedCards, c.saved = []api.TokenListItem{savedVisa}, savedVisa.ID },
			[]string{"登録済みのカード", "VISA •••• 4242 (12/99)", "新しいカードを使う", `value="tok-saved"`},
			[]string{`name="data.cardNumber"`, `name="data.cvv"`, `name="accept"`}},
		{"saved card above the threshold asks for its CVV", map[string]any{"amount": 20000.0, "univapayCustomerId": customer},
			func(c *checkout) { c.savedCards, c.saved = []api.TokenListItem{savedVisa}, savedVisa.ID },
			[]string{`name="data.cvv"`, "セキュリティコードを入力してください"}, []string{`name="data.cardNumber"`}},
		{"saved cards, a new card chosen", map[string]any{"amount": 980.0, "univapayCustomerId": customer},
			func(c *checkout) { c.savedCards = []api.TokenListItem{savedVisa} },
			[]string{"登録済みのカード", `name="data.cardNumber"`, `name="accept"`}, nil},
		{"installments for a Visa card", map[string]any{"amount": 12000.0, "allowCardInstallments": true, "cardInstallmentOptions": "1,3,revolving"},
			func(c *checkout) { c.in.CardNumber = "4242 4242" },
			[]string{`name="installments"`, "お支払い回数", "一括払い", "3回払い", "リボ払い"}, []string{"6回払い"}},
		{"no installments for a brand that cannot", map[string]any{"amount": 12000.0, "allowCardInstallments": true},
			func(c *checkout) { c.in.CardNumber = "5555 5555" }, nil, []string{`name="installments"`}},
	}
	for _, c := range cases {
		html := formHTML(t, c.raw, c.setup)
		for _, w := range c.want {
			if !strings.Contains(html, w) {
				t.Errorf("%s: the form lacks %q:\n%s", c.name, w, html)
			}
		}
		for _, n := range c.not {
			if strings.Contains(html, n) {
				t.Errorf("%s: the form has %q:\n%s", c.name, n, html)
			}
		}
	}
}

// The buyer fields and custom fields: labelled inputs with their
// autocomplete tokens, prefilled, required or optional, with their errors;
// showCvv hides the CVV only where the store allows it.
func TestFormBuyerAndCustomFields(t *testing.T) {
	buyer := map[string]any{"amount": 980.0, "requireName": true, "requirePhoneNumber": true, "phoneNumber": "0312345678",
		"requireBillingAddress": true, "shippingAddressZip": "1000001", "shippingAddressState": "東京都",
		"customFieldLabels": "サイズ,備考", "customFieldTypes": "select,string", "customFieldRequired": "true,false",
		"customFieldOptions": "S;M;L,", "customFieldKeys": "size,note"}
	html := formHTML(t, buyer, func(c *checkout) {
		c.in = widget.Prefill(c.opts)
		c.errs = widget.FieldErrors{widget.FieldZip: widget.ErrCodeInvalidZip, "customField:size": widget.ErrCodeRequired}
	})
	for _, w := range []string{
		`for="name"`, `>氏名</label>`, `name="name"`, `autocomplete="name"`,
		`name="phoneNumber.countryCode"`, `autocomplete="tel-country-code"`, `value="81"`,
		`name="phoneNumber.localNumber"`, `autocomplete="tel-national"`, `type="tel"`, `value="0312345678"`,
		`name="address.zip"`, `autocomplete="postal-code"`, `value="1000001"`, "郵便番号が正しくありません",
		`id="state"`, `name="address.state"`, `autocomplete="address-level1"`,
		`autocomplete="address-line1"`, "建物名・部屋番号 （任意）",
		`for="customField:size"`, `>サイズ</label>`, `id="customField:size"`, `name="customField.size"`, `value="M"`, `>M</option>`,
		`for="customField:note"`, `>備考 （任意）</label>`, `name="customField.note"`, "kessai-field-customField:size has-error",
	} {
		if !strings.Contains(html, w) {
			t.Errorf("the form lacks %q:\n%s", w, html)
		}
	}
	if !regexp.MustCompile(`<option (value="東京都" selected|selected value="東京都")>`).MatchString(html) {
		t.Errorf("the prefecture is not preselected")
	}
	en := formHTML(t, buyer, func(c *checkout) { c.loc = widget.LocaleEN; c.in = widget.Prefill(c.opts) })
	for _, w := range []string{"Full name", "Phone number", "Postal code", "Prefecture / state", "Building, room (optional)", "Please choose"} {
		if !strings.Contains(en, w) {
			t.Errorf("the English form lacks %q", w)
		}
	}

	noCVV := func(c *checkout) {
		c.info.CardConfiguration.AllowEmptyCVV = true
	}
	if html := formHTML(t, map[string]any{"amount": 980.0, "showCvv": false}, noCVV); strings.Contains(html, `name="data.cvv"`) {
		t.Errorf("showCvv=false on a store that allows it still asks for the CVV")
	}
	if html := formHTML(t, map[string]any{"amount": 980.0, "showCvv": false}, nil); !strings.Contains(html, `name="data.cvv"`) {
		t.Errorf("showCvv=false on a store that requires it hides the CVV")
	}
}

// The popup's header: the store's logo (showLogo), header, title and
// description as the merchant gives them.
func TestHeader(t *testing.T) {
	logo := "https://shop.example/logo.png"
	header := func(raw map[string]any, logoHidden bool) string {
		all := map[string]any{"appId": "a", "amount": 1000.0}
		for k, v := range raw {
			all[k] = v
		}
		o, _ := widget.ParseAndValidate(widget.SourceJS, all)
		c := &checkout{opts: o, loc: widget.LocaleJA, info: api.CheckoutInfo{Name: "Demo Store", LogoImage: &logo}, logoHidden: logoHidden}
		return app.HTMLString(c.renderHeader())
	}
	h := header(map[string]any{"header": "My Shop", "title": "Order 7", "description": "Two items"}, false)
	for _, w := range []string{`class="kessai-logo"`, `src="https://shop.example/logo.png"`, `aria-hidden`, ">My Shop<", ">Order 7<", ">Two items<"} {
		if !strings.Contains(h, w) {
			t.Errorf("header lacks %q:\n%s", w, h)
		}
	}
	if h := header(nil, false); !strings.Contains(h, ">UnivaPay<") || !strings.Contains(h, ">Demo Store<") {
		t.Errorf("default header:\n%s", h)
	}
	for _, h := range []string{header(map[string]any{"showLogo": false}, false), header(nil, true)} {
		if strings.Contains(h, "kessai-logo") {
			t.Errorf("a hidden logo is shown:\n%s", h)
		}
	}
}

// The inline style parameters reach the elements of an inline form, and
// only there; a quote cannot leave the style attribute.
func TestInlineStylesInForm(t *testing.T) {
	raw := map[string]any{"amount": 980.0, "inline": true, "inlineItemStyle": "margin:1px", "inlineItemLabelStyle": "color:red",
		"inlineTextFieldStyle": `border:0" onclick="alert(1)`, "inlineItemErrorStyle": "color:maroon",
		"inlineFieldInvalidStyle": "background:pink", "inlineFieldFocusStyle": "outline:1px solid blue"}
	html := formHTML(t, raw, func(c *checkout) {
		c.init.Mode = widget.ModeInline
		c.errs = widget.FieldErrors{widget.FieldCardNumber: widget.ErrCodeRequired}
		c.focused = widget.FieldExp
	})
	for _, w := range []string{`style="margin:1px"`, `style="color:red"`, `style="color:maroon"`, `style="background:pink"`,
		`input-group-focus`, `style="border:0&#39; onclick=&#39;alert(1)"`, `style="border:0&#39; onclick=&#39;alert(1);outline:1px solid blue"`} {
		if !strings.Contains(html, w) {
			t.Errorf("the inline form lacks %q:\n%s", w, html)
		}
	}
	if strings.Contains(html, `onclick="alert`) {
		t.Errorf("a style value left its attribute:\n%s", html)
	}
	if n := strings.Count(html, `style="background:pink"`); n != 1 {
		t.Errorf("%d invalid inputs styled, want the card number only", n)
	}
	popup := formHTML(t, map[string]any{"amount": 980.0, "inlineItemStyle": "margin:1px"}, nil)
	if strings.Contains(popup, "margin:1px") {
		t.Errorf("a popup takes the inline styles")
	}
}
