package web

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"kessai/widget"
)

// prerenderedFields are the popup's card form fields as the checkout app
// renders them (wasm/render.go, renderField): id, input name,
// autocomplete, inputmode and type.
var prerenderedFields = []struct{ field, name, autocomplete, inputmode, typ string }{
	{widget.FieldCardNumber, "data.cardNumber", "cc-number", "numeric", "text"},
	{widget.FieldExp, "data.exp", "cc-exp", "numeric", "text"},
	{widget.FieldCVV, "data.cvv", "cc-csc", "numeric", "password"},
	{widget.FieldCardholder, "data.cardholder", "cc-name", "text", "text"},
	{widget.FieldEmail, "email", "email", "email", "email"},
}

// shell is what the server pre-renders for /checkout: the popup's card
// form, so that the buyer can type before the wasm has started
// (docs/performance.md, "Click to interactive"). go-app replaces, not
// hydrates, the pre-rendered node, so prerenderScript moves it aside at
// DOMContentLoaded (go-app then mounts onto an empty node placed before it)
// and the checkout app, once its own form is ready, takes over the values
// typed and the focus and removes it (wasm/prerender.go). An inline frame
// (inline=1 in its URL) drops it: the merchant styles that form.
type shell struct{ app.Compo }

func (s *shell) Render() app.UI {
	l := widget.LocaleJA // the document's language; the app re-renders in the buyer's
	groups := make([]app.UI, 0, len(prerenderedFields)+1)
	for _, f := range prerenderedFields {
		groups = append(groups, app.Div().Class("form-group form-group-sm kessai-field-"+f.field).Body(
			app.Label().Class("control-label").For(f.field).Text(l.T("field."+f.field)),
			app.Span().Class("input-group").Body(
				app.Input().ID(f.field).Name(f.name).Class("form-control", "input-sm").Type(f.typ).
					Attr("autocomplete", f.autocomplete).Attr("inputmode", f.inputmode).
					Placeholder(l.T("placeholder."+f.field)).Required(true),
			),
			app.Div().Class("field-error"),
		))
	}
	groups = append(groups, app.Button().Type("submit").Class("kessai-submit").Text(l.T("submit.default")))
	return app.Div().ID("kessai-pre").Class("kessai", "kessai-popup").Body(
		app.Div().Class("kessai-backdrop").Body(
			app.Div().Class("kessai-dialog").Role("dialog").Aria("modal", "true").Aria("labelledby", "kessai-pre-title").Body(
				app.Div().Class("kessai-header").Body(
					app.H1().ID("kessai-pre-title").Class("kessai-service").Text(l.T("header.default")),
				),
				// Paying waits for the app: a submit before it does nothing.
				app.Form().Class("kessai-form").Attr("novalidate", true).Attr("onsubmit", "return false").Body(groups...),
			),
		),
	)
}

// prerenderScript runs in the iframe document's head. At DOMContentLoaded
// it keeps the pre-rendered form out of go-app's way (see shell), and it
// gives the card-number input the focus as soon as the frame can have it:
// at once when the frame is shown and focused (a click that came before the
// form existed), else when the loader shows and focuses the frame.
const prerenderScript = `<script>document.addEventListener("DOMContentLoaded",function(){` +
	`var d=document,p=d.getElementById("kessai-pre");if(!p)return;` +
	`if(/[?&]inline=1/.test(location.search)){p.remove();return}` +
	`d.body.prepend(d.createElement("div"));` +
	`var i=d.getElementById("cardNumber");` +
	`function f(){var a=d.activeElement;if(p.isConnected&&!(a&&a.tagName=="INPUT"))i.focus()}` +
	`f();addEventListener("focus",f)})</script>`
