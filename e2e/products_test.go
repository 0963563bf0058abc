package e2e

import (
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Product codes (docs/widget.md, "Products"): the store's catalogue is set
// through the store configuration; a page names products and quantities
// instead of an amount; the form lists them with the total, and the charge
// is for the total, with the product names in its metadata.
var _ = template.Must(testPages.Parse(`
{{define "products"}}<!doctype html><html><head><meta charset="utf-8"><title>products</title>
{{template "console"}}<script src="{{.Widget}}/client/checkout.js"></script>
<script>
  var detail = null;
  window.addEventListener("univapay:success", function (e) { detail = e.detail; });
</script></head><body>
<form id="order" action="/done">
<span data-app-id="{{.JWT}}" data-checkout="payment" data-locale="ja"
  data-product-codes="e2e-tshirt,e2e-mug" data-product-code-quantities="2,1"></span>
</form></body></html>{{end}}
{{define "products-unknown"}}<!doctype html><html><head><meta charset="utf-8"><title>unknown product</title>
{{template "console"}}<script src="{{.Widget}}/client/checkout.js"></script></head><body>
<form id="order" action="/done">
<span data-app-id="{{.JWT}}" data-checkout="payment" data-locale="en" data-product-codes="e2e-tshirt,e2e-hat"></span>
</form></body></html>{{end}}
`))

// configureStore changes the demo store's configuration through the
// sandbox API, as a merchant's test set-up does.
func configureStore(t *testing.T, doc string) {
	t.Helper()
	req, _ := http.NewRequest("PATCH", env.widget+"/sandbox/store_configuration", strings.NewReader(doc))
	req.Header.Set("Authorization", "Bearer "+env.secret+"."+env.jwt)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("PATCH /sandbox/store_configuration: %d %s", resp.StatusCode, b)
	}
}

func TestProductCodes(t *testing.T) {
	configureStore(t, `{"products": [
		{"code": "e2e-tshirt", "name": "Tシャツ", "amount": 2500, "currency": "JPY"},
		{"code": "e2e-mug", "name": "マグカップ", "amount": 1200, "currency": "JPY"}]}`)
	t.Cleanup(func() { configureStore(t, `{"products": []}`) })

	ctx, fctx := openPopup(t, env.pages+"/products.html", "span button")
	list, err := chromedp.Run(fctx, chromedp.Poll[string](`(document.querySelector(".kessai-products") || {}).innerText`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("no product list in the form: %v (widget shows %q)", err, widgetText(t, fctx))
	}
	for _, want := range []string{"ご注文内容", "Tシャツ", "数量 2", "5,000円", "マグカップ", "数量 1", "1,200円", "合計", "6,200円"} {
		if !strings.Contains(list, want) {
			t.Errorf("product list %q lacks %q", list, want)
		}
	}
	if amount, _ := chromedp.Run(fctx, chromedp.Evaluate[string](`document.querySelector(".kessai-amount").innerText`)); amount != "6,200円" {
		t.Errorf("the header's amount is %q, want the products' total 6,200円", amount)
	}
	fillCard(t, fctx, "4000020000000000")
	screenshot(t, ctx, "products-form")
	// A phone's width: the names wrap, the amounts stay on their line.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(fctx, chromedp.Evaluate[bool](`document.querySelector(".kessai-products").scrollIntoView(), true`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "products-form-360")
	pay(t, ctx, fctx, "#kessai-done")

	inputs := hiddenInputs(t, ctx, "#order")
	ch := apiCharge(t, inputs["univapayChargeId"])
	if ch.RequestedAmount != 6200 || ch.RequestedCurrency != "JPY" || ch.Status != "successful" {
		t.Errorf("charge %d %s %s, want 6200 JPY successful", ch.RequestedAmount, ch.RequestedCurrency, ch.Status)
	}
	if got := string(ch.Metadata["univapay-product-names"]); got != strconv.Quote("Tシャツ,マグカップ") {
		t.Errorf("charge metadata univapay-product-names = %s", got)
	}
	var tok struct{ Metadata map[string]any }
	apiGet(t, "/stores/"+env.storeID+"/tokens/"+inputs["univapayTokenId"], &tok)
	if tok.Metadata["univapay-product-names"] != "Tシャツ,マグカップ" {
		t.Errorf("token metadata %v", tok.Metadata)
	}
	type line struct {
		Code, Name       string
		Quantity, Amount int64
		Currency         string
	}
	products, err := chromedp.Run(ctx, chromedp.Evaluate[[]line](`detail && detail.products`))
	if err != nil || len(products) != 2 || products[0] != (line{"e2e-tshirt", "Tシャツ", 2, 2500, "JPY"}) || products[1] != (line{"e2e-mug", "マグカップ", 1, 1200, "JPY"}) {
		t.Errorf("univapay:success products = %+v, %v", products, err)
	}
	for _, l := range consoleLines(t, ctx) {
		t.Errorf("the merchant console logged %q", l)
	}
}

// An unknown product code is a configuration error naming the parameter and
// the value, in the widget, the console and univapay:error; no card form.
func TestProductCodesUnknown(t *testing.T) {
	configureStore(t, `{"products": [{"code": "e2e-tshirt", "name": "T-shirt", "amount": 2500, "currency": "JPY"}]}`)
	t.Cleanup(func() { configureStore(t, `{"products": []}`) })

	ctx, fctx := openPopup(t, env.pages+"/products-unknown.html", "span button")
	waitEvent(t, ctx, "univapay:error")
	var d struct {
		Stage, Code, Message string
		Error                struct {
			Error struct {
				Errors []struct{ Field, Reason, Value string }
			} `json:"error"`
		} `json:"error"`
	}
	lastDetail(t, ctx, "univapay:error", &d)
	errs := d.Error.Error.Errors
	if d.Stage != "config" || d.Code != "INVALID_CONFIGURATION" || len(errs) != 1 || errs[0].Field != "productCodes" ||
		errs[0].Value != "e2e-tshirt,e2e-hat" || !strings.Contains(errs[0].Reason, `unknown product code "e2e-hat"`) {
		t.Fatalf("error detail = %+v", d)
	}
	if _, err := chromedp.Run(fctx, chromedp.Poll[bool](`document.getElementById("kessai").innerText.includes('productCodes="e2e-tshirt,e2e-hat"')`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("widget shows %q, want the parameter and its value", widgetText(t, fctx))
	}
	if n, _ := chromedp.Run(fctx, chromedp.Evaluate[int](`document.querySelectorAll('input[name="data.cardNumber"]').length`)); n != 0 {
		t.Errorf("a card form beside the configuration error")
	}
	screenshot(t, ctx, "products-unknown")
	deadline := time.Now().Add(5 * time.Second)
	for {
		found := false
		for _, l := range consoleLines(t, ctx) {
			found = found || strings.HasPrefix(l, "error: ") && strings.Contains(l, `productCodes="e2e-tshirt,e2e-hat"`) && strings.Contains(l, "unknown product code")
		}
		if found {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("merchant console = %q, want the unknown product code", consoleLines(t, ctx))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
