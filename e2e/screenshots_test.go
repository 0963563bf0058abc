package e2e

import (
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The README's pictures of the form (`make screenshots`): the popup in
// Japanese and in English, on a desktop and on a 360 px wide phone, with
// field errors, on a merchant page of the demo store (whose logo the header
// shows).
var _ = template.Must(testPages.Funcs(template.FuncMap{"shotPage": shotPage}).Parse(`
{{define "shot"}}<!doctype html><html lang="{{.Locale}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Kessai demo shop</title>
<script src="{{.Widget}}/client/checkout.js"></script>
<style>body{font-family:sans-serif;margin:2rem;color:#333} h1{font-size:1.4rem}</style></head><body>
<h1>{{.Heading}}</h1>
<form id="order" action="/done">
<span data-app-id="{{.JWT}}" data-checkout="payment" data-amount="3980" data-currency="jpy" data-locale="{{.Locale}}"
  data-description="{{.Description}}" data-text="{{.Button}}"></span>
</form></body></html>{{end}}
{{define "shot-ja"}}{{template "shot" (shotPage . "ja" "ご注文の確認" "Tシャツ 2点" "カードで支払う")}}{{end}}
{{define "shot-en"}}{{template "shot" (shotPage . "en" "Your order" "2 T-shirts" "Pay by card")}}{{end}}
`))

// shotPage is the page data with the texts of one language.
func shotPage(data map[string]any, locale, heading, description, button string) map[string]any {
	out := map[string]any{"Locale": locale, "Heading": heading, "Description": description, "Button": button}
	for k, v := range data {
		out[k] = v
	}
	return out
}

// TestScreenshots writes form-{ja,en}-{desktop,mobile}.png into the
// directory KESSAI_SCREENSHOTS names (`make screenshots`: docs/img);
// without it (make test) into a temporary directory, so that the pictures
// the README shows can always be made.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("KESSAI_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	viewports := []struct {
		name          string
		width, height int64
		scale         float64
		mobile        bool
	}{
		{"desktop", 1100, 760, 1, false},
		{"mobile", 360, 740, 2, true},
	}
	for _, locale := range []string{"ja", "en"} {
		for _, vp := range viewports {
			t.Run(locale+"-"+vp.name, func(t *testing.T) {
				ctx := newTab(t)
				emulate := []chromedp.EmulateViewportOption{chromedp.EmulateScale(vp.scale)}
				if vp.mobile {
					emulate = append(emulate, chromedp.EmulateMobile)
				}
				launcher := "span[data-app-id] button"
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height, emulate...),
					chromedp.Navigate(env.pages+"/shot-"+locale+".html"), chromedp.WaitVisible(chromedp.CSS(launcher)),
					chromedp.Click(chromedp.CSS(launcher))); err != nil {
					t.Fatal(err)
				}
				fctx := widgetFrame(t, ctx)
				// A buyer's slips: a mistyped card number, an expired card, no
				// security code, an e-mail without its domain; then Pay.
				for _, f := range []struct{ name, value string }{
					{"data.cardNumber", "4000 0200 0000 0001"},
					{"data.exp", "01/20"},
					{"data.cardholder", "TARO YAMADA"},
					{"email", "taro@"},
				} {
					sel := chromedp.CSS(fmt.Sprintf(`input[name=%q]`, f.name))
					if err := chromedp.Do(fctx, chromedp.WaitVisible(sel), chromedp.SendKeys(sel, f.value)); err != nil {
						t.Fatalf("type %s: %v", f.name, err)
					}
				}
				if err := chromedp.Do(fctx, chromedp.Click(chromedp.ID("kessai-pay"))); err != nil {
					t.Fatal(err)
				}
				if _, err := chromedp.Run(fctx, chromedp.Poll[bool](
					`[...document.querySelectorAll(".field-error")].filter(e => e.textContent.trim() !== "").length >= 4`+
						` && [...document.querySelectorAll("img.kessai-logo")].some(i => i.complete && i.naturalWidth > 5)`,
					chromedp.WithPollingTimeout(10*time.Second))); err != nil {
					t.Fatalf("no field errors and logo on the form: %v (%q)", err, widgetText(t, fctx))
				}
				png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "form-"+locale+"-"+vp.name+".png"), png, 0o644); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}
