package main

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"kessai/api"
	"kessai/widget"
)

// The screens of the payment methods (docs/widget.md, "Payment methods"):
// the method selection, the forms of konbini, bank transfer, online and
// Paidy, what the buyer does while a payment waits (the online app, the
// 3-D Secure challenge), and the payment instructions of an application.

// nonCard tells whether the chosen method has its own form.
func (c *checkout) nonCard() bool { return c.method != "" && c.method != widget.MethodCard }

// firstScreen is where a payment starts: the method selection when there
// is a choice.
func (c *checkout) firstScreen() screen {
	if len(c.offer.Methods) > 1 && c.method == "" {
		return screenMethods
	}
	return screenForm
}

// setMethod chooses a method; a store or brand is chosen for the buyer when
// the method has only one.
func (c *checkout) setMethod(m string) {
	c.method, c.choice, c.errs, c.touched, c.reported = m, widget.MethodChoice{}, nil, map[string]bool{}, "{}"
	if b := c.offer.Brands[widget.MethodKonbini]; m == widget.MethodKonbini && len(b) == 1 {
		c.choice.Store = b[0]
	}
	if b := c.offer.Brands[widget.MethodOnline]; m == widget.MethodOnline && len(b) == 1 {
		c.choice.Brand = b[0]
	}
	if m == widget.MethodPaidy && c.in.Country == "" {
		c.in.Country = "JP" // the prefecture drop-down
	}
}

func (c *checkout) onChooseMethod(m string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		c.setMethod(m)
		c.screen = screenForm
		ctx.Defer(func(app.Context) { focus("kessai-method-form") })
	}
}

func (c *checkout) onChangeMethod(ctx app.Context, e app.Event) {
	c.method, c.screen = "", screenMethods
	ctx.Defer(func(app.Context) { focus("method-" + widget.MethodOrder[0]) })
}

// methodLabel is the text key of a method's name.
func methodLabel(m string) string { return "method." + m }

// renderMethods is the method-selection screen: one button per method.
func (c *checkout) renderMethods() app.UI {
	buttons := []app.UI{app.H2().ID("kessai-methods-title").Class("kessai-section-title").Text(c.loc.T("method.title"))}
	for _, m := range c.offer.Methods {
		var brands []string
		if m != widget.MethodCard && m != widget.MethodBankTransfer && m != widget.MethodPaidy {
			for _, b := range c.offer.Brands[m] {
				brands = append(brands, c.loc.BrandName(b))
			}
		}
		buttons = append(buttons, app.Button().Type("button").ID("method-"+m).Class("kessai-method").Attr("data-method", m).
			OnClick(c.onChooseMethod(m)).Body(
			app.Span().Class("kessai-method-name").Text(c.loc.T(methodLabel(m))),
			app.If(len(brands) > 0, func() app.UI { return app.Span().Class("kessai-method-brands").Text(strings.Join(brands, " / ")) }),
		))
	}
	return app.Div().Class("kessai-methods").Role("group").Aria("labelledby", "kessai-methods-title").Body(buttons...)
}

// renderMethodForm is the form of a method other than card.
func (c *checkout) renderMethodForm(alert string) app.UI {
	groups := []app.UI{}
	if len(c.offer.Methods) > 1 {
		groups = append(groups, app.Div().Class("kessai-method-bar").Body(
			app.Span().Class("kessai-method-current").Text(c.loc.T(methodLabel(c.method))),
			app.Button().Type("button").Class("kessai-link").Disabled(c.busy).OnClick(c.onChangeMethod).Text(c.loc.T("method.change")),
		))
	}
	if alert != "" {
		groups = append(groups, app.P().Class("kessai-alert").Role("alert").Text(alert))
	}
	hint := map[string]string{widget.MethodKonbini: "konbini.hint", widget.MethodBankTransfer: "bank.hint",
		widget.MethodOnline: "online.hint", widget.MethodPaidy: "paidy.hint"}[c.method]
	groups = append(groups, app.P().Class("kessai-hint").Text(c.loc.T(hint)))
	if c.method == widget.MethodPaidy && c.info.Mode == api.ModeTest {
		groups = append(groups, app.P().Class("kessai-hint", "kessai-sandbox-note").Text(c.loc.T("paidy.sandbox")))
	}
	switch c.method {
	case widget.MethodKonbini:
		groups = append(groups, c.renderChoice(widget.FieldKonbiniStore, c.offer.Brands[widget.MethodKonbini], c.choice.Store))
	case widget.MethodOnline:
		groups = append(groups, c.renderChoice(widget.FieldOnlineBrand, c.offer.Brands[widget.MethodOnline], c.choice.Brand))
	}
	for _, f := range widget.MethodFields(c.opts, c.method) {
		groups = append(groups, c.renderBuyerField(f))
	}
	for _, f := range c.opts.FormCustomFields() {
		groups = append(groups, c.renderCustomField(f))
	}
	if !c.opts.HidePrivacyLink {
		groups = append(groups, app.P().Class("kessai-privacy").Body(
			app.A().Href("https://www.univapay.com/privacy/").Target("_blank").Rel("noopener").Text(c.loc.T("privacy.link")),
		))
	}
	label := c.opts.SubmitButtonText
	switch {
	case c.busy:
		label = c.loc.T("processing")
	case label != "":
	case c.method == widget.MethodKonbini || c.method == widget.MethodBankTransfer:
		label = c.loc.T("submit.apply")
	default:
		label = c.loc.T("submit.default")
	}
	groups = append(groups, app.Button().Type("submit").ID("kessai-pay").Class("kessai-submit").Disabled(c.busy).Aria("busy", fmt.Sprint(c.busy)).Text(label))
	return app.Form().ID("kessai-method-form").Class("kessai-form", "kessai-form-"+c.method).Attr("tabindex", "-1").Attr("novalidate", true).
		Aria("busy", fmt.Sprint(c.busy)).OnSubmit(c.onSubmit).Body(groups...)
}

// renderChoice is the radio group of the convenience stores or online
// brands.
func (c *checkout) renderChoice(field string, brands []string, chosen string) app.UI {
	errCode, invalid := c.errs[field]
	opts := []app.UI{app.Legend().Class("control-label").Text(c.loc.T("field." + field))}
	for _, b := range brands {
		opts = append(opts, app.Div().Class("radio").Body(app.Label().Body(
			app.Input().Type("radio").Name(field).ID(field+"-"+b).Value(b).Checked(chosen == b).Disabled(c.busy).
				Aria("describedby", field+"-error").OnChange(c.onChoice(field, b)),
			app.Span().Text(c.loc.BrandName(b)),
		)))
	}
	opts = append(opts, app.Div().Class("field-error").ID(field+"-error").Text(c.fieldError(field, errCode, invalid)))
	class := "form-group kessai-choice kessai-field-" + field
	if invalid {
		class += " has-error"
	}
	return app.FieldSet().ID(field).Class(class).Aria("invalid", fmt.Sprint(invalid)).Body(opts...)
}

func (c *checkout) onChoice(field, brand string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if field == widget.FieldKonbiniStore {
			c.choice.Store = brand
		} else {
			c.choice.Brand = brand
		}
		c.touched[field] = true
		c.validate(false)
	}
}

// onAct shows what the buyer must do while the payment waits; a 3-D Secure
// challenge posts its form into the frame once rendered.
func (c *checkout) onAct(ctx app.Context, n widget.NextAction) {
	c.action = &n
	switch n.Type {
	case widget.NextThreeDS:
		c.announce = c.loc.T("threeDS.title")
		ctx.Defer(func(app.Context) { submitThreeDS(c.sandboxLang(n), "kessai-3ds-frame") })
	case widget.NextOnline:
		c.announce = c.loc.T("online.waiting")
		if !n.Test && !widget.ShowsQRCode(n.Brand, c.device) {
			// On a phone the app opens at once: the buyer has just pressed
			// pay, so the browser lets the page open.
			ctx.Defer(func(app.Context) { openIssuer(n, "_blank") })
		}
	}
}

// sandboxLang asks the sandbox's own 3-D Secure page (on the widget's
// origin) for the widget's language; a real issuer's page gets its payload
// untouched.
func (c *checkout) sandboxLang(n widget.NextAction) widget.NextAction {
	if c.client == nil || !strings.HasPrefix(n.IssuerToken, c.client.base+"/sandbox/") || n.CallMethod != string(api.CallHTTPPost) {
		return n
	}
	p := map[string]string{"lang": c.loc.HTMLLang()}
	for k, v := range n.Payload {
		p[k] = v
	}
	n.Payload = p
	return n
}

// submitThreeDS opens a challenge in target (the frame, or a new window):
// http_post posts the payload as a form, http_get loads the URL.
func submitThreeDS(n widget.NextAction, target string) {
	openIssuer(n, target)
}

// openIssuer opens an issuer token in target: a form posted with one
// hidden input per payload entry (http_post), or the URL (http_get).
func openIssuer(n widget.NextAction, target string) {
	if !safeURL(n.IssuerToken) {
		return
	}
	doc := app.Window().Get("document")
	if n.CallMethod != string(api.CallHTTPPost) {
		if target == "kessai-3ds-frame" {
			if f := app.Window().GetElementByID(target); f.Truthy() {
				f.Set("src", n.IssuerToken)
			}
			return
		}
		app.Window().Call("open", n.IssuerToken, target, "noopener")
		return
	}
	form := doc.Call("createElement", "form")
	form.Set("method", "POST")
	form.Set("action", n.IssuerToken)
	form.Set("target", target)
	if n.ContentType != "" {
		form.Set("enctype", n.ContentType)
	}
	for k, v := range n.Payload {
		in := doc.Call("createElement", "input")
		in.Set("type", "hidden")
		in.Set("name", k)
		in.Set("value", v)
		form.Call("appendChild", in)
	}
	doc.Get("body").Call("appendChild", form)
	form.Call("submit")
	form.Call("remove")
}

// safeURL accepts only http(s) URLs as issuer tokens.
func safeURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

func (c *checkout) onThreeDSWindow(ctx app.Context, e app.Event) {
	if c.action != nil {
		submitThreeDS(c.sandboxLang(*c.action), "_blank")
	}
}

func (c *checkout) onOpenIssuer(ctx app.Context, e app.Event) {
	if c.action != nil {
		openIssuer(*c.action, "_blank")
	}
}

// renderAction is the processing screen while the buyer acts elsewhere.
func (c *checkout) renderAction() app.UI {
	n := *c.action
	if n.Type == widget.NextThreeDS {
		return app.Div().Class("kessai-action", "kessai-3ds").Body(
			app.H2().Class("kessai-section-title").Text(c.loc.T("threeDS.title")),
			app.P().Class("kessai-hint").Text(c.loc.T("threeDS.hint")),
			app.IFrame().ID("kessai-3ds-frame").Name("kessai-3ds-frame").Class("kessai-3ds-frame").Title(c.loc.T("threeDS.title")),
			app.Button().Type("button").Class("kessai-secondary").OnClick(c.onThreeDSWindow).Text(c.loc.T("threeDS.window")),
		)
	}
	brand := c.loc.BrandName(n.Brand)
	body := []app.UI{app.H2().Class("kessai-section-title").Text(brand)}
	switch {
	case n.Test:
		body = append(body, app.P().Class("kessai-hint", "kessai-sandbox-note").Text(c.loc.T("online.test", brand)))
	case widget.ShowsQRCode(n.Brand, c.device):
		body = append(body, app.P().Class("kessai-hint").Text(c.loc.T("online.scan", brand)), c.renderQR(n.IssuerToken, c.loc.T("online.open", brand)))
	}
	if !n.Test && safeURL(n.IssuerToken) {
		body = append(body, app.Button().Type("button").ID("kessai-open-app").Class("kessai-submit").OnClick(c.onOpenIssuer).Text(c.loc.T("online.open", brand)))
	}
	body = append(body, app.Div().Class("kessai-waiting").Body(app.Span().Class("kessai-spinner").Aria("hidden", "true"), app.Span().Text(c.loc.T("online.waiting"))))
	return app.Div().Class("kessai-action", "kessai-online").Body(body...)
}

// renderQR is the QR code of text, drawn by the server (GET /qr.svg) in
// the merchant's qrColor, with the store's logo (or the qrLogo image) over
// its centre when qrLogo asks for it.
func (c *checkout) renderQR(text, alt string) app.UI {
	color := c.opts.QRColor
	if !isCSSColor(color) || len(color) == 9 {
		color = "#000000"
	}
	src := c.client.base + "/qr.svg?" + url.Values{"text": {text}, "color": {color}}.Encode()
	logo := ""
	switch v := strings.TrimSpace(c.opts.QRLogo); {
	case strings.EqualFold(v, "true"):
		logo = widget.LogoURL(c.opts, c.info)
	case strings.HasPrefix(v, "https://"):
		logo = v
	}
	return app.Div().Class("kessai-qr").Body(
		app.Img().Class("kessai-qr-code").Src(src).Alt(alt).Attr("width", 200).Attr("height", 200),
		app.If(logo != "", func() app.UI {
			return app.Img().Class("kessai-qr-logo").Src(logo).Alt("").Aria("hidden", "true").Attr("referrerpolicy", "no-referrer")
		}),
	)
}

// renderInstructions is the success screen of an application that awaits
// the buyer's payment (docs/widget.md, "Payment methods"): what to pay,
// where and by when, each value with a copy button.
func (c *checkout) renderInstructions() app.UI {
	n := *c.outcome.Next
	title, deadline := c.loc.T("awaiting.konbini"), c.loc.T("deadline")
	var rows []app.UI
	row := func(key, label, value string, copyable bool) {
		if value == "" {
			return
		}
		dd := []app.UI{app.Span().ID("kessai-value-" + key).Class("kessai-value").Text(value)}
		if copyable {
			copied := c.copied == key
			text := c.loc.T("copy")
			if copied {
				text = c.loc.T("copied")
			}
			dd = append(dd, app.Button().Type("button").Class("kessai-copy").Attr("data-copy", key).
				Aria("label", c.loc.T("copy.label", label)).OnClick(c.onCopy(key, value)).Text(text))
		}
		rows = append(rows, app.Div().Class("kessai-row", "kessai-row-"+key).Body(app.Dt().Text(label), app.Dd().Body(dd...)))
	}
	amount := widget.FormatAmount(c.loc, n.Amount, n.Currency)
	switch n.Type {
	case widget.NextKonbini:
		row("store", c.loc.T("konbini.store"), c.loc.BrandName(n.ConvenienceStore), false)
		row("institution", c.loc.T("konbini.institution"), n.CollectionAgency, true)
		row("number", c.loc.T("konbini.number"), n.PaymentNumber, true)
		row("amount", c.loc.T("amount.label"), amount, false)
	case widget.NextBankTransfer:
		title, deadline = c.loc.T("awaiting.bank"), c.loc.T("bank.deadline")
		bank := n.BankName
		if n.BankCode != "" {
			bank += " (" + n.BankCode + ")"
		}
		row("bank", c.loc.T("bank.name"), bank, true)
		branch := n.BranchName
		if n.BranchCode != "" {
			branch += " (" + n.BranchCode + ")"
		}
		row("branch", c.loc.T("bank.branch"), branch, true)
		row("type", c.loc.T("bank.type"), c.loc.T("bank.ordinary"), false)
		row("account", c.loc.T("bank.number"), n.AccountNumber, true)
		row("holder", c.loc.T("bank.holder"), n.AccountHolderName, true)
		row("amount", c.loc.T("bank.amount"), amount, true)
	}
	if t := n.DeadlineTime(); !t.IsZero() {
		row("deadline", deadline, formatDeadline(c.loc, t), false)
	}
	return app.Div().Class("kessai-result", "kessai-result-awaiting").Body(
		app.P().Class("kessai-result-title").Text(title),
		app.P().Class("kessai-not-paid").Text(c.loc.T("awaiting.notPaid")),
		app.Dl().Class("kessai-instructions").Body(rows...),
		app.If(n.PaymentURL != "" && safeURL(n.PaymentURL), func() app.UI {
			return app.A().ID("kessai-slip").Class("kessai-secondary", "kessai-slip").Href(n.PaymentURL).Target("_blank").Rel("noopener").Text(c.loc.T("konbini.slip"))
		}),
		app.If(!c.inline(), func() app.UI {
			return app.Button().Type("button").Class("kessai-submit").ID("kessai-done").OnClick(c.onDone).Text(c.loc.T("complete.button"))
		}),
	)
}

// onCopy copies a value to the clipboard; the button says so.
func (c *checkout) onCopy(key, value string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if cb := app.Window().Get("navigator").Get("clipboard"); cb.Truthy() {
			cb.Call("writeText", plainCopy(key, value))
		}
		c.copied = key
		c.announce = c.loc.T("copied")
	}
}

// plainCopy is what a copy button copies: an account number or payment
// number as the buyer types it elsewhere (bank and branch without their
// codes, amounts without the currency sign).
func plainCopy(key, value string) string {
	switch key {
	case "bank", "branch":
		if i := strings.LastIndex(value, " ("); i > 0 {
			return value[:i]
		}
	case "amount":
		var b strings.Builder
		for _, r := range value {
			if r >= '0' && r <= '9' {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	return value
}

// formatDeadline shows a deadline in Japan time, which the stores and banks
// keep: 2026年1月31日 23:59 / Jan 31, 2026 23:59 (JST).
func formatDeadline(l widget.Locale, t time.Time) string {
	t = t.In(widget.JST)
	if l == widget.LocaleJA || l == widget.LocaleZHCN || l == widget.LocaleZHTW {
		return fmt.Sprintf("%d年%d月%d日 %02d:%02d", t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute())
	}
	if l == widget.LocaleKO {
		return fmt.Sprintf("%d년 %d월 %d일 %02d:%02d (JST)", t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute())
	}
	return t.Format("Jan 2, 2006 15:04") + " (JST)"
}
