package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"kessai/widget"
)

// adoptPrerendered takes over the card form the server pre-rendered
// (server/web/prerender.go) once the app's own form is ready: what the
// buyer typed into it is kept, the field they were in keeps the focus (the
// card number when none was), and the pre-rendered form goes.
func (c *checkout) adoptPrerendered(ctx app.Context) {
	pre := app.Window().GetElementByID("kessai-pre")
	if !pre.Truthy() {
		return
	}
	active := app.Window().Get("document").Get("activeElement")
	focused := widget.FieldCardNumber
	for _, f := range cardFields {
		el := pre.Call("querySelector", "#"+f.field)
		if !el.Truthy() {
			continue
		}
		if v := el.Get("value").String(); v != "" {
			*c.in.Field(f.field) = v
		}
		if el.Equal(active) {
			focused = f.field
		}
	}
	pre.Call("remove")
	if c.open || c.inline() {
		ctx.Defer(func(app.Context) { focus(focused) })
	}
}
