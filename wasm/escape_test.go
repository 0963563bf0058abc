package main

import (
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"kessai/widget"
)

// Every string a merchant gives the widget is shown as text: markup in it
// stays visible characters, never elements or attributes, and inline styles
// cannot load anything (docs/threat-model.md, "Bad input"). The popup's
// header and card form, and an inline form, are rendered with go-app's
// engine.
func TestMerchantStringsAreText(t *testing.T) {
	const evil = `<img src=x onerror=alert(1)><script>alert(2)</script>"'><b>`
	render := func(mode widget.Mode, raw map[string]any) string {
		t.Helper()
		raw["appId"], raw["locale"], raw["amount"] = "a", "ja", 1000.0
		o, ps := widget.ParseAndValidate(widget.SourceJS, raw)
		if ps.HasErrors() {
			t.Fatalf("%v", ps)
		}
		c := &checkout{opts: o, loc: widget.LocaleJA, info: formInfo, screen: screenForm, touched: map[string]bool{}}
		c.init.Mode = mode
		return app.HTMLString(c.renderHeader()) + app.HTMLString(c.renderForm(""))
	}
	popup := render(widget.ModePopup, map[string]any{
		"header": evil, "title": evil, "description": evil, "submitButtonText": evil,
		"customFieldLabels": []any{evil}, "customFieldKeys": []any{"k"}, "customFieldTypes": []any{"select"},
		"customFieldOptions": []any{"x;" + evil}, "customFieldRequired": []any{"true"},
	})
	inline := render(widget.ModeInline, map[string]any{
		"inline": true, "inlineFieldStyle": `color:red;background:url(javascript:alert(3))</style><script>`,
	})
	for _, html := range []string{popup, inline} {
		for _, bad := range []string{"<img", "<script", "<b>", "url(", "javascript:", "</style>"} {
			if strings.Contains(html, bad) {
				t.Errorf("the rendered widget holds %q:\n%s", bad, html)
			}
		}
	}
	// Shown as text: header, title, description, button, custom field
	// label and option.
	if n := strings.Count(popup, "&lt;img src=x onerror=alert(1)&gt;"); n < 6 {
		t.Errorf("the merchant's text is shown %d times as text, want 6:\n%s", n, popup)
	}
	if !strings.Contains(inline, "color:red") {
		t.Errorf("the inline style is not applied, so the test proves nothing about it:\n%s", inline)
	}
}
