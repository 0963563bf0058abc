package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// received reads the form fields the example shop's result page shows.
func received(t *testing.T, ctx context.Context) map[string]string {
	t.Helper()
	m, err := chromedp.Run(ctx, chromedp.Poll[map[string]string](`(function(){
	  var rows = document.querySelectorAll("#received tr"); if (!rows.length) return null;
	  var m = {}; rows.forEach(function(r){ var th = r.querySelector("th"), td = r.querySelector("td"); if (th) m[th.textContent] = td.textContent; });
	  return m; })()`, chromedp.WithPollingTimeout(30*time.Second)))
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
	// The card number typed in the iframe is nowhere in the merchant's DOM.
	html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(html, "4000020000000000") || strings.Contains(html, "0000000") {
		t.Fatal("the card number reached the merchant page's DOM")
	}
	screenshot(t, ctx, "html-filled")
	if err := chromedp.Do(fctx, chromedp.Click(chromedp.ID("kessai-pay"))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(fctx, chromedp.WaitVisible(chromedp.ID("kessai-done"))); err != nil {
		t.Fatalf("no success screen: %v (events %s)", err, eventTypes(events(t, ctx)))
	}
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
