package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"kessai/api"
	"kessai/widget"
)

// The link form page (docs/link-forms.md): the same checkout component in
// a full page at /forms/{formId}. Its options come from the page's own
// query merged with the form's settings (widget.ParseLinkForm, the code the
// server checked the query with before serving the page), not from a
// loader's message; after the payment it sends the buyer to the
// merchant's redirect URL instead of firing events.

// redirectDelay is how long the result shows before autoRedirect.
const redirectDelay = 800 * time.Millisecond

// modePage is the checkout's mode on a link form page.
const modePage widget.Mode = "page"

// linkPage is the state of a link form page.
type linkPage struct {
	formID string
	form   widget.LinkForm
	// redirect is where the result screen's button (or autoRedirect) sends
	// the buyer; "" when the outcome has no redirect URL.
	redirect string
	status   widget.RedirectStatus
	// leaving: the page is going to the redirect URL.
	leaving bool
	// title is the document title set last.
	title string
}

// formIDOfPath returns the form ID of a /forms/{formId} path.
func formIDOfPath(path string) string {
	id, ok := strings.CutPrefix(path, "/forms/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return ""
	}
	return id
}

// startPage reads the form's settings, then starts the checkout with the
// options of the page's URL.
func (c *checkout) startPage(ctx app.Context, formID string) {
	c.page = &linkPage{formID: formID}
	c.init.Mode = modePage
	c.screen = screenLoading
	loc := app.Window().Get("location")
	base, search := loc.Get("origin").String(), loc.Get("search").String()
	ctx.Async(func() {
		var settings api.LinkFormSettings
		err := getJSON(ctx, base+"/forms/"+url.PathEscape(formID)+"/settings.json", &settings)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				c.setFatal(ctx, widget.APIFailure(c.loc, widget.StageCheckoutInfo, err))
				return
			}
			query, _ := url.ParseQuery(strings.TrimPrefix(search, "?"))
			lf, ps := widget.ParseLinkForm(settings, query)
			c.page.form = lf
			for _, p := range ps {
				c.post(widget.ConsoleMessage(p))
			}
			if errs := ps.Errors(); len(errs) > 0 {
				c.setFatal(ctx, widget.ConfigError(c.loc, errs))
				return
			}
			c.start(ctx, widget.Init{Type: widget.MsgInit, Source: widget.SourceJS.String(), Options: lf.Raw, Mode: modePage})
			// The buyer pre-fills only link forms have.
			if lf.Cardholder != "" {
				c.in.Cardholder = lf.Cardholder
			}
			if lf.Name != "" {
				c.in.Name = lf.Name
			}
			if lf.PhoneCountry != "" && c.opts.RequirePhoneNumber {
				c.in.PhoneCountry = lf.PhoneCountry
			}
			if c.fatal == nil {
				ctx.Defer(func(app.Context) { focus(widget.FieldCardNumber) })
			}
		})
	})
}

// pageConsole writes a message meant for the merchant page's console to the
// link form page's own console.
func pageConsole(msg any) {
	if m, ok := msg.(widget.Console); ok {
		level := "warn"
		if m.Level == "error" {
			level = "error"
		}
		app.Window().Get("console").Call(level, m.Text)
	}
}

// pageOutcome follows a payment's outcome on a link form page: the
// redirect of its status, at once with autoRedirect (docs/link-forms.md,
// "After the payment").
func (c *checkout) pageOutcome(o widget.Outcome) {
	status, ok := widget.LinkRedirectFor(o)
	if !ok {
		return
	}
	lf := c.page.form
	c.page.status = status
	c.page.redirect = lf.Redirects.URL(status, o.RedirectIDs(), o.RedirectMetadata())
	if c.page.redirect != "" && lf.Redirects.Auto {
		c.page.leaving = true
		c.announce = c.loc.T("page.redirecting")
		target := c.page.redirect
		// A moment to read the result before the page goes. (A browser
		// timer: the context's element, the form, is gone by then.)
		var leave app.Func
		leave = app.FuncOf(func(app.Value, []app.Value) any {
			leave.Release()
			app.Window().Get("location").Call("assign", target)
			return nil
		})
		app.Window().Call("setTimeout", leave, redirectDelay.Milliseconds())
	}
}

// getJSON GETs a JSON document of the widget origin.
func getJSON(ctx context.Context, u string, out any) error {
	resp, err := await(ctx, app.Window().Call("fetch", u, map[string]any{"credentials": "omit"}))
	if err != nil {
		return err
	}
	status := resp.Get("status").Int()
	text, err := await(ctx, resp.Call("text"))
	if err != nil {
		return err
	}
	if status != 200 {
		return &api.Error{Status: status, Code: fmt.Sprintf("HTTP_%d", status)}
	}
	return json.Unmarshal([]byte(text.String()), out)
}

// qrURL is the image of a QR code of this page's URL for the buyer's
// phone (checkout=qr): the phone opens the form itself (checkout=token).
func qrURL(color string) string {
	loc := app.Window().Get("location")
	u, err := url.Parse(loc.Get("href").String())
	if err != nil {
		return ""
	}
	q := u.Query()
	q.Set("checkout", widget.CheckoutToken)
	u.RawQuery = q.Encode()
	if !isCSSColor(color) || len(color) == 9 {
		color = "#000000"
	}
	return "/qr.svg?" + url.Values{"text": {u.String()}, "color": {color}}.Encode()
}

// renderPage renders the link form page: the form's title (store name,
// logo), the amount, the checkout, and after the payment the way back to
// the shop. The theme is the form's settings' (light or dark, four
// colours); the URL cannot change it.
func (c *checkout) renderPage(body []app.UI) app.UI {
	lf := c.page.form
	th := lf.Theme
	root := app.Div().ID("kessai").Class("kessai", "kessai-page")
	if th.Mode == "dark" {
		root = root.Class("kessai-dark")
	}
	for _, v := range []struct{ name, color string }{
		{"--kessai-header-bg", th.HeaderColor}, {"--kessai-main", th.ButtonColor},
		{"--kessai-page-bg", th.BackgroundColor}, {"--kessai-bg", th.ContentColor},
	} {
		if isCSSColor(v.color) {
			root = root.Style(v.name, v.color)
		}
	}
	logo := widget.LogoURL(c.opts, c.info)
	header := app.Header().Class("kessai-header").Body(
		app.If(th.ShowLogo && logo != "" && !c.logoHidden, func() app.UI {
			return app.Img().Class("kessai-logo").Src(logo).Alt("").Attr("referrerpolicy", "no-referrer").
				On("load", c.onLogoLoad).On("error", c.onLogoError)
		}),
		app.H1().ID("kessai-title").Class("kessai-store").Text(c.pageTitle()),
		app.If(c.opts.Checkout == widget.CheckoutPayment && c.opts.Amount > 0, func() app.UI {
			return app.P().Class("kessai-amount").Text(widget.FormatAmount(c.loc, c.opts.Amount, c.opts.Currency))
		}),
		app.If(c.info.Mode == "test", func() app.UI { return app.Span().Class("kessai-test-badge").Text(c.loc.T("test.badge")) }),
	)
	if t := c.pageTitle(); t != c.page.title {
		// The tab shows whom the buyer pays.
		c.page.title = t
		app.Window().Get("document").Set("title", t)
	}
	column := []app.UI{header}
	if lf.QR && c.screen == screenForm {
		column = append(column, app.Figure().Class("kessai-page-qr").Body(
			app.Img().Src(qrURL(c.opts.QRColor)).Alt(c.loc.T("page.qr")).Width(180).Height(180),
			app.FigCaption().Text(c.loc.T("page.qr")),
		))
	}
	column = append(column, body...)
	if c.page.redirect != "" {
		// After a failure, trying again comes first.
		class := "kessai-submit"
		if c.page.status != widget.RedirectSuccess {
			class = "kessai-secondary"
		}
		column = append(column, app.Div().Class("kessai-redirect").Body(
			app.A().ID("kessai-return").Class(class).Href(c.page.redirect).OnClick(c.onReturn).Text(c.loc.T("page.return")),
		))
	}
	if c.info.Mode == "test" && (c.screen == screenSuccess || c.page.redirect != "") {
		column = append(column, app.P().Class("kessai-proof").Text(c.loc.T("page.proof")))
	}
	return root.Body(app.Main().Class("kessai-column").Aria("labelledby", "kessai-title").Body(column...))
}

// onReturn follows the way back to the shop in this tab: go-app would open
// a link to another host in a new window.
func (c *checkout) onReturn(ctx app.Context, e app.Event) {
	e.PreventDefault()
	e.Call("stopPropagation")
	app.Window().Get("location").Call("assign", c.page.redirect)
}

// terminationMode is a link form's terminationMode; "" in the widget.
func (c *checkout) terminationMode() string {
	if c.page == nil {
		return ""
	}
	return c.page.form.TerminationMode
}

// pageTitle is the form's title: the store's name when the theme shows it.
func (c *checkout) pageTitle() string {
	if c.page.form.Theme.ShowStoreName && c.info.Name != "" {
		return c.info.Name
	}
	return c.loc.T("header.default")
}
