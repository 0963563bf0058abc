package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"kessai/api"
	"kessai/widget"
)

// pageHTML renders a link form page of the settings and the query on a
// screen, natively.
func pageHTML(t *testing.T, settings api.LinkFormSettings, query string, setup func(c *checkout)) string {
	t.Helper()
	q, _ := url.ParseQuery(query)
	lf, ps := widget.ParseLinkForm(settings, q)
	if errs := append(ps, lf.LinkProblems(lf.Options.Validate())...).Errors(); len(errs) > 0 {
		t.Fatal(errs)
	}
	c := &checkout{opts: lf.Options, loc: widget.LocaleEN, info: api.CheckoutInfo{Name: "Shop", Mode: "test"},
		screen: screenForm, touched: map[string]bool{}, page: &linkPage{formID: "f", form: lf}, init: widget.Init{Mode: modePage}}
	c.in = widget.Prefill(lf.Options)
	if setup != nil {
		setup(c)
	}
	return app.HTMLString(c.Render())
}

func TestLinkFormPageRender(t *testing.T) {
	dark := api.DefaultLinkFormSettings()
	dark.Theme.Mode, dark.Theme.ButtonColor, dark.Theme.HeaderColor = "dark", "#e0457b", "not-a-colour"
	hidden := api.DefaultLinkFormSettings()
	hidden.Theme.ShowStoreName = false
	failed := widget.Outcome{Stage: widget.StageCharge, Code: "309", Message: "declined", Retry: true}
	for _, c := range []struct {
		name      string
		settings  api.LinkFormSettings
		query     string
		setup     func(c *checkout)
		want, not []string
	}{
		{"the form, titled with the store", api.DefaultLinkFormSettings(), "appId=a&amount=1000", nil,
			[]string{`class="kessai kessai-page"`, `id="kessai-title"`, ">Shop<", "¥1,000", `id="kessai-pay"`, `name="email"`},
			[]string{"kessai-close", "kessai-dark", "kessai-page-qr", "kessai-return", "kessai-proof"}},
		{"the settings' theme; a bad colour never reaches the style", dark, "appId=a&amount=1000", nil,
			[]string{"kessai-dark", "--kessai-main:#e0457b"}, []string{"not-a-colour"}},
		{"no store name when the theme hides it", hidden, "appId=a&amount=1000", nil, []string{">UnivaPay<"}, []string{">Shop<"}},
		{"hidePrefilledEmail hides the e-mail given", api.DefaultLinkFormSettings(), "appId=a&amount=1000&emailAddress=a%40example.com&hidePrefilledEmail=true",
			nil, nil, []string{`name="email"`}},
		{"checkout=qr shows the QR code", api.DefaultLinkFormSettings(), "appId=a&checkout=qr", nil, []string{`class="kessai-page-qr"`, "/qr.svg?"}, nil},
		{"after a decline: retry and the way back, no close button", api.DefaultLinkFormSettings(),
			"appId=a&amount=1000&failureRedirectUrl=https%3A%2F%2Fshop.example%2Fsorry",
			func(c *checkout) {
				c.screen, c.outcome = screenFailure, &failed
				c.pageOutcome(failed)
			},
			[]string{`id="kessai-retry"`, `id="kessai-return"`, `href="https://shop.example/sorry"`, `class="kessai-secondary"`, `class="kessai-proof"`},
			[]string{">Close<"}},
		{"a decline without a failure URL has no way back", api.DefaultLinkFormSettings(), "appId=a&amount=1000",
			func(c *checkout) {
				c.screen, c.outcome = screenFailure, &failed
				c.pageOutcome(failed)
			},
			[]string{`id="kessai-retry"`}, []string{"kessai-return"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			html := pageHTML(t, c.settings, c.query, c.setup)
			for _, w := range c.want {
				if !strings.Contains(html, w) {
					t.Errorf("missing %s in\n%s", w, html)
				}
			}
			for _, n := range c.not {
				if strings.Contains(html, n) {
					t.Errorf("unexpected %s in\n%s", n, html)
				}
			}
		})
	}
}
