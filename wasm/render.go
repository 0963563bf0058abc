package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"kessai/widget"
)

func (c *checkout) Render() app.UI {
	body := c.renderBody()
	root := app.Div().ID("kessai").Class("kessai", "kessai-"+string(c.mode()))
	// The store's theme (checkout_info) as CSS variables; an unset colour
	// keeps the stylesheet's fallback.
	for _, v := range []struct{ name, color string }{
		{"--kessai-main", "main_color"}, {"--kessai-main-text", "main_text"}, {"--kessai-bg", "main_background"},
		{"--kessai-header-bg", "secondary_background"}, {"--kessai-title", "primary_text"}, {"--kessai-text", "base_text"},
	} {
		if col := c.color(v.color); isCSSColor(col) {
			root = root.Style(v.name, col)
		}
	}
	if c.page != nil {
		return c.renderPage(body)
	}
	if c.inline() {
		return root.Body(body...)
	}
	return root.Body(
		app.If(c.open, func() app.UI {
			return app.Div().Class("kessai-backdrop").OnClick(c.onBackdrop).Body(
				app.Div().Class("kessai-dialog").Role("dialog").Aria("modal", "true").Aria("labelledby", "kessai-title").Body(
					append([]app.UI{c.renderHeader()}, body...)...,
				),
			)
		}),
	)
}

// dialog tells whether the checkout is the widget's popup (not an inline
// frame, not a link form page): its screens have close buttons.
func (c *checkout) dialog() bool { return !c.inline() && c.page == nil }

func (c *checkout) mode() widget.Mode {
	if c.init.Mode == "" {
		return widget.ModePopup
	}
	return c.init.Mode
}

// color is a theme colour of checkout_info, or "" to keep the stylesheet's.
func (c *checkout) color(name string) string {
	col := c.info.Theme.Colors
	switch name {
	case "main_color":
		return col.MainColor
	case "main_text":
		return col.MainText
	case "main_background":
		return col.MainBackground
	case "secondary_background":
		return col.SecondaryBackground
	case "primary_text":
		return col.PrimaryText
	case "base_text":
		return col.BaseText
	}
	return ""
}

func (c *checkout) renderHeader() app.UI {
	header := c.opts.Header
	if header == "" {
		header = c.loc.T("header.default")
	}
	title := c.opts.Title
	if title == "" {
		title = c.info.Name
	}
	logo := widget.LogoURL(c.opts, c.info)
	return app.Div().Class("kessai-header").Body(
		app.Button().Type("button").Class("kessai-close").Aria("label", c.loc.T("close")).
			Disabled(c.busy).OnClick(c.onCloseClick).Text("×"),
		app.If(logo != "" && !c.logoHidden, func() app.UI {
			// Decorative: the store's name follows as text.
			return app.Img().Class("kessai-logo").Src(logo).Aria("hidden", "true").Attr("referrerpolicy", "no-referrer").
				On("load", c.onLogoLoad).On("error", c.onLogoError)
		}),
		app.H1().ID("kessai-title").Class("kessai-service").Text(header),
		app.If(title != "", func() app.UI { return app.P().Class("kessai-store").Text(title) }),
		app.If(c.opts.Description != "", func() app.UI { return app.P().Class("kessai-description").Text(c.opts.Description) }),
		app.If(c.opts.Checkout == widget.CheckoutPayment && c.opts.Amount > 0, func() app.UI {
			return app.P().Class("kessai-amount").Text(widget.FormatAmount(c.loc, c.opts.Amount, c.opts.Currency))
		}),
		app.If(c.info.Mode == "test", func() app.UI { return app.Span().Class("kessai-test-badge").Text(c.loc.T("test.badge")) }),
	)
}

func (c *checkout) renderBody() []app.UI {
	live := app.Div().ID("kessai-status").Class("kessai-sr").Role("status").Aria("live", "polite").Text(c.announce)
	var main app.UI
	switch c.screen {
	case screenWaiting, screenLoading:
		main = app.Div().Class("kessai-loading").Aria("busy", "true").Body(app.Span().Class("kessai-spinner"), app.Span().Class("kessai-sr").Text(c.loc.T("loading")))
	case screenFatal:
		main = app.Div().Class("kessai-result", "kessai-result-error").Body(
			app.P().Class("kessai-result-title").Role("alert").Text(c.fatal.Message),
			app.If(c.fatal.Code != "", func() app.UI { return app.P().Class("kessai-code").Text(c.fatal.Code) }),
			app.If(c.dialog(), func() app.UI {
				return app.Button().Type("button").Class("kessai-secondary").OnClick(c.onDone).Text(c.loc.T("close"))
			}),
		)
	case screenMethods:
		main = c.renderMethods()
	case screenSuccess:
		if c.outcome != nil && c.outcome.Next != nil {
			main = c.renderInstructions()
			break
		}
		main = app.Div().Class("kessai-result", "kessai-result-ok").Body(
			app.Div().Class("kessai-check").Aria("hidden", "true").Text("✓"),
			app.P().Class("kessai-result-title").Text(c.successTitle()),
			app.If(c.dialog(), func() app.UI {
				return app.Button().Type("button").Class("kessai-submit").ID("kessai-done").OnClick(c.onDone).Text(c.loc.T("complete.button"))
			}),
		)
	case screenFailure:
		// A declined charge leads with what the buyer can do; the payment
		// error's own text and code follow for the card issuer or support.
		title, reason := c.outcome.Message, ""
		if c.outcome.Stage == widget.StageCharge && !c.nonCard() {
			title, reason = c.loc.T("error.declined"), c.outcome.Message
		}
		if c.inline() {
			main = c.renderForm(strings.TrimSpace(title + " " + reason))
			break
		}
		main = app.Div().Class("kessai-result", "kessai-result-error").Body(
			app.P().Class("kessai-result-title").Role("alert").Text(title),
			app.If(reason != "", func() app.UI { return app.P().Class("kessai-reason").Text(reason) }),
			app.If(c.outcome.Code != "", func() app.UI { return app.P().Class("kessai-code").Text(c.loc.T("error.code", c.outcome.Code)) }),
			app.Button().Type("button").Class("kessai-submit").ID("kessai-retry").OnClick(c.retry).Text(c.loc.T("retry")),
			app.If(c.dialog(), func() app.UI {
				return app.Button().Type("button").Class("kessai-secondary").OnClick(c.onDone).Text(c.loc.T("close"))
			}),
		)
	case screenProcessing:
		switch {
		case c.action != nil:
			main = c.renderAction()
		case c.nonCard():
			main = c.renderMethodForm("")
		default:
			main = c.renderForm("")
		}
	default:
		if c.nonCard() {
			main = c.renderMethodForm("")
			break
		}
		main = c.renderForm("")
	}
	return []app.UI{live, main}
}

// successTitle is the success screen's title for what was done.
func (c *checkout) successTitle() string {
	switch {
	case c.opts.SubscriptionID != "":
		return c.loc.T("success.cardChanged")
	case c.opts.Checkout == widget.CheckoutToken:
		return c.loc.T("success.token")
	case c.method == widget.MethodOnline && c.choice.Brand != "":
		return c.loc.T("online.done", c.loc.BrandName(c.choice.Brand))
	case c.outcome != nil && c.outcome.Subscription != nil && c.outcome.Subscription.Value.InstallmentPlan == nil:
		// An installment payment is a subscription to the API, a payment
		// to the buyer.
		return c.loc.T("success.subscription")
	}
	return c.loc.T("success.title")
}

// renderForm renders the card form with the DOM contract merchants style
// through the inline style parameters (docs/widget.md, "Inline mode"):
// form-group, control-label, input-group, form-control, field-error.
func (c *checkout) renderForm(alert string) app.UI {
	groups := make([]app.UI, 0, len(cardFields)+7)
	if alert != "" {
		groups = append(groups, app.P().Class("kessai-alert").Role("alert").Text(alert))
	}
	if terms := c.renderTerms(); terms != nil {
		groups = append(groups, terms)
	}
	if products := c.renderProducts(); products != nil {
		groups = append(groups, products)
	}
	if saved := c.renderSavedCards(); saved != nil {
		groups = append(groups, saved)
	}
	for _, f := range cardFields {
		switch {
		case f.field == widget.FieldEmail && c.page != nil && c.page.form.HidePrefilledEmail && c.opts.Email != "":
			continue // hidePrefilledEmail of a link form
		case f.field == widget.FieldCVV && !c.rules().RequireCVV && c.saved == "":
			continue // showCvv=false where the store allows it
		case c.saved == "":
		case f.field == widget.FieldCVV && c.savedCVV():
			// A saved card above the store's threshold: its CVV again.
			groups = append(groups, app.P().Class("kessai-hint").Text(c.loc.T("savedCards.cvvHint")))
		default:
			continue
		}
		groups = append(groups, c.renderField(f.field, f.name, f.autocomplete, f.inputmode))
	}
	for _, f := range widget.BuyerFields(c.opts) {
		groups = append(groups, c.renderBuyerField(f))
	}
	for _, f := range c.opts.FormCustomFields() {
		groups = append(groups, c.renderCustomField(f))
	}
	if choices := c.installmentChoices(); len(choices) > 0 {
		groups = append(groups, c.renderInstallments(choices))
	}
	if box := c.box(); box != widget.BoxNone {
		groups = append(groups, c.renderBox(box))
	}
	if !c.opts.HidePrivacyLink {
		groups = append(groups, app.P().Class("kessai-privacy").Body(
			app.A().Href("https://www.univapay.com/privacy/").Target("_blank").Rel("noopener").Text(c.loc.T("privacy.link")),
		))
	}
	if !c.inline() || c.init.PayButton {
		label := c.opts.SubmitButtonText
		if label == "" {
			label = c.loc.T("submit.default")
		}
		if c.busy {
			label = c.loc.T("processing")
		}
		groups = append(groups, app.Button().Type("submit").ID("kessai-pay").Class("kessai-submit").Disabled(c.busy).Aria("busy", fmt.Sprint(c.busy)).Text(label))
	}
	return app.Form().Class("kessai-form").Attr("novalidate", true).Aria("busy", fmt.Sprint(c.busy)).OnSubmit(c.onSubmit).Body(groups...)
}

// renderField renders one input of the card form.
func (c *checkout) renderField(field, name, autocomplete, inputmode string) app.UI {
	errCode, invalid := c.errs[field]
	errID := field + "-error"
	input := app.Input().ID(field).Name(name).Class("form-control", "input-sm").
		Type(inputType(field)).Attr("autocomplete", autocomplete).Attr("inputmode", inputmode).
		Placeholder(c.loc.T("placeholder."+field)).Value(*c.in.Field(field)).
		Aria("describedby", errID).Aria("invalid", fmt.Sprint(invalid)).Required(true).
		Disabled(c.busy).OnInput(c.onInput(field)).OnBlur(c.onBlur(field)).OnFocus(c.onFocus(field))
	if field == widget.FieldCardholder {
		input = input.Attr("autocapitalize", "characters").Attr("spellcheck", "false")
	}
	return c.textGroup(field, c.loc.T("field."+field), input.Attr("style", c.css(widget.PartInput, true, invalid, false)), errCode, invalid)
}

// textGroup is the DOM of a text input or drop-down merchants style
// (docs/widget.md, "Inline mode"): div.form-group > label.control-label,
// span.input-group around the input, div.field-error; with the inline
// style parameters on each part.
func (c *checkout) textGroup(field, label string, input app.UI, errCode string, invalid bool) app.UI {
	focused := c.focused == field
	span := app.Span().Class("input-group").Attr("style", c.css(widget.PartField, true, invalid, focused))
	if focused {
		span = span.Class("input-group-focus")
	}
	return c.group(field, true,
		app.Label().Class("control-label").For(field).Attr("style", c.css(widget.PartLabel, true, invalid, false)).Text(label),
		span.Body(input),
		app.Div().Class("field-error").ID(field+"-error").Attr("style", c.css(widget.PartError, true, invalid, false)).Text(c.fieldError(field, errCode, invalid)))
}

// css is the inline style of a part of an inline form; "" in a popup.
func (c *checkout) css(p widget.Part, text, invalid, focused bool) string {
	if !c.inline() {
		return ""
	}
	return c.opts.InlineStyles.Style(p, text, invalid, focused)
}

// renderBuyerField renders one of the buyer fields (docs/widget.md, "Buyer
// fields"): a text input, or for a Japanese address's prefecture a
// drop-down.
func (c *checkout) renderBuyerField(f widget.BuyerField) app.UI {
	errCode, invalid := c.errs[f.Field]
	errID := f.Field + "-error"
	label := c.loc.T("field." + f.Field)
	if !f.Required {
		label += " " + c.loc.T("field.optional")
	}
	var input app.UI
	if f.Field == widget.FieldState && strings.EqualFold(strings.TrimSpace(c.in.Country), "JP") {
		opts := []app.UI{app.Option().Value("").Text(c.loc.T("select.choose"))}
		for _, p := range widget.Prefectures {
			opts = append(opts, app.Option().Value(p).Selected(p == c.in.State).Text(p))
		}
		input = app.Select().ID(f.Field).Name(f.Name).Class("form-control", "input-sm").Attr("autocomplete", f.Autocomplete).
			Aria("describedby", errID).Aria("invalid", fmt.Sprint(invalid)).Required(f.Required).
			Attr("style", c.css(widget.PartInput, true, invalid, false)).OnFocus(c.onFocus(f.Field)).
			Disabled(c.busy).OnChange(c.onInput(f.Field)).OnBlur(c.onBlur(f.Field)).Body(opts...)
	} else {
		typ := "text"
		if f.Field == widget.FieldPhoneNumber {
			typ = "tel"
		}
		input = app.Input().ID(f.Field).Name(f.Name).Class("form-control", "input-sm").Type(typ).
			Attr("autocomplete", f.Autocomplete).Attr("inputmode", f.InputMode).
			Placeholder(c.loc.T("placeholder."+f.Field)).Value(*c.in.Field(f.Field)).
			Aria("describedby", errID).Aria("invalid", fmt.Sprint(invalid)).Required(f.Required).
			Attr("style", c.css(widget.PartInput, true, invalid, false)).OnFocus(c.onFocus(f.Field)).
			Disabled(c.busy).OnInput(c.onInput(f.Field)).OnChange(c.onInput(f.Field)).OnBlur(c.onBlur(f.Field))
	}
	return c.textGroup(f.Field, label, input, errCode, invalid)
}

// renderCustomField renders a merchant's custom field (docs/widget.md,
// "Custom fields"): a text input or a drop-down of its options, labelled
// with its label.
func (c *checkout) renderCustomField(f widget.CustomField) app.UI {
	field := widget.CustomFieldName(f.Key)
	errCode, invalid := c.errs[field]
	errID := field + "-error"
	label := f.Label
	if !f.Required {
		label += " " + c.loc.T("field.optional")
	}
	value := c.in.Custom[f.Key]
	var input app.UI
	if f.Type == "select" {
		opts := []app.UI{app.Option().Value("").Text(c.loc.T("select.choose"))}
		for _, o := range f.Options {
			opts = append(opts, app.Option().Value(o).Selected(o == value).Text(o))
		}
		input = app.Select().ID(field).Name("customField."+f.Key).Class("form-control", "input-sm").
			Aria("describedby", errID).Aria("invalid", fmt.Sprint(invalid)).Required(f.Required).
			Attr("style", c.css(widget.PartInput, true, invalid, false)).OnFocus(c.onFocus(field)).OnBlur(c.onBlur(field)).
			Disabled(c.busy).OnChange(c.onCustom(f.Key)).Body(opts...)
	} else {
		input = app.Input().ID(field).Name("customField."+f.Key).Class("form-control", "input-sm").Type("text").
			Attr("maxlength", 255).Value(value).
			Aria("describedby", errID).Aria("invalid", fmt.Sprint(invalid)).Required(f.Required).
			Attr("style", c.css(widget.PartInput, true, invalid, false)).OnFocus(c.onFocus(field)).
			Disabled(c.busy).OnInput(c.onCustom(f.Key)).OnBlur(c.onBlur(field))
	}
	return c.textGroup(field, label, input, errCode, invalid)
}

// group wraps a field's elements in its form-group, marked has-error when
// the field has an error.
func (c *checkout) group(field string, text bool, body ...app.UI) app.UI {
	class := "form-group form-group-sm kessai-field-" + field
	if _, invalid := c.errs[field]; invalid {
		class += " has-error"
	}
	return app.Div().Class(class).Attr("style", c.css(widget.PartItem, text, false, false)).Body(body...)
}

// renderSavedCards lets a returning customer pay with a card they saved
// (univapayCustomerId, docs/widget.md, "Saved cards"), or type a new one.
func (c *checkout) renderSavedCards() app.UI {
	if len(c.savedCards) == 0 {
		return nil
	}
	option := func(id, label string) app.UI {
		return app.Div().Class("radio").Body(app.Label().Body(
			app.Input().Type("radio").Name("savedCard").Value(id).Checked(c.saved == id).Disabled(c.busy).OnChange(c.onSavedCard(id)),
			app.Span().Text(label),
		))
	}
	opts := []app.UI{app.Legend().Class("control-label").Text(c.loc.T("savedCards.title"))}
	for _, sc := range c.savedCards {
		opts = append(opts, option(sc.ID, widget.SavedCardLabel(sc)))
	}
	opts = append(opts, option("", c.loc.T("savedCards.new")))
	return app.FieldSet().Class("form-group", "kessai-saved").Body(opts...)
}

// renderInstallments is the installment drop-down (docs/widget.md,
// "Installments").
func (c *checkout) renderInstallments(choices []string) app.UI {
	f := widget.FieldInstallments
	errCode, invalid := c.errs[f]
	chosen := c.installmentChoice()
	opts := make([]app.UI, len(choices))
	for i, ch := range choices {
		opts[i] = app.Option().Value(ch).Selected(ch == chosen).Text(widget.InstallmentLabel(c.loc, ch))
	}
	return c.textGroup(f, c.loc.T("installments.label"), app.Select().ID(f).Name(f).Class("form-control", "input-sm").
		Aria("describedby", f+"-error").Disabled(c.busy).OnChange(c.onInstallment).
		OnFocus(c.onFocus(f)).OnBlur(c.onFocusOut).Body(opts...), errCode, invalid)
}

// renderBox is the save-card box (univapayCustomerId) or the consent to
// keep the card (tokenType recurring): docs/widget.md, "Saved cards" and
// "Recurring tokens".
func (c *checkout) renderBox(box widget.RecurringBox) app.UI {
	f := widget.FieldConsent
	errCode, invalid := c.errs[f]
	text := c.loc.T("saveCard")
	if box == widget.BoxConsent {
		text = c.loc.T("consent.recurring")
	}
	return c.group(f, false, app.Div().Class("checkbox").Attr("style", c.css(widget.PartToggle, false, invalid, c.focused == f)).
		Body(app.Label().Attr("style", c.css(widget.PartToggleLabel, false, invalid, false)).Body(
			app.Input().Type("checkbox").ID(f).Name(f).Checked(c.boxChecked).Disabled(c.busy).
				Aria("describedby", f+"-error").Aria("invalid", fmt.Sprint(invalid)).OnChange(c.onBox).
				OnFocus(c.onFocus(f)).OnBlur(c.onFocusOut),
			app.Span().Text(text),
		)), app.Div().Class("field-error").ID(f+"-error").Attr("style", c.css(widget.PartError, false, invalid, false)).Text(c.fieldError(f, errCode, invalid)))
}

// renderTerms tells the buyer what a subscription signs them up for
// (docs/widget.md, "Subscriptions"): each payment and its period, today's payment, the
// second payment's date, the number of payments of a plan. Nil when the
// payment creates no subscription.
func (c *checkout) renderTerms() app.UI {
	t, ok := widget.Terms(c.opts, time.Now())
	if !ok {
		return nil
	}
	lines := t.Lines(c.loc)
	items := make([]app.UI, len(lines))
	for i, l := range lines {
		items[i] = app.Li().Text(l)
	}
	return app.Div().Class("kessai-plan").Role("group").Aria("labelledby", "kessai-plan-title").Body(
		app.P().ID("kessai-plan-title").Class("kessai-plan-title").Text(c.loc.T("plan.title")),
		app.Ul().Body(items...),
	)
}

func (c *checkout) fieldError(field, code string, invalid bool) string {
	if !invalid {
		return ""
	}
	return c.loc.FieldError(field, code)
}

func inputType(field string) string {
	switch field {
	case widget.FieldEmail:
		return "email"
	case widget.FieldCVV:
		return "password"
	}
	return "text"
}

// isCSSColor accepts the hex colours checkout_info carries (#rgb, #rrggbb,
// #rrggbbaa), so that a store setting can never inject other CSS.
func isCSSColor(s string) bool {
	if len(s) != 4 && len(s) != 7 && len(s) != 9 || s[0] != '#' {
		return false
	}
	for _, r := range s[1:] {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
			return false
		}
	}
	return true
}
