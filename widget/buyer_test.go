package widget

import (
	"reflect"
	"testing"
	"time"

	"kessai/api"
)

func buyerOptions(t *testing.T, raw map[string]any) Options {
	t.Helper()
	o, ps := ParseAndValidate(SourceHTML, raw)
	if ps.HasErrors() {
		t.Fatalf("options: %v", ps)
	}
	return o
}

var buyerCard = CardInput{CardNumber: "4242 4242 4242 4242", Exp: "12/99", CVV: "123", Cardholder: "TARO YAMADA", Email: "taro@example.com"}

// The buyer fields the options ask for, prefilled, validated and mapped
// onto the token as docs/widget.md, "Buyer fields" says.
func TestBuyerFields(t *testing.T) {
	o := buyerOptions(t, map[string]any{"data-app-id": "jwt", "data-amount": "1000",
		"data-require-name": "true", "data-require-phone-number": "true", "data-phone-number": "0312345678",
		"data-require-billing-address": "true", "data-shipping-address-zip": "100-0001", "data-shipping-address-state": "東京都",
		"data-shipping-address-city": "千代田区", "data-shipping-address-line1": "千代田1-1"})
	var names []string
	for _, f := range BuyerFields(o) {
		names = append(names, f.Name+":"+f.Autocomplete)
	}
	want := []string{"name:name", "phoneNumber.countryCode:tel-country-code", "phoneNumber.localNumber:tel-national",
		"address.country:country", "address.zip:postal-code", "address.state:address-level1", "address.city:address-level2",
		"address.line1:address-line1", "address.line2:address-line2"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("fields %v", names)
	}
	in := Prefill(o)
	if in.PhoneCountry != "81" || in.PhoneNumber != "0312345678" || in.Country != "JP" || in.Zip != "100-0001" || in.State != "東京都" || in.Line1 != "千代田1-1" {
		t.Errorf("prefill %+v", in)
	}
	// Empty required fields: required; a bad phone and zip: their codes.
	errs := ValidateForm(o, buyerCard, ValidateCard(buyerCard, time.Now(), CardRules{}))
	for _, f := range []string{FieldName, FieldPhoneNumber, FieldZip, FieldState, FieldCity, FieldLine1} {
		if errs[f] != ErrCodeRequired {
			t.Errorf("%s: %q, want required (%v)", f, errs[f], errs)
		}
	}
	if _, ok := errs[FieldLine2]; ok {
		t.Errorf("line2 is optional: %v", errs)
	}
	bad := in
	bad.Name, bad.PhoneNumber, bad.Zip, bad.State = "山田 太郎", "03-1234-5678", "12345", "Tokyo"
	errs = ValidateForm(o, bad, nil)
	if errs[FieldPhoneNumber] != ErrCodeInvalidPhoneNumber || errs[FieldZip] != ErrCodeInvalidZip || errs[FieldState] != ErrCodeRequired || len(errs) != 3 {
		t.Errorf("errors %v", errs)
	}
	good := buyerCard
	good.Name, good.PhoneCountry, good.PhoneNumber = "山田 太郎", "81", "０３１２３４５６７８" // full-width digits of an IME
	good.Country, good.Zip, good.State, good.City, good.Line1, good.Line2 = "jp", "100-0001", "東京都", "千代田区", "千代田1-1", "101号室"
	if errs := ValidateForm(o, good, nil); len(errs) != 0 {
		t.Errorf("errors %v", errs)
	}
	req := TokenRequest(o, good)
	d := req.Data
	if d.PhoneNumber == nil || d.PhoneNumber.CountryCode != "81" || d.PhoneNumber.LocalNumber != "0312345678" ||
		d.Country != "JP" || d.Zip != "100-0001" || d.State != "東京都" || d.City != "千代田区" || d.Line1 != "千代田1-1" || d.Line2 != "101号室" {
		t.Errorf("token data %+v", d)
	}
	if string(req.Metadata["univapay-name"]) != `"山田 太郎"` {
		t.Errorf("metadata %v", req.Metadata)
	}
	// address=true alone shows the address, optional.
	o = buyerOptions(t, map[string]any{"data-app-id": "jwt", "data-amount": "1", "data-address": "true"})
	if errs := ValidateForm(o, Prefill(o), nil); len(errs) != 0 {
		t.Errorf("optional address: %v", errs)
	}
	// Nothing asked: no fields, nothing sent.
	o = buyerOptions(t, map[string]any{"data-app-id": "jwt", "data-amount": "1", "data-phone-number": "0312345678"})
	if len(BuyerFields(o)) != 0 || TokenRequest(o, buyerCard).Data.PhoneNumber != nil {
		t.Errorf("fields without requirePhoneNumber")
	}
}

// showCvv=false hides the CVV only where the store lets it be empty.
func TestShowsCVV(t *testing.T) {
	hide := buyerOptions(t, map[string]any{"data-app-id": "jwt", "data-amount": "1", "data-show-cvv": "false"})
	show := buyerOptions(t, map[string]any{"data-app-id": "jwt", "data-amount": "1"})
	allow := api.CheckoutInfo{SupportedBrands: []api.SupportedBrand{{Brand: BrandVisa, PaymentType: api.PaymentTypeCard}}}
	allow.CardConfiguration.AllowEmptyCVV = true
	brandNeeds := allow
	brandNeeds.SupportedBrands = []api.SupportedBrand{{Brand: BrandVisa, PaymentType: api.PaymentTypeCard, RequiresCVV: true}}
	cases := []struct {
		o    Options
		info api.CheckoutInfo
		want bool
	}{
		{show, allow, true}, {hide, allow, false}, {hide, api.CheckoutInfo{}, true}, {hide, brandNeeds, true},
	}
	for i, c := range cases {
		if got := ShowsCVV(c.o, c.info); got != c.want {
			t.Errorf("case %d: %t", i, got)
		}
	}
	if ps := hide.ValidateInfo(brandNeeds); len(ps.Warnings()) != 1 || ps.Warnings()[0].Param != "showCvv" {
		t.Errorf("showCvv the store refuses: %v", ps)
	}
	if ps := hide.ValidateInfo(allow); len(ps) != 0 {
		t.Errorf("showCvv allowed: %v", ps)
	}
}

// Custom fields: validated, sent as metadata on the token and the charge.
func TestCustomFields(t *testing.T) {
	o := buyerOptions(t, map[string]any{"data-app-id": "jwt", "data-amount": "1000",
		"data-custom-field-labels": "サイズ,備考", "data-custom-field-types": "select,string",
		"data-custom-field-required": "true,false", "data-custom-field-options": "S;M;L,", "data-custom-field-keys": "size,note"})
	errs := ValidateForm(o, buyerCard, nil)
	if !reflect.DeepEqual(errs, FieldErrors{"customField:size": ErrCodeRequired}) {
		t.Errorf("errors %v", errs)
	}
	in := buyerCard
	in.Custom = map[string]string{"size": "XL"}
	if errs := ValidateForm(o, in, nil); errs["customField:size"] != ErrCodeInvalidOption {
		t.Errorf("errors %v", errs)
	}
	in.Custom = map[string]string{"size": "M", "note": " 急ぎ "}
	if errs := ValidateForm(o, in, nil); len(errs) != 0 {
		t.Errorf("errors %v", errs)
	}
	md := TokenRequest(o, in).Metadata
	if string(md["size"]) != `"M"` || string(md["note"]) != `"急ぎ"` {
		t.Errorf("metadata %v", md)
	}
}

// showLogo shows checkout_info's logo_image, an http(s) URL only.
func TestLogoURL(t *testing.T) {
	show := buyerOptions(t, map[string]any{"data-app-id": "jwt", "data-amount": "1"})
	hide := buyerOptions(t, map[string]any{"data-app-id": "jwt", "data-amount": "1", "data-show-logo": "false"})
	logo := func(s string) api.CheckoutInfo { return api.CheckoutInfo{LogoImage: &s} }
	cases := []struct {
		o    Options
		info api.CheckoutInfo
		want string
	}{
		{show, logo("https://shop.example/logo.png"), "https://shop.example/logo.png"},
		{hide, logo("https://shop.example/logo.png"), ""},
		{show, api.CheckoutInfo{}, ""},
		{show, logo("javascript:alert(1)"), ""},
		{show, logo(`https://x.example/a"b.png`), "https://x.example/a%22b.png"},
	}
	for _, c := range cases {
		if got := LogoURL(c.o, c.info); got != c.want {
			t.Errorf("%v: %q, want %q", c.info.LogoImage, got, c.want)
		}
	}
}

// Inline, the buyer fields UnivaPay does not mark inline are ignored: the
// name, the phone pre-fill, a required address, the custom fields.
func TestBuyerFieldsInline(t *testing.T) {
	o, _ := ParseAndValidate(SourceHTML, map[string]any{"data-app-id": "jwt", "data-amount": "1", "data-inline": "true",
		"data-require-name": "true", "data-require-phone-number": "true", "data-phone-number": "0312345678",
		"data-require-billing-address": "true", "data-custom-field-labels": "a", "data-custom-field-keys": "a"})
	var names []string
	for _, f := range BuyerFields(o) {
		names = append(names, f.Field)
	}
	if !reflect.DeepEqual(names, []string{FieldPhoneCountry, FieldPhoneNumber}) || Prefill(o).PhoneNumber != "" || len(o.FormCustomFields()) != 0 {
		t.Errorf("inline fields %v, prefill %+v", names, Prefill(o))
	}
}
