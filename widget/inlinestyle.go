package widget

import "strings"

// Part is an element of the inline form that the inline style parameters
// style (docs/widget.md, "Inline styles").
type Part int

// The styled parts of the inline form.
const (
	PartItem        Part = iota // div.form-group.form-group-sm
	PartToggle                  // div.checkbox
	PartLabel                   // label.control-label
	PartField                   // span.input-group
	PartToggleLabel             // the label of a checkbox
	PartError                   // div.field-error
	PartInput                   // input.form-control.input-sm (styled when invalid)
)

// Style is the inline CSS of a part of the inline form: the generic
// parameter first, then its text or toggle variant, so that the specific one
// wins; invalid and focused add the state's parameters. text tells a text
// input's part from a checkbox's. Each value was sanitised when parsed and
// goes into the element's own style attribute, which no value can escape.
func (s InlineStyles) Style(p Part, text, invalid, focused bool) string {
	var css []string
	add := func(v ...string) {
		for _, x := range v {
			if x = strings.Trim(strings.TrimSpace(x), ";"); x != "" {
				css = append(css, x)
			}
		}
	}
	pick := func(textStyle, toggleStyle string) string {
		if text {
			return textStyle
		}
		return toggleStyle
	}
	switch p {
	case PartItem:
		add(s.ItemStyle, pick(s.TextItemStyle, ""))
	case PartToggle:
		add(s.ItemStyle, s.ToggleItemStyle)
		if invalid {
			add(s.TextToggleInvalidStyle)
		}
		if focused {
			add(s.ToggleFieldFocusStyle)
		}
	case PartLabel:
		add(s.ItemLabelStyle, pick(s.TextItemLabelStyle, ""))
	case PartField:
		add(s.FieldStyle, pick(s.TextFieldStyle, ""))
		if focused {
			add(s.FieldFocusStyle, pick(s.TextFieldFocusStyle, ""))
		}
	case PartToggleLabel:
		add(s.FieldStyle)
	case PartError:
		add(s.ItemErrorStyle, pick(s.TextErrorStyle, ""))
	case PartInput:
		if invalid {
			add(s.FieldInvalidStyle, pick(s.TextFieldInvalidStyle, ""))
		}
	}
	// A double quote becomes a single one (equal in CSS), so that not even
	// a renderer that writes the attribute as text lets a value out of it.
	return strings.ReplaceAll(strings.Join(css, ";"), `"`, "'")
}
