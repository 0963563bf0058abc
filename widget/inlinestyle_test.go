package widget

import "testing"

// The inline style parameters style the parts docs/widget.md, "Inline
// styles" names, the generic value first, the misspelt aliases too, and a
// value that tries to leave its element loses what would let it.
func TestInlineStyles(t *testing.T) {
	o, ps := ParseOptions(SourceJS, map[string]any{
		"inlineItemStyle": "margin:1px", "inlineTextItemStyle": "margin:2px;", "inlineToggleItemStyle": "margin:3px",
		"inlineItemLabelStyle": "color:red", "inlineTextItemLabelStyle": "color:blue",
		"inlineFieldStyle": "border:1px solid", "inlineTextFieldStyle": "border-color:green",
		"inlineItemErrorStyle": "color:maroon", "inlineTextErrorStyle": "font-size:10px",
		"inlineFieldInvalidStyle": "background:pink", "inlineTextFieldInvalidStyle": "outline:1px solid red",
		"inlineTextToggleInvalidStyle": "color:orange",
		"inlineFieldForcusStyle":       "box-shadow:0 0 2px blue", "inlineTextFieldFocusStyle": "border-color:navy",
		"inlineToggleFieldForcusStyle": "outline:2px dotted",
	})
	if ps.HasErrors() {
		t.Fatal(ps)
	}
	s := o.InlineStyles
	cases := []struct {
		part                   Part
		text, invalid, focused bool
		want                   string
	}{
		{PartItem, true, false, false, "margin:1px;margin:2px"},
		{PartItem, false, false, false, "margin:1px"},
		{PartToggle, false, false, false, "margin:1px;margin:3px"},
		{PartToggle, false, true, true, "margin:1px;margin:3px;color:orange;outline:2px dotted"},
		{PartLabel, true, false, false, "color:red;color:blue"},
		{PartField, true, false, false, "border:1px solid;border-color:green"},
		{PartField, true, false, true, "border:1px solid;border-color:green;box-shadow:0 0 2px blue;border-color:navy"},
		{PartToggleLabel, false, false, false, "border:1px solid"},
		{PartError, true, false, false, "color:maroon;font-size:10px"},
		{PartError, false, false, false, "color:maroon"},
		{PartInput, true, false, false, ""},
		{PartInput, true, true, false, "background:pink;outline:1px solid red"},
	}
	for _, c := range cases {
		if got := s.Style(c.part, c.text, c.invalid, c.focused); got != c.want {
			t.Errorf("part %d text=%t invalid=%t focused=%t: %q, want %q", c.part, c.text, c.invalid, c.focused, got, c.want)
		}
	}
	o, ps = ParseOptions(SourceHTML, map[string]any{
		"data-inline-item-style":  `color:red"><script>alert(1)</script>`,
		"data-inline-field-style": "background:url(https://evil.example/x)",
	})
	if len(ps.Warnings()) != 2 {
		t.Errorf("warnings %v", ps)
	}
	if got := o.InlineStyles.Style(PartItem, true, false, false); got != "color:red'scriptalert(1)/script" {
		t.Errorf("sanitised %q", got)
	}
	if got := o.InlineStyles.Style(PartField, true, false, false); got != "background:https://evil.example/x)" {
		t.Errorf("sanitised %q", got)
	}
}
