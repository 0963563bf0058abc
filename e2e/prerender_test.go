package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// frameTarget attaches to the tab's widget iframe without waiting for the
// app (widgetFrame waits for it).
func frameTarget(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	tab := chromedp.FromContext(ctx).Target.TargetID
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			t.Fatalf("targets: %v", err)
		}
		for _, in := range infos {
			if in.Type == "iframe" && in.ParentID == tab && strings.HasPrefix(in.URL, env.widget+"/checkout") {
				fctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(target.ID(in.TargetID)))
				t.Cleanup(cancel)
				return fctx
			}
		}
	}
	t.Fatal("no widget iframe target")
	return nil
}

// usableCard waits until the frame's card-number input is visible and tells
// whether it had the focus then (or within 100 ms, before a buyer can type).
func usableCard(t *testing.T, fctx context.Context) string {
	t.Helper()
	// Usable: present, shown and enabled. Focused: the focus is in it at
	// that moment or within 100 ms after (a few frames, before a buyer can
	// type), which covers the frame's own focus event arriving just after
	// the frame is shown.
	state, err := chromedp.Run(fctx, chromedp.Poll[string](`new Promise((resolve) => {
		const usable = () => { const i = document.querySelector('input[name="data.cardNumber"]'); return i && i.getClientRects().length && !i.disabled ? i : null; };
		const i = usable();
		if (!i) return resolve("");
		const since = performance.now();
		(function check() {
			const j = usable();
			if (j && document.activeElement === j) return resolve("focused");
			if (performance.now() - since > 100) return resolve("not focused");
			requestAnimationFrame(check);
		})();
	})`, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		t.Fatalf("card-number input never usable: %v", err)
	}
	return state
}

// The buyer sees the real form before the app starts, can type into it, and
// what they typed and where they were stay when the app takes over.
func TestPrerenderedFormIsUsableAndKept(t *testing.T) {
	// The wasm usually starts within a few hundred milliseconds: the test
	// slows the iframe's process down 20 times once it exists, and opens
	// again (up to 3 times) when the app was still quicker than the test.
	var ctx, fctx context.Context
	for attempt := 1; ; attempt++ {
		// A browser context of its own: an empty HTTP cache.
		c, cancel := chromedp.NewContext(env.browser, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		c, cancel2 := context.WithTimeout(c, 90*time.Second)
		t.Cleanup(cancel2)
		if _, err := chromedp.Call(c, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recorder}); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(c, chromedp.Navigate(env.shop+"/examples/html.html"), chromedp.Click(chromedp.CSS("span[data-app-id] button"))); err != nil {
			t.Fatal(err)
		}
		fc := frameTarget(t, c)
		if _, err := chromedp.Call(fc, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 20}); err != nil {
			t.Fatal(err)
		}
		if got := usableCard(t, fc); got != "focused" {
			t.Fatalf("card-number input %s when it became usable", got)
		}
		ready, err := chromedp.Run(fc, chromedp.Evaluate[string](`(document.documentElement.dataset.ready || "") + (document.getElementById("kessai-pre") ? "pre" : "")`))
		if err != nil {
			t.Fatal(err)
		}
		if ready == "pre" {
			ctx, fctx = c, fc
			break
		}
		if attempt == 3 {
			t.Fatalf("before typing: ready+pre = %q in 3 opens; want the pre-rendered form and the app not ready", ready)
		}
		cancel()
	}
	// Keys go to the focused card-number input of the pre-rendered form,
	// then to the expiry.
	if err := chromedp.Do(ctx, chromedp.KeyEvent("4000020000000000")); err != nil {
		t.Fatal(err)
	}
	// The app may take over while the keys arrive: what the buyer typed
	// must survive the swap wherever it falls, and the focus stay in
	// the field.
	if _, err := chromedp.Run(fctx, chromedp.Evaluate[bool](`document.querySelector('input[name="data.exp"]').focus() || true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent("12/9")); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "prerendered-typed")
	if _, err := chromedp.Call(fctx, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(fctx, chromedp.Poll[bool](`document.documentElement.dataset.ready === "1"`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("app not ready: %v", err)
	}
	state, err := chromedp.Run(fctx, chromedp.Poll[string](`!document.getElementById("kessai-pre") && document.querySelector(".kessai-dialog input[name='data.cardNumber']") &&
		[document.querySelector("input[name='data.cardNumber']").value, document.querySelector("input[name='data.exp']").value, document.activeElement.name].join("|")`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || state != "4000020000000000|12/9|data.exp" {
		t.Fatalf("after the app took over: card|exp|focused = %q, %v; want the typed values and the focus in the expiry", state, err)
	}
	screenshot(t, ctx, "prerendered-adopted")
	// The buyer finishes typing in the app's form and pays.
	if err := chromedp.Do(fctx, chromedp.SendKeys(chromedp.CSS(`input[name="data.exp"]`), "9"),
		chromedp.SendKeys(chromedp.CSS(`input[name="data.cvv"]`), "123"),
		chromedp.SendKeys(chromedp.CSS(`input[name="data.cardholder"]`), "TARO YAMADA"),
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), "taro@example.com")); err != nil {
		t.Fatal(err)
	}
	pay(t, ctx, fctx, "#kessai-done")
	waitEvent(t, ctx, "univapay:success")
}

// A click at DOMContentLoaded, before the iframe or its form exist: the
// card-number input has the focus when it becomes usable, every time.
func TestEarlyClicksFocusTheCardNumber(t *testing.T) {
	const n = 20
	focused := 0
	for i := range n {
		ctx := newTab(t)
		if err := chromedp.Do(ctx, chromedp.Navigate(env.shop+"/examples/html.html"), chromedp.Click(chromedp.CSS("span[data-app-id] button"))); err != nil {
			t.Fatal(err)
		}
		if got := usableCard(t, frameTarget(t, ctx)); got == "focused" {
			focused++
		} else {
			t.Logf("open %d: card-number input %s when usable", i+1, got)
		}
	}
	if focused != n {
		t.Fatalf("card-number input focused in %d of %d early clicks", focused, n)
	}
}
