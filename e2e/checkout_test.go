package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// received reads the form fields the example shop's result page shows.
func received(t *testing.T, ctx context.Context) map[string]string {
	t.Helper()
	m, err := pollAcrossNavigation[map[string]string](ctx, `(function(){
	  var rows = document.querySelectorAll("#received tr"); if (!rows.length) return null;
	  var m = {}; rows.forEach(function(r){ var th = r.querySelector("th"), td = r.querySelector("td"); if (th) m[th.textContent] = td.textContent; });
	  return m; })()`)
	if err != nil {
		t.Fatalf("result page: %v", err)
	}
	return m
}

func TestHTMLModePaysByCard(t *testing.T) {
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(env.shop+"/examples/html.html"),
		chromedp.WaitVisible(chromedp.CSS("span[data-app-id] button"))); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("span[data-app-id] button")))
	if err != nil || text != "カードで支払う" {
		t.Fatalf("launch button text = %q, %v; want the data-txt value", text, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("span[data-app-id] button"))); err != nil {
		t.Fatal(err)
	}
	fctx := widgetFrame(t, ctx)
	fillCard(t, fctx, "4000020000000000")
	assertNoCardInPage(t, ctx)
	screenshot(t, ctx, "html-filled")
	pay(t, ctx, fctx, "#kessai-done")
	screenshot(t, ctx, "html-success")
	waitEvent(t, ctx, "univapay:success")
	if err := chromedp.Do(fctx, chromedp.Click(chromedp.ID("kessai-done"))); err != nil {
		t.Fatal(err)
	}
	got := received(t, ctx) // data-auto-submit: the form went to the shop's back end
	screenshot(t, ctx, "html-result")
	if got["univapayChargeId"] == "" || got["univapayTokenId"] == "" {
		t.Fatalf("form received %v, want univapayChargeId and univapayTokenId", got)
	}
	if ch := apiCharge(t, got["univapayChargeId"]); ch.Status != "successful" || ch.RequestedAmount != 1000 {
		t.Fatalf("charge = %s %d, want successful 1000", ch.Status, ch.RequestedAmount)
	}
	evs := events(t, ctx)
	if got, want := withoutValidation(evs), "opened,token-created,charge-created,success,closed"; got != want {
		t.Fatalf("events = %s, want %s", got, want)
	}
}

func withoutValidation(evs []event) string {
	var keep []event
	for _, e := range evs {
		if e.Type != "univapay:validation-error" {
			keep = append(keep, e)
		}
	}
	return eventTypes(keep)
}

func TestJSModePaysByCard(t *testing.T) {
	ctx, fctx := openPopup(t, env.shop+"/examples/js.html", "#open-checkout")
	fillCard(t, fctx, "4000020000000000")
	pay(t, ctx, fctx, "#kessai-done")
	// onSuccess read result.response.id, as merchant code does.
	msg, err := chromedp.Run(ctx, chromedp.Poll[string](`document.getElementById("message").textContent`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !strings.Contains(msg, "お支払いが完了しました (") {
		t.Fatalf("onSuccess message = %q, %v", msg, err)
	}
	if err := chromedp.Do(fctx, chromedp.Click(chromedp.ID("kessai-done"))); err != nil {
		t.Fatal(err)
	}
	got := received(t, ctx) // closed() submitted the form
	id := got["univapayChargeId"]
	if id == "" || got["univapayTokenId"] == "" || !strings.Contains(msg, id) {
		t.Fatalf("form received %v; onSuccess said %q", got, msg)
	}
	if ch := apiCharge(t, id); ch.Status != "successful" {
		t.Fatalf("charge status = %s, want successful", ch.Status)
	}
	if got, want := withoutValidation(events(t, ctx)), "opened,token-created,charge-created,success,closed"; got != want {
		t.Fatalf("events = %s, want %s", got, want)
	}
}

func TestInlineModePaysByCard(t *testing.T) {
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(env.shop+"/examples/inline.html"),
		chromedp.WaitReady(chromedp.CSS(`#checkout iframe[name="univapay-checkout-connector"]`))); err != nil {
		t.Fatal(err)
	}
	fctx := widgetFrame(t, ctx)
	fillCard(t, fctx, "4000020000000000")
	screenshot(t, ctx, "inline-filled")
	assertNoCardInPage(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("pay"))); err != nil {
		t.Fatal(err)
	}
	got := received(t, ctx) // submit() resolved, then the page submitted its form
	if got["univapayChargeId"] == "" || got["univapayTokenId"] == "" {
		t.Fatalf("form received %v, want univapayChargeId and univapayTokenId", got)
	}
	if ch := apiCharge(t, got["univapayChargeId"]); ch.Status != "successful" {
		t.Fatalf("charge status = %s, want successful", ch.Status)
	}
	if got, want := withoutValidation(events(t, ctx)), "opened,token-created,charge-created,success"; got != want {
		t.Fatalf("events = %s, want %s", got, want)
	}
}

func TestDeclinedCardShowsErrorAndCanRetry(t *testing.T) {
	ctx, fctx := openPopup(t, env.shop+"/examples/html.html", "span[data-app-id] button")
	fillCard(t, fctx, "4111111111111111")
	pay(t, ctx, fctx, "#kessai-retry")
	screenshot(t, ctx, "declined")
	waitEvent(t, ctx, "univapay:error")
	var detail struct {
		Code     string `json:"code"`
		ChargeID string `json:"chargeId"`
		Error    struct {
			Error struct{ Message string } `json:"error"`
		} `json:"error"`
	}
	lastDetail(t, ctx, "univapay:error", &detail)
	if detail.Code != "309" || detail.ChargeID == "" || detail.Error.Error.Message == "" {
		t.Fatalf("error detail = %+v, want code 309, the charge id and error.error.message", detail)
	}
	if ch := apiCharge(t, detail.ChargeID); ch.Status != "failed" {
		t.Fatalf("declined charge status = %s, want failed", ch.Status)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#shop-form input[type="hidden"]').length`))
	if err != nil || n != 0 {
		t.Fatalf("hidden inputs after a decline = %d, %v; want none", n, err)
	}
	// The buyer tries again with another card in the same form.
	if err := chromedp.Do(fctx, chromedp.Click(chromedp.ID("kessai-retry"))); err != nil {
		t.Fatal(err)
	}
	num := chromedp.CSS(`input[name="data.cardNumber"]`)
	// Clear the field as a select-all + delete would.
	if err := chromedp.Do(fctx, chromedp.WaitVisible(num)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(fctx, chromedp.Evaluate[bool](`(function(){ var i = document.querySelector('input[name="data.cardNumber"]');
	  i.value = ""; i.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(fctx, chromedp.WaitVisible(num), chromedp.SendKeys(num, "4000020000000000"),
		chromedp.SendKeys(chromedp.CSS(`input[name="data.cvv"]`), "123"),
		chromedp.Click(chromedp.ID("kessai-pay")), chromedp.WaitVisible(chromedp.ID("kessai-done"))); err != nil {
		t.Fatalf("retry: %v (events %s)", err, eventTypes(events(t, ctx)))
	}
	if err := chromedp.Do(fctx, chromedp.Click(chromedp.ID("kessai-done"))); err != nil {
		t.Fatal(err)
	}
	if got := received(t, ctx); got["univapayChargeId"] == "" {
		t.Fatalf("form received %v after the retry", got)
	}
}

func TestTokenCheckoutCreatesOnlyAToken(t *testing.T) {
	ctx, fctx := openPopup(t, env.shop+"/examples/token.html", "span[data-app-id] button")
	fillCard(t, fctx, "4000020000000000")
	pay(t, ctx, fctx, "#kessai-done")
	if err := chromedp.Do(fctx, chromedp.Click(chromedp.ID("kessai-done"))); err != nil {
		t.Fatal(err)
	}
	got := received(t, ctx)
	if got["univapayTokenId"] == "" || got["univapayChargeId"] != "" {
		t.Fatalf("form received %v, want univapayTokenId only", got)
	}
	if got, want := withoutValidation(events(t, ctx)), "opened,token-created,success,closed"; got != want {
		t.Fatalf("events = %s, want %s", got, want)
	}
}

func TestSpanInsertedLaterGetsItsButton(t *testing.T) {
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(env.pages+"/late.html")); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Poll[string](`(document.querySelector("#slot span button") || {}).textContent`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || text != "Late button" {
		t.Fatalf("late span button = %q, %v", text, err)
	}
	// Its iframe comes with the buyer's intent (here the keyboard focus).
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#slot button").length + document.querySelectorAll("iframe").length * 10`))
	if err != nil || n != 1 {
		t.Fatalf("buttons + 10*iframes = %d, %v; want one button and no iframe before intent", n, err)
	}
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS("#slot span button"))); err != nil {
		t.Fatal(err)
	}
	n, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#slot button").length + document.querySelectorAll("iframe").length * 10`))
	if err != nil || n != 11 {
		t.Fatalf("buttons + 10*iframes = %d, %v; want one button and one iframe", n, err)
	}
	// Removing the span tears its iframe down.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#slot span").remove() || true`)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll("iframe").length === 0`, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("iframe of a removed span still there: %v", err)
	}
}

func TestUnregisteredDomainCannotRenderWidget(t *testing.T) {
	ctx := newTab(t)
	// The frame is made, and found blocked, when the buyer shows intent.
	if err := chromedp.Do(ctx, chromedp.Navigate(env.stranger+"/plain.html"), chromedp.Click(chromedp.CSS("span button"))); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, ctx, "univapay:error")
	var detail struct {
		Code, Stage string
		Error       struct {
			Error struct{ Message string } `json:"error"`
		} `json:"error"`
	}
	lastDetail(t, ctx, "univapay:error", &detail)
	if detail.Code != "INVALID_DOMAIN" || detail.Stage != "config" || detail.Error.Error.Message == "" {
		t.Fatalf("error detail = %+v, want INVALID_DOMAIN at stage config with error.error.message", detail)
	}
	state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelectorAll("iframe").length + ":" + document.querySelector("span button").disabled`))
	if err != nil || state != "0:true" {
		t.Fatalf("iframes:buttonDisabled = %q, %v; want the iframe gone and the button disabled", state, err)
	}
	// The API refuses the same page's origin too.
	req, _ := http.NewRequest("GET", env.widget+"/checkout_info", nil)
	req.Header.Set("Authorization", "Bearer "+env.jwt)
	req.Header.Set("Origin", env.stranger)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("checkout_info from %s = %d, want 401", env.stranger, resp.StatusCode)
	}
}

func TestInlineValidationErrorsReachBuyerAndMerchant(t *testing.T) {
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(env.shop+"/examples/inline.html")); err != nil {
		t.Fatal(err)
	}
	fctx := widgetFrame(t, ctx)
	fillCard(t, fctx, "4000020000000001") // fails the Luhn check
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("pay"))); err != nil {
		t.Fatal(err)
	}
	// The merchant page's catch() shows the rejection's message.
	msg, err := chromedp.Run(ctx, chromedp.Poll[string](`document.getElementById("message").textContent`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !strings.HasPrefix(msg, "エラー: ") || len(msg) < len("エラー: ")+5 {
		t.Fatalf("merchant message = %q, %v", msg, err)
	}
	waitEvent(t, ctx, "univapay:validation-error")
	var last map[string]string
	lastDetail(t, ctx, "univapay:validation-error", &last)
	if len(last) != 1 || last["cardNumber"] != "invalid_card_number" {
		t.Fatalf("validation-error detail = %v, want only cardNumber: invalid_card_number", last)
	}
	// The buyer sees the error next to the field, linked for screen readers.
	state, err := chromedp.Run(fctx, chromedp.Evaluate[string](`(function(){
	  var i = document.querySelector('input[name="data.cardNumber"]');
	  var e = document.getElementById(i.getAttribute("aria-describedby"));
	  return i.getAttribute("aria-invalid") + "|" + e.textContent + "|" + (document.activeElement === i);
	})()`))
	if err != nil || !strings.HasPrefix(state, "true|") || strings.HasPrefix(state, "true||") || !strings.HasSuffix(state, "|true") {
		t.Fatalf("field state (aria-invalid|error text|focused) = %q, %v", state, err)
	}
	screenshot(t, ctx, "inline-validation")
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[type="hidden"]').length`)); n != 0 {
		t.Fatalf("%d hidden inputs after a validation error", n)
	}
	if evs := withoutValidation(events(t, ctx)); strings.Contains(evs, "token-created") {
		t.Fatalf("a token was created despite the invalid number: %s", evs)
	}
}

// assertNoCardInPage checks that the card number typed in the iframe is
// nowhere in the merchant page: not in its DOM, not in its inputs' values.
func assertNoCardInPage(t *testing.T, ctx context.Context) {
	t.Helper()
	page, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML + "|" +
	  Array.prototype.map.call(document.querySelectorAll("input"), function(i){ return i.value; }).join("|")`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(page, "4000020000000000") || strings.Contains(page, "0000000") {
		t.Fatal("the card number reached the merchant page")
	}
}

// A page that calls create({inline: true}).open() and waits for onSuccess
// without ever calling submit() (WooCommerce's pay-for-order page) gets a
// frame with its own pay button.
func TestJSInlineFrameHasItsOwnPayButton(t *testing.T) {
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(env.pages+"/jsinline.html"),
		chromedp.WaitReady(chromedp.CSS(`#card-slot iframe[name="univapay-checkout-connector"]`))); err != nil {
		t.Fatal(err)
	}
	fctx := widgetFrame(t, ctx)
	fillCard(t, fctx, "4000020000000000")
	if err := chromedp.Do(fctx, chromedp.Click(chromedp.ID("kessai-pay"))); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Poll[[]string](`results.length === 2 && results`, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		t.Fatalf("callbacks: %v (events %s)", err, eventTypes(events(t, ctx)))
	}
	if !strings.HasPrefix(got[0], "token:") || !strings.HasPrefix(got[1], "success:") || !strings.HasSuffix(got[1], ":card") {
		t.Fatalf("callbacks = %v, want token:<id> then success:<charge id>:card", got)
	}
	chargeID := strings.Split(got[1], ":")[1]
	inputs, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new URLSearchParams(new FormData(document.getElementById("order"))).toString()`))
	if err != nil || strings.Count(inputs, "univapayChargeId=") != 1 || !strings.Contains(inputs, "univapayChargeId="+chargeID) {
		t.Fatalf("form %q, %v; want one univapayChargeId=%s (the stale one replaced) in the form option's form", inputs, err, chargeID)
	}
	if ch := apiCharge(t, chargeID); ch.Status != "successful" || ch.RequestedAmount != 1000 {
		t.Fatalf("charge = %s %d, want successful 1000 (amount given as \"1000.00\")", ch.Status, ch.RequestedAmount)
	}
}

// checkout.close() closes the popup; opened and closed callbacks run, and
// the form speaks the locale the merchant asked for.
func TestJSPopupCloseAndLocale(t *testing.T) {
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(env.pages+"/jspopup.html"), chromedp.WaitVisible(chromedp.ID("open")),
		chromedp.Click(chromedp.ID("open"))); err != nil {
		t.Fatal(err)
	}
	fctx := widgetFrame(t, ctx)
	label, err := chromedp.Run(fctx, chromedp.Text(chromedp.ID("kessai-pay")))
	if err != nil || label != "支払う" {
		t.Fatalf("pay button = %q, %v; want the Japanese default 支払う", label, err)
	}
	screenshot(t, ctx, "js-popup-ja")
	// The dialog is modal: Tab from its last control wraps to its first.
	if _, err := chromedp.Run(fctx, chromedp.Evaluate[bool](`document.getElementById("kessai-pay").focus() || true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(fctx, chromedp.KeyEvent("\t")); err != nil {
		t.Fatal(err)
	}
	focused, err := chromedp.Run(fctx, chromedp.Evaluate[string](`document.activeElement.className`))
	if err != nil || focused != "kessai-close" {
		t.Fatalf("after Tab on the last control, focus is on %q, %v; want the close button", focused, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`checkout.close() || true`)); err != nil {
		t.Fatal(err)
	}
	calls, err := chromedp.Run(ctx, chromedp.Poll[string](`calls.length === 2 && calls.join(",")`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || calls != "opened,closed" {
		t.Fatalf("callbacks = %q, %v; want opened,closed", calls, err)
	}
	hidden, err := chromedp.Run(ctx, chromedp.Poll[bool](`getComputedStyle(document.querySelector("iframe")).display === "none"`, chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil || !hidden {
		t.Fatalf("popup still shown after close(): %v", err)
	}
}

// openPopup opens a merchant page, clicks the element that opens the
// checkout and returns the tab and the ready widget frame.
func openPopup(t *testing.T, url, launcher string) (ctx, fctx context.Context) {
	t.Helper()
	ctx = newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(launcher)), chromedp.Click(chromedp.CSS(launcher))); err != nil {
		t.Fatal(err)
	}
	return ctx, widgetFrame(t, ctx)
}

// pay presses the widget's pay button and waits for the screen that shows
// next (the success screen's #kessai-done, the failure screen's
// #kessai-retry).
func pay(t *testing.T, ctx, fctx context.Context, next string) {
	t.Helper()
	if err := chromedp.Do(fctx, chromedp.Click(chromedp.ID("kessai-pay")), chromedp.WaitVisible(chromedp.CSS(next))); err != nil {
		t.Fatalf("after pay, no %s: %v (events %s)", next, err, eventTypes(events(t, ctx)))
	}
}

// A page of many launch buttons starts one checkout app, not one per
// button; the others start when the buyer reaches for them, and work.
func TestManyButtonsStartTheirFramesOnDemand(t *testing.T) {
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(env.pages+"/many.html"), chromedp.WaitVisible(chromedp.CSS("#item-2 button"))); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("iframe").length`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Nothing is requested from the widget before the buyer shows intent
	// (docs/performance.md, "Loader").
	if n := count(); n != 0 {
		t.Fatalf("%d iframes for 3 buttons at load, want 0", n)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#item-2 button"))); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 {
		t.Fatalf("%d iframes after clicking the third button, want 1", n)
	}
	// The frame created on the click is the one that opens.
	tab := chromedp.FromContext(ctx).Target.TargetID
	var newest string
	for deadline := time.Now().Add(20 * time.Second); newest == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		infos, _ := chromedp.Targets(ctx)
		for _, in := range infos {
			if in.Type == "iframe" && in.ParentID == tab && strings.Contains(in.URL, "cid=uc3") {
				newest = string(in.TargetID)
			}
		}
	}
	if newest == "" {
		t.Fatal("no iframe target for the third button")
	}
	fctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(target.ID(newest)))
	defer cancel()
	if _, err := chromedp.Run(fctx, chromedp.Poll[bool](`document.documentElement.dataset.ready === "1"`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatal(err)
	}
	amount, err := chromedp.Run(fctx, chromedp.Poll[string](`(document.querySelector(".kessai-amount") || {}).textContent`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !strings.Contains(amount, "1,500") {
		t.Fatalf("amount shown = %q, %v; want the third button's 1,500", amount, err)
	}
	fillCard(t, fctx, "4000020000000000")
	pay(t, ctx, fctx, "#kessai-done")
	inputs, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new URLSearchParams(new FormData(document.getElementById("item-2"))).toString()`))
	if err != nil || !strings.Contains(inputs, "univapayChargeId=") {
		t.Fatalf("third form = %q, %v; want its charge id", inputs, err)
	}
}
