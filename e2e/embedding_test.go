package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// forge posts, from the merchant page itself and from a sandboxed frame
// of another origin inside it, every message the widget iframe could send
// the loader (a success, hidden inputs, a close that submits the form, a
// console line, a huge resize, a submit result), plus malformed ones; and
// from that frame, every message the loader could send the widget iframe
// (submit, close, a second init). The merchant page itself may send those:
// it is the widget's parent.
const forge = `(function () {
  var toLoader = [
    '{"type":"event","name":"univapay:success","callback":"onSuccess","detail":{"chargeId":"forged"}}',
    '{"type":"inputs","fields":{"univapayChargeId":"forged","univapayTokenId":"forged"}}',
    '{"type":"closed","submit":true,"removeFrame":true}',
    '{"type":"console","level":"error","text":"forged"}',
    '{"type":"resize","data":{"height":99999}}',
    '{"type":"result","ok":true,"value":{"chargeId":"forged"}}',
    '{', 'null', '"event"', '{"type":"event"}'
  ];
  var toWidget = [
    '{"type":"submit"}', '{"type":"close"}',
    '{"type":"init","source":"js","mode":"inline","options":{"appId":"forged","amount":1}}'
  ];
  toLoader.forEach(function (m) { window.postMessage(m, "*"); window.postMessage(JSON.parse(JSON.stringify(m)), "*"); });
  var evil = document.createElement("iframe");
  evil.setAttribute("sandbox", "allow-scripts");
  evil.srcdoc = "<script>" +
    "var L=" + JSON.stringify(toLoader) + ", W=" + JSON.stringify(toWidget) + ";" +
    "L.forEach(function(m){ parent.postMessage(m, '*'); });" +
    "W.forEach(function(m){ parent.frames[0].postMessage(m, '*'); });" +
    "parent.postMessage('evil-done', '*');<\/script>";
  window.__evilDone = false;
  window.addEventListener("message", function (e) { if (e.data === "evil-done") window.__evilDone = true; });
  document.body.appendChild(evil);
  return true;
})()`

// Messages that do not come from the widget frame of this page, or not
// from its parent, change nothing (docs/threat-model.md, "Embedding"): no
// event, no hidden input, no form submission, no close, no resize, and the
// widget neither pays nor re-initialises; the real form still works after.
func TestForgedMessagesAreIgnored(t *testing.T) {
	ctx := newTab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(env.shop+"/examples/inline.html")); err != nil {
		t.Fatal(err)
	}
	fctx := widgetFrame(t, ctx)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](forge)); err != nil {
		t.Fatalf("forge: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.__evilDone`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the other-origin frame did not run: %v", err)
	}
	// A real submit, as the sync point: its validation error is the only
	// one, so the forged submit did nothing.
	fillCard(t, fctx, "4000020000000001") // fails the Luhn check
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("pay"))); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, ctx, "univapay:validation-error")
	n := 0
	for _, e := range events(t, ctx) {
		switch e.Type {
		case "univapay:validation-error":
			n++
		case "univapay:success", "univapay:closed", "univapay:token-created", "univapay:charge-created":
			t.Errorf("a forged message raised %s", e.Type)
		}
	}
	if n != 1 {
		t.Errorf("%d validation errors, want the real submit's only", n)
	}
	state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[
	  location.pathname,
	  document.querySelectorAll('iframe[name="univapay-checkout-connector"]').length,
	  document.querySelector('iframe[name="univapay-checkout-connector"]').getBoundingClientRect().height < 5000,
	  Array.prototype.some.call(document.querySelectorAll("input"), function (i) { return i.value === "forged"; })
	].join("|")`))
	if err != nil || state != "/examples/inline.html|1|true|false" {
		t.Fatalf("page state (path|widget frames|height sane|forged input) = %q, %v", state, err)
	}
	// The widget kept its own options: the amount of the page, not the
	// forged init's.
	text, err := chromedp.Run(fctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil || strings.Contains(text, "forged") {
		t.Fatalf("the widget shows %q (%v)", text, err)
	}
}
