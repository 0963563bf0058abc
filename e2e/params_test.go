package e2e

import (
	"context"
	"encoding/json"
	"html/template"
	"kessai/api"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Widget parameters a merchant notices (docs/widget.md, "Parameters" and
// "Configuration errors"), on the test's own merchant pages. Each page
// records what the loader writes to its console in `logged`.
var _ = template.Must(testPages.Parse(`
{{define "console"}}<script>
  var logged = [];
  ["error", "warn"].forEach(function (level) {
    var orig = console[level];
    console[level] = function () { logged.push(level + ": " + [].join.call(arguments, " ")); orig.apply(console, arguments); };
  });
</script>{{end}}
{{define "params-konbini"}}<!doctype html><html><head><meta charset="utf-8"><title>konbini only</title>
{{template "console"}}<script src="{{.Widget}}/client/checkout.js"></script></head><body>
<form id="order" action="/done">
<span data-app-id="{{.JWT}}" data-checkout="payment" data-amount="1000" data-currency="jpy" data-payment-methods="konbini"></span>
</form></body></html>{{end}}
{{define "params-timeout"}}<!doctype html><html><head><meta charset="utf-8"><title>timeout</title>
{{template "console"}}<script src="{{.Widget}}/client/checkout.js"></script>
<script>
  var at = {};
  ["opened", "error", "closed"].forEach(function (n) {
    window.addEventListener("univapay:" + n, function () { at[n] = performance.now(); });
  });
</script></head><body>
<form id="order" action="/done">
<span data-app-id="{{.JWT}}" data-checkout="payment" data-amount="1000" data-currency="jpy" data-locale="en"
  data-timeout="3" data-auto-close-on-error="true"></span>
</form></body></html>{{end}}
{{define "params-buyer"}}<!doctype html><html><head><meta charset="utf-8"><title>buyer fields</title>
{{template "console"}}<script src="{{.Widget}}/client/checkout.js"></script></head><body>
<form id="order" action="/done">
<span data-app-id="{{.JWT}}" data-checkout="payment" data-amount="1000" data-currency="jpy" data-locale="ja"
  data-require-name="true" data-require-phone-number="true" data-phone-number="0312345678"
  data-require-billing-address="true" data-shipping-address-zip="100-0001" data-shipping-address-state="東京都"
  data-custom-field-labels="サイズ,備考" data-custom-field-types="select,string" data-custom-field-required="true,false"
  data-custom-field-options="S;M;L," data-custom-field-keys="size,note" data-metadata="order:A-7"></span>
</form></body></html>{{end}}
{{define "params-inline-close"}}<!doctype html><html><head><meta charset="utf-8"><title>inline close</title>
<script src="{{.Widget}}/client/checkout.js"></script>
<script>
  var calls = [];
  var checkout = UnivapayCheckout.create({
    appId: "{{.JWT}}", checkout: "payment", amount: 1000, inline: true, target: "#card-slot",
    closed: function () { calls.push("closed"); }
  });
  window.onload = function () { checkout.open(); };
</script></head><body>
<form id="order" action="/done"><div id="card-slot"></div><button type="button" id="cancel" onclick="checkout.close()">Cancel</button></form>
</body></html>{{end}}
{{define "params-button"}}<!doctype html><html><head><meta charset="utf-8"><title>launch button</title>
<script src="{{.Widget}}/client/checkout.js"></script></head><body>
<form id="order" action="/done">
<span id="first" data-app-id="{{.JWT}}" data-checkout="payment" data-amount="1000" data-currency="jpy" data-locale="en"
  data-text="Buy now" data-size="large" data-class="shop-pay wide" data-hover-style="background: rgb(0, 0, 128)"
  data-auto-close="true" data-remove-checkout-button-after-charge="true"></span>
<span id="second" data-app-id="{{.JWT}}" data-checkout="payment" data-amount="500" data-currency="jpy"
  data-style="background: rgb(10, 20, 30); color: rgb(255, 255, 255)"></span>
</form></body></html>{{end}}
{{define "params-inline-styles"}}<!doctype html><html><head><meta charset="utf-8"><title>inline styles</title>
<script src="{{.Widget}}/client/checkout.js"></script></head><body>
<form id="order" action="/done">
<span data-app-id="{{.JWT}}" data-checkout="payment" data-amount="1000" data-inline="true"
  data-inline-item-style="margin-bottom: 31px" data-inline-item-label-style="color: rgb(200, 0, 0)"
  data-inline-text-field-style="padding-left: 7px" data-inline-item-error-style="color: rgb(0, 0, 200)"
  data-inline-field-invalid-style="background-color: rgb(255, 200, 200)"
  data-inline-field-focus-style="outline: 3px solid rgb(0, 128, 0)"></span>
</form></body></html>{{end}}
`))

// consoleLines returns what the merchant page logged so far.
func consoleLines(t *testing.T, ctx context.Context) []string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(logged)`))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	json.Unmarshal([]byte(s), &out)
	return out
}

// A parameter asking only for a payment method the widget does not take is
// a configuration error naming the parameter and the value: in the widget,
// in the merchant page's console and as univapay:error; no card form.
func TestParamsConfigurationError(t *testing.T) {
	ctx, fctx := openPopup(t, env.pages+"/params-konbini.html", "span button")
	waitEvent(t, ctx, "univapay:error")
	var d struct {
		Stage, Code, Message string
		Error                struct {
			Error struct {
				Code   string
				Errors []struct{ Field, Reason, Value string }
			} `json:"error"`
		} `json:"error"`
	}
	lastDetail(t, ctx, "univapay:error", &d)
	errs := d.Error.Error.Errors
	if d.Stage != "config" || d.Code != "INVALID_CONFIGURATION" || len(errs) != 1 || errs[0].Field != "paymentMethods" ||
		errs[0].Value != "konbini" || !strings.Contains(d.Message, `paymentMethods="konbini"`) {
		t.Fatalf("error detail = %+v", d)
	}
	if _, err := chromedp.Run(fctx, chromedp.Poll[bool](`document.getElementById("kessai").innerText.includes('paymentMethods="konbini"')`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("widget shows %q, want the parameter and its value", widgetText(t, fctx))
	}
	if n, err := chromedp.Run(fctx, chromedp.Evaluate[int](`document.querySelectorAll('input[name="data.cardNumber"]').length`)); err != nil || n != 0 {
		t.Fatalf("card inputs = %d, %v; want no card form", n, err)
	}
	screenshot(t, ctx, "params-config-error")
	var line string
	deadline := time.Now().Add(5 * time.Second)
	for line == "" && time.Now().Before(deadline) {
		for _, l := range consoleLines(t, ctx) {
			if strings.HasPrefix(l, "error: ") && strings.Contains(l, `paymentMethods="konbini"`) {
				line = l
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if line == "" {
		t.Fatalf("merchant console = %q, want an error naming paymentMethods=\"konbini\"", consoleLines(t, ctx))
	}
}

// timeout replaces the form with the timeout screen and fires
// univapay:error TIMEOUT at stage timeout; autoCloseOnError closes the
// popup 3 s later (docs/widget.md, "Timeout").
func TestParamsTimeoutAndAutoCloseOnError(t *testing.T) {
	ctx, fctx := openPopup(t, env.pages+"/params-timeout.html", "span button")
	waitEvent(t, ctx, "univapay:error")
	// Measured in the page, from univapay:opened: the timeout counts from
	// open(), however long the test took to see the frame.
	ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`at.error - at.opened`))
	if err != nil || ms < 2900 || ms > 8000 {
		t.Fatalf("univapay:error %v ms after univapay:opened (%v), want about 3 s", ms, err)
	}
	var d struct{ Stage, Code, Message string }
	lastDetail(t, ctx, "univapay:error", &d)
	if d.Stage != "timeout" || d.Code != "TIMEOUT" || d.Message == "" {
		t.Fatalf("error detail = %+v", d)
	}
	if _, err := chromedp.Run(fctx, chromedp.Poll[bool](`document.getElementById("kessai").innerText.includes("timed out")`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("widget shows %q, want the timeout screen", widgetText(t, fctx))
	}
	screenshot(t, ctx, "params-timeout")
	waitEvent(t, ctx, "univapay:closed")
	if got := withoutValidation(events(t, ctx)); got != "opened,error,closed" {
		t.Fatalf("events = %s", got)
	}
	if ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`at.closed - at.error`)); err != nil || ms < 2900 || ms > 8000 {
		t.Fatalf("univapay:closed %v ms after univapay:error (%v), want about 3 s (autoCloseOnError)", ms, err)
	}
}

// The buyer fields and custom fields are real inputs, validated, and their
// values reach the token and the charge (docs/widget.md, "Buyer fields" and
// "Custom fields").
func TestParamsBuyerAndCustomFields(t *testing.T) {
	ctx, fctx := openPopup(t, env.pages+"/params-buyer.html", "span button")
	fillCard(t, fctx, "4000020000000000")
	// Submitting with the required name, city, street and size empty shows
	// their errors and tells the merchant.
	if err := chromedp.Do(fctx, chromedp.Click(chromedp.ID("kessai-pay"))); err != nil {
		t.Fatal(err)
	}
	var verr map[string]string
	deadline := time.Now().Add(5 * time.Second)
	for len(verr) == 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		for _, e := range events(t, ctx) {
			if e.Type == "univapay:validation-error" {
				verr = nil
				json.Unmarshal(e.Detail, &verr)
			}
		}
	}
	for _, f := range []string{"name", "city", "line1", "customField:size"} {
		if verr[f] != "required" {
			t.Fatalf("validation-error = %v, want %s required", verr, f)
		}
	}
	screenshot(t, ctx, "params-buyer-errors")
	for _, f := range []struct{ sel, value string }{
		{`input[name="name"]`, "山田 太郎"}, {`input[name="address.city"]`, "千代田区"}, {`input[name="address.line1"]`, "千代田1-1"},
		{`input[name="customField.note"]`, "急ぎ"},
	} {
		if err := chromedp.Do(fctx, chromedp.SendKeys(chromedp.CSS(f.sel), f.value)); err != nil {
			t.Fatalf("type %s: %v", f.sel, err)
		}
	}
	if _, err := chromedp.Run(fctx, chromedp.Evaluate[bool](`(function () {
		var s = document.querySelector('select[name="customField.size"]');
		s.value = "M"; s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "params-buyer-form")
	pay(t, ctx, fctx, "#kessai-done")
	inputs := hiddenInputs(t, ctx, "#order")
	var tok struct {
		Email    string
		Metadata map[string]any
		Data     struct{ Billing api.TokenBilling }
	}
	apiGet(t, "/stores/"+env.storeID+"/tokens/"+inputs["univapayTokenId"], &tok)
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	d := tok.Data.Billing
	if str(d.Zip) != "100-0001" || str(d.State) != "東京都" || str(d.City) != "千代田区" || str(d.Line1) != "千代田1-1" ||
		str(d.Country) != "JP" || d.PhoneNumber == nil || str(d.PhoneNumber.LocalNumber) != "0312345678" || d.PhoneNumber.CountryCode == nil || *d.PhoneNumber.CountryCode != 81 {
		t.Errorf("token data = %+v (phone %+v)", d, d.PhoneNumber)
	}
	want := map[string]any{"order": "A-7", "size": "M", "note": "急ぎ", "univapay-name": "山田 太郎"}
	for k, v := range want {
		if tok.Metadata[k] != v {
			t.Errorf("token metadata = %v, want %s=%v", tok.Metadata, k, v)
		}
	}
	ch := apiCharge(t, inputs["univapayChargeId"])
	for k, v := range want {
		if string(ch.Metadata[k]) != strconv.Quote(v.(string)) {
			t.Errorf("charge metadata = %v, want %s=%v", ch.Metadata, k, v)
		}
	}
}

// checkout.close() of an inline form removes its iframe and fires
// univapay:closed (docs/widget.md, "Inline mode"); open() brings a new one.
func TestParamsInlineClose(t *testing.T) {
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(env.pages+"/params-inline-close.html")); err != nil {
		t.Fatal(err)
	}
	widgetFrame(t, ctx)
	// The merchant's cancel button calls checkout.close(); clicked by
	// script, as the inline frame's growing may move it under the pointer.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("cancel").click(), true`)); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, ctx, "univapay:closed")
	state, err := chromedp.Run(ctx, chromedp.Poll[string](`document.querySelectorAll("iframe").length === 0 && calls.join(",")`,
		chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil || state != "closed" {
		t.Fatalf("after close(): %q, %v; want no iframe and the closed callback", state, err)
	}
	if got := withoutValidation(events(t, ctx)); got != "opened,closed" {
		t.Fatalf("events = %s", got)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`checkout.open(), true`)); err != nil {
		t.Fatal(err)
	}
	if n, err := chromedp.Run(ctx, chromedp.Poll[int](`document.querySelectorAll("#card-slot iframe").length`, chromedp.WithPollingTimeout(5*time.Second))); err != nil || n != 1 {
		t.Fatalf("open() after close(): %d iframes, %v", n, err)
	}
}

// The inline style parameters reach the elements of the inline form they
// name (docs/widget.md, "Inline styles").
func TestParamsInlineStyles(t *testing.T) {
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(env.pages+"/params-inline-styles.html")); err != nil {
		t.Fatal(err)
	}
	fctx := widgetFrame(t, ctx)
	computed := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(fctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	got, err := chromedp.Run(fctx, chromedp.Poll[string](`document.querySelector(".kessai-field-cardNumber") && (function () {
		var cs = function (sel, p) { return getComputedStyle(document.querySelector(sel))[p]; };
		return [cs(".kessai-field-cardNumber", "marginBottom"), cs("label.control-label", "color"),
			cs("span.input-group", "paddingLeft")].join("|"); })()`, chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil || got != "31px|rgb(200, 0, 0)|7px" {
		t.Fatalf("styles = %q, %v", got, err)
	}
	// Focus, then leave the card number empty and invalid.
	if err := chromedp.Do(fctx, chromedp.SendKeys(chromedp.CSS(`input[name="data.cardNumber"]`), "4242")); err != nil {
		t.Fatal(err)
	}
	if got := computed(`getComputedStyle(document.querySelector(".input-group-focus")).outlineColor`); got != "rgb(0, 128, 0)" {
		t.Fatalf("focus style = %q", got)
	}
	if err := chromedp.Do(fctx, chromedp.Focus(chromedp.CSS(`input[name="data.exp"]`))); err != nil {
		t.Fatal(err)
	}
	got, err = chromedp.Run(fctx, chromedp.Poll[string](`document.querySelector("#cardNumber[aria-invalid=true]") &&
		getComputedStyle(document.querySelector("#cardNumber")).backgroundColor + "|" + getComputedStyle(document.querySelector("#cardNumber-error")).color`,
		chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil || got != "rgb(255, 200, 200)|rgb(0, 0, 200)" {
		t.Fatalf("invalid styles = %q, %v", got, err)
	}
	screenshot(t, ctx, "params-inline-styles")
}

// The launch button's parameters (docs/widget-parameters.md, "Launch button
// and display"): text, size, class, hover style and style; after a success,
// autoClose closes the popup by itself and removeCheckoutButtonAfterCharge
// removes that button, not the page's other one.
func TestParamsLaunchButton(t *testing.T) {
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(env.pages+"/params-button.html"),
		chromedp.WaitVisible(chromedp.CSS("#first button")), chromedp.WaitVisible(chromedp.CSS("#second button"))); err != nil {
		t.Fatal(err)
	}
	js := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}
	const first, second = `document.querySelector("#first button")`, `document.querySelector("#second button")`
	if got := js(first + `.textContent`); got != "Buy now" {
		t.Errorf("text = %q, want data-text", got)
	}
	if got := js(first + `.className`); got != "univapay-payment-checkout shop-pay wide" {
		t.Errorf("class = %q, want data-class after univapay-payment-checkout", got)
	}
	if got, small := js(`getComputedStyle(`+first+`).fontSize`), js(`getComputedStyle(`+second+`).fontSize`); got != "18px" || small == got {
		t.Errorf("font size of data-size=large = %s (the other button's %s), want 18px", got, small)
	}
	if got := js(`getComputedStyle(` + second + `).backgroundColor`); got != "rgb(10, 20, 30)" {
		t.Errorf("data-style background = %s", got)
	}
	before := js(`getComputedStyle(` + first + `).backgroundColor`)
	hover := js(first + `.dispatchEvent(new MouseEvent("mouseenter")), getComputedStyle(` + first + `).backgroundColor`)
	after := js(first + `.dispatchEvent(new MouseEvent("mouseleave")), getComputedStyle(` + first + `).backgroundColor`)
	if hover != "rgb(0, 0, 128)" || before == hover || after != before {
		t.Errorf("background before, over and after the pointer: %s, %s, %s; want data-hover-style only while over", before, hover, after)
	}
	screenshot(t, ctx, "params-button")

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#first button"))); err != nil {
		t.Fatal(err)
	}
	fctx := widgetFrame(t, ctx)
	fillCard(t, fctx, "4000020000000000")
	pay(t, ctx, fctx, "#kessai-done")
	waitEvent(t, ctx, "univapay:closed") // autoClose: nobody pressed done
	if got := withoutValidation(events(t, ctx)); got != "opened,token-created,charge-created,success,closed" {
		t.Fatalf("events = %s", got)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!document.querySelector("#first button") && !!document.querySelector("#second button")`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("after the success, want the first button removed and the second kept: %v", err)
	}
}
