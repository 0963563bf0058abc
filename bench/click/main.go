// Command click measures click to interactive (docs/performance.md, "Click
// to interactive"): the time from the buyer's click on a launch button to a
// visible, enabled card-number input in the checkout iframe, for Kessai's
// widget and for a plain static HTML card form in a cross-origin iframe
// opened the same way by a ten-line loader, in the same headless Chromium.
//
//	go run ./bench/click -bin bin/kessai [-n 20]
//
// prewarmed: one browser; the page was visited before (HTTP cache and code
// cache warm), is loaded again and left idle 2 s, then clicked.
// cold: a new browser with an empty profile per open, clicked at
// DOMContentLoaded (as soon as the button exists).
//
// Both sides are timed by the same script, injected into every frame: the
// merchant page notes performance.timeOrigin+now() at the click (capture
// phase, before the loader's handler), the iframe notes it on the first
// animation frame where its card-number input is visible and enabled. The
// browser runs without site isolation so that the script reaches the
// iframe; both sides pay the same.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	kserve "kessai/internal/serve"
	"net"
	"net/http"
	"os"
	"sort"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// probe runs in every frame before its scripts.
const probe = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  if (window === top) {
    window.__click = 0; window.__ready = 0; window.__focused = null;
    addEventListener("click", (e) => { if (!__click && e.target.closest && e.target.closest("button")) __click = now(); }, true);
    addEventListener("message", (e) => { if (e.data && e.data.__bench) { __ready = e.data.t; __focused = e.data.focused; } });
    return;
  }
  const check = () => {
    const el = document.querySelector('input[name="data.cardNumber"]');
    if (el && !el.disabled && el.getClientRects().length && getComputedStyle(el).visibility !== "hidden") {
      top.postMessage({ __bench: 1, t: now(), focused: document.activeElement === el }, "*");
      return;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`

func main() {
	bin := flag.String("bin", "bin/kessai", "the kessai binary")
	n := flag.Int("n", 20, "opens per case")
	flag.Parse()
	if err := run(*bin, *n); err != nil {
		fmt.Fprintln(os.Stderr, "click:", err)
		os.Exit(1)
	}
}

func run(bin string, n int) error {
	srv, err := startKessai(bin)
	if err != nil {
		return err
	}
	defer srv.stop()
	plain, err := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, plainForm)
	}), "localhost")
	if err != nil {
		return err
	}
	shop, err := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/plain" {
			fmt.Fprintf(w, plainPage, plain)
			return
		}
		fmt.Fprintf(w, widgetPage, srv.widget, srv.jwt)
	}), "127.0.0.1")
	if err != nil {
		return err
	}

	type result struct{ widget, plain []float64 }
	cases := []struct {
		name string
		fn   func(url string, n int) ([]float64, error)
	}{{"prewarmed", prewarmed}, {"cold", cold}}
	budgets := map[string]float64{"prewarmed": 1.2, "cold": 2}
	fmt.Printf("click to interactive, %d opens per case (ms)\n", n)
	fmt.Printf("%-10s %-7s %8s %8s\n", "case", "form", "median", "p90")
	for _, c := range cases {
		var r result
		if r.widget, err = c.fn(shop+"/widget", n); err != nil {
			return fmt.Errorf("%s widget: %w", c.name, err)
		}
		if r.plain, err = c.fn(shop+"/plain", n); err != nil {
			return fmt.Errorf("%s plain: %w", c.name, err)
		}
		wm, wp := stats(r.widget)
		pm, pp := stats(r.plain)
		fmt.Printf("%-10s %-7s %8.0f %8.0f\n", c.name, "kessai", wm, wp)
		fmt.Printf("%-10s %-7s %8.0f %8.0f\n", c.name, "plain", pm, pp)
		verdict := "ok"
		if wm/pm > budgets[c.name] {
			verdict = "OVER"
		}
		fmt.Printf("%-10s ratio median %.2f, p90 %.2f (budget %.1f: %s)\n", c.name, wm/pm, wp/pp, budgets[c.name], verdict)
	}
	return nil
}

func stats(ms []float64) (median, p90 float64) {
	s := append([]float64(nil), ms...)
	sort.Float64s(s)
	return s[len(s)/2], s[(len(s)*9)/10-boolInt(len(s)%10 == 0)]
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// browser starts a headless Chromium with a fresh profile.
func browser() (context.Context, func(), error) {
	dir, err := os.MkdirTemp("", "kessai-click-")
	if err != nil {
		return nil, nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-site-isolation-trials", true),
		chromedp.Flag("disable-features", "IsolateOrigins,site-per-process"),
		chromedp.WindowSize(1000, 800),
		chromedp.UserDataDir(dir),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	stop := func() { cancel(); acancel(); os.RemoveAll(dir) }
	if err := chromedp.Do(ctx); err != nil {
		stop()
		return nil, nil, err
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: probe}); err != nil {
		stop()
		return nil, nil, err
	}
	return ctx, stop, nil
}

// open clicks the launch button and returns the milliseconds until the card
// number input was ready.
func open(ctx context.Context) (float64, error) {
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("button.univapay-payment-checkout"))); err != nil {
		return 0, err
	}
	ms, err := chromedp.Run(ctx, chromedp.Poll[float64](`__ready && __click ? __ready - __click : 0`, chromedp.WithPollingTimeout(30*time.Second), chromedp.WithPollingInterval(20*time.Millisecond)))
	if err != nil {
		return 0, fmt.Errorf("the card input never became ready: %w", err)
	}
	return ms, nil
}

func prewarmed(url string, n int) ([]float64, error) {
	ctx, stop, err := browser()
	if err != nil {
		return nil, err
	}
	defer stop()
	// The first visit fills the caches.
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return nil, err
	}
	if _, err := open(ctx); err != nil {
		return nil, err
	}
	var out []float64
	for range n {
		if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.Sleep(2*time.Second)); err != nil {
			return nil, err
		}
		ms, err := open(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, ms)
	}
	return out, nil
}

func cold(url string, n int) ([]float64, error) {
	var out []float64
	for range n {
		ms, err := func() (float64, error) {
			ctx, stop, err := browser()
			if err != nil {
				return 0, err
			}
			defer stop()
			// chromedp.Navigate waits for the load event; Page.navigate
			// returns at once, and the click comes as soon as the button
			// exists (DOMContentLoaded).
			if _, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: url}); err != nil {
				return 0, err
			}
			if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS("button.univapay-payment-checkout"))); err != nil {
				return 0, err
			}
			return open(ctx)
		}()
		if err != nil {
			return nil, err
		}
		out = append(out, ms)
	}
	return out, nil
}

const widgetPage = `<!doctype html><html><head><meta charset="utf-8"><title>shop</title>
<script src="%s/client/checkout.js"></script></head><body><form>
<span data-app-id="%s" data-checkout="payment" data-amount="1000" data-currency="jpy"></span></form></body></html>`

// plainPage opens plainForm the way the loader opens the widget: a button
// at DOMContentLoaded, an iframe made on pointerenter or click, shown on
// click.
const plainPage = `<!doctype html><html><head><meta charset="utf-8"><title>shop</title><script>
document.addEventListener("DOMContentLoaded", () => {
  const b = document.createElement("button"), src = "%s/";
  let f = null;
  b.type = "button"; b.className = "univapay-payment-checkout"; b.textContent = "Pay";
  const make = () => { if (!f) { f = document.createElement("iframe"); f.src = src;
    f.style.cssText = "display:none;position:fixed;top:0;left:0;width:100%%;height:100%%;border:0";
    document.body.appendChild(f); } };
  b.addEventListener("pointerenter", make);
  b.addEventListener("click", () => { make(); f.style.display = "block"; f.focus(); });
  document.querySelector("form").appendChild(b);
});
</script></head><body><form></form></body></html>`

const plainForm = `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>card</title>
<style>body{font-family:sans-serif;background:rgba(0,0,0,.4);margin:0}form{background:#fff;max-width:380px;margin:40px auto;padding:20px;border-radius:8px}
label{display:block;margin:8px 0 4px}input{width:100%;padding:8px;box-sizing:border-box}</style></head><body>
<form><label for="cardNumber">Card number</label><input id="cardNumber" name="data.cardNumber" autocomplete="cc-number" inputmode="numeric" autofocus>
<label for="exp">Expiry</label><input id="exp" name="data.exp" autocomplete="cc-exp">
<label for="cvv">CVV</label><input id="cvv" name="data.cvv" type="password" autocomplete="cc-csc">
<label for="name">Name</label><input id="name" name="data.cardholder" autocomplete="cc-name">
<button>Pay</button></form></body></html>`

// kessai is a running `kessai serve` with its demo app token.
type kessai struct {
	widget, jwt string
	stop        func()
}

func startKessai(bin string) (*kessai, error) {
	p, err := kserve.Start(bin, kserve.Options{Args: []string{"--limits=off"}, Demo: true})
	if err != nil {
		return nil, err
	}
	return &kessai{widget: p.URL, jwt: p.JWT, stop: p.Stop}, nil
}

// serve serves h on a free port of 127.0.0.1, and returns its URL under
// host (localhost is another site than 127.0.0.1).
func serve(h http.Handler, host string) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go http.Serve(ln, h)
	return fmt.Sprintf("http://%s:%d", host, ln.Addr().(*net.TCPAddr).Port), nil
}
