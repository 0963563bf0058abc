package widget

import (
	"reflect"
	"strings"
	"testing"

	"kessai/api"
)

func productInfo(products ...api.Product) api.CheckoutInfo {
	return api.CheckoutInfo{CheckoutConfiguration: api.CheckoutConfiguration{ECProducts: api.EnabledFlag{Enabled: len(products) > 0}}, Products: products}
}

var (
	tshirt = api.Product{Code: "tshirt", Name: "T-shirt", Amount: 2500, Currency: "JPY"}
	mug    = api.Product{Code: "mug", Name: "Mug", Amount: 1200, Currency: "jpy"}
	hat    = api.Product{Code: "hat", Name: "Hat", Amount: 1500, Currency: "USD"}
)

// productCodes decide the amount and the currency; the lines keep the order
// of the codes, with their quantities (docs/widget.md, "Products").
func TestApplyProducts(t *testing.T) {
	o, ps := ParseAndValidate(SourceHTML, map[string]any{"data-app-id": "jwt", "data-product-codes": "tshirt,mug", "data-product-code-quantities": "2,1"})
	if ps.HasErrors() {
		t.Fatalf("productCodes without amount: %v", ps)
	}
	got, lines, ps := o.ApplyProducts(productInfo(mug, tshirt))
	if len(ps) != 0 {
		t.Errorf("problems %v", ps)
	}
	want := []ProductLine{{Code: "tshirt", Name: "T-shirt", Quantity: 2, Amount: 2500, Currency: "JPY"}, {Code: "mug", Name: "Mug", Quantity: 1, Amount: 1200, Currency: "JPY"}}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("lines %+v", lines)
	}
	if got.Amount != 6200 || !got.AmountSet || got.Currency != "JPY" {
		t.Errorf("amount %d %s (set %v), want 6200 JPY", got.Amount, got.Currency, got.AmountSet)
	}
	if r := ProductsReserved(lines); r[MetadataProductNames] != "T-shirt,Mug" {
		t.Errorf("reserved metadata %v", r)
	}
	rows, total := ProductList(LocaleJA, lines)
	if len(rows) != 2 || rows[0] != (ProductListLine{Name: "T-shirt", Quantity: "数量 2", Amount: "5,000円"}) || total != "6,200円" {
		t.Errorf("product list %+v, total %q", rows, total)
	}

	// Without quantities, one of each; an amount given is replaced, with a
	// warning naming it.
	o, _ = ParseAndValidate(SourceJS, map[string]any{"appId": "jwt", "productCodes": []any{"hat"}, "amount": float64(100), "currency": "jpy"})
	got, lines, ps = o.ApplyProducts(productInfo(hat))
	if got.Amount != 1500 || got.Currency != "USD" || len(lines) != 1 || lines[0].Quantity != 1 {
		t.Errorf("one hat: %d %s %+v", got.Amount, got.Currency, lines)
	}
	if len(ps) != 1 || !ps[0].Warning || ps[0].Param != "amount" || ps[0].Value != "100" {
		t.Errorf("the replaced amount: %v", ps)
	}
}

func TestApplyProductsErrors(t *testing.T) {
	cases := []struct {
		codes  string
		info   api.CheckoutInfo
		reason string
	}{
		{"tshirt,cap,socks", productInfo(tshirt, mug), `unknown product code "cap", "socks": not in the store's products`},
		{"tshirt", productInfo(), "the store has no products"},
		{"tshirt,hat", productInfo(tshirt, hat), "products in different currencies (JPY, USD)"},
	}
	var o Options
	for _, c := range cases {
		var ps Problems
		o, ps = ParseAndValidate(SourceHTML, map[string]any{"data-app-id": "jwt", "data-product-codes": c.codes})
		if ps.HasErrors() {
			t.Fatal(ps)
		}
		_, lines, ps := o.ApplyProducts(c.info)
		if lines != nil || !ps.HasErrors() || ps[0].Param != "productCodes" || ps[0].Value != c.codes || !strings.Contains(ps[0].Reason, c.reason) {
			t.Errorf("%s: %v, lines %v; want an error %q naming the value", c.codes, ps, lines, c.reason)
		}
		// What the merchant reads: the parameter and the value.
		if msg := ConsoleMessage(ps[0]).Text; !strings.Contains(msg, `productCodes="`+c.codes+`"`) {
			t.Errorf("console line %q", msg)
		}
	}
	// checkout=token charges nothing: the codes are ignored, with a warning.
	o, _ = ParseAndValidate(SourceHTML, map[string]any{"data-app-id": "jwt", "data-checkout": "token", "data-product-codes": "tshirt"})
	if _, lines, ps := o.ApplyProducts(productInfo(tshirt)); lines != nil || len(ps) != 1 || !ps[0].Warning || ps[0].Param != "productCodes" {
		t.Errorf("checkout=token: %v, %v", lines, ps)
	}
	// No product codes: nothing changes.
	o, _ = ParseAndValidate(SourceHTML, map[string]any{"data-app-id": "jwt", "data-amount": "1000"})
	got, lines, ps := o.ApplyProducts(productInfo(tshirt))
	if lines != nil || ps != nil || got.Amount != 1000 {
		t.Errorf("without productCodes: %+v %v %d", lines, ps, got.Amount)
	}
}
