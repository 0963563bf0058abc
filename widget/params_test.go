package widget

import (
	"reflect"
	"testing"
)

func TestParamNames(t *testing.T) {
	cases := []struct{ js, html string }{
		{"appId", "data-app-id"},
		{"shippingAddressLine1", "data-shipping-address-line1"},
		{"univapayCustomerId", "data-univapay-customer-id"},
		{"removeCheckoutButtonAfterCharge", "data-remove-checkout-button-after-charge"},
		{"inlineTextToggleInvalidStyle", "data-inline-text-toggle-invalid-style"},
		{"subscriptionStartDayOfMonth", "data-subscription-start-day-of-month"},
		{"convenienceStoreExpirationTimeShift", "data-convenience-store-expiration-time-shift"},
		{"customFieldLabels", "data-custom-field-labels"},
		{"productCodeQuantities", "data-product-code-quantities"},
	}
	for _, c := range cases {
		q, ok := LookupJS(c.js)
		if !ok || q.HTML() != c.html {
			t.Errorf("LookupJS(%q).HTML() = %q, %v; want %q", c.js, q.HTML(), ok, c.html)
		}
		h, ok := LookupHTML(c.html)
		if !ok || h.Name != c.js {
			t.Errorf("LookupHTML(%q) = %q, %v", c.html, h.Name, ok)
		}
		if NameToAttr(c.js) != c.html || AttrToName(c.html) != c.js {
			t.Errorf("mapping %q <-> %q broken", c.js, c.html)
		}
	}
}

func TestParamAliases(t *testing.T) {
	for alias, want := range map[string]string{
		"data-txt": "text", "data-checkout-type": "checkout", "DATA-TXT": "text",
		"data-inline-field-forcus-style": "inlineFieldFocusStyle",
	} {
		if q, ok := LookupHTML(alias); !ok || q.Name != want {
			t.Errorf("LookupHTML(%q) = %q, %v; want %q", alias, q.Name, ok, want)
		}
	}
	for alias, want := range map[string]string{
		"inlineFieldForcusStyle": "inlineFieldFocusStyle", "inlineTextFieldForcusStyle": "inlineTextFieldFocusStyle",
		"inlineToggleFieldForcusStyle": "inlineToggleFieldFocusStyle", "inlineItemLabelstyle": "inlineItemLabelStyle",
	} {
		if q, ok := LookupJS(alias); !ok || q.Name != want {
			t.Errorf("LookupJS(%q) = %q, %v; want %q", alias, q.Name, ok, want)
		}
	}
	if _, ok := LookupJS("text"); ok {
		t.Error("text must be HTML-only")
	}
	if _, ok := LookupHTML("data-on-success"); ok {
		t.Error("callbacks must be JS-only")
	}
}

func TestButtonAttrs(t *testing.T) {
	if got := ButtonTextAttrs(); !reflect.DeepEqual(got, []string{"data-text", "data-txt"}) {
		t.Errorf("ButtonTextAttrs = %v", got)
	}
	want := []string{"data-text", "data-txt", "data-size", "data-class", "data-style", "data-hover-style"}
	if got := ButtonAttrs(); !reflect.DeepEqual(got, want) {
		t.Errorf("ButtonAttrs = %v", got)
	}
}

func TestParamTableComplete(t *testing.T) {
	// Every callback of the message contract is a known JS option.
	for _, cb := range Callbacks {
		if q, ok := LookupJS(cb); !ok || q.Kind != KindCallback {
			t.Errorf("callback %q missing from the table", cb)
		}
	}
	// Every non-deprecated, non-callback parameter can be stored.
	for _, q := range Params() {
		if q.Deprecated || q.Kind == KindCallback {
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: %v", q.Name, r)
				}
			}()
			var v any = "x"
			switch q.Kind {
			case KindBool:
				v = "true"
			case KindInt, KindAmount, KindIntList:
				v = "1"
			case KindDuration:
				v = "P1D"
			case KindDateTime:
				v = "2099-01-01T00:00:00Z"
			case KindDate:
				v = "2099-01-01"
			case KindTimeShift:
				v = "12:00:00+09:00"
			case KindPeriod:
				v = "monthly"
			case KindCurrency:
				v = "usd"
			}
			o, ps := ParseOptions(SourceJS, map[string]any{q.JS(): v})
			if q.Avail == HTMLOnly {
				o, ps = ParseOptions(SourceHTML, map[string]any{q.HTML(): v})
			}
			if ps.HasErrors() || !o.IsSet(q.Name) {
				t.Errorf("%s: problems %v, set %v", q.Name, ps, o.IsSet(q.Name))
			}
		}()
	}
	if n := len(Params()); n < 90 {
		t.Errorf("only %d parameters", n)
	}
}

func TestKebabCamel(t *testing.T) {
	for in, want := range map[string]string{"foo-bar-baz": "fooBarBaz", "store_id": "store_id", "booking_id": "booking_id", "line1": "line1", "a--b": "aB"} {
		if got := KebabToCamel(in); got != want {
			t.Errorf("KebabToCamel(%q) = %q want %q", in, got, want)
		}
	}
}
