package widget

import "strings"

// Custom fields (docs/widget.md, "Custom fields"): the merchant's own
// inputs, a text or a drop-down each, whose values go into the metadata
// under their keys.

// ErrCodeInvalidOption: a drop-down value that is not one of its options.
const ErrCodeInvalidOption = "invalid_option"

// CustomFieldName is the field name of a custom field in
// univapay:validation-error: "customField:<key>".
func CustomFieldName(key string) string { return "customField:" + key }

// FormCustomFields are the custom fields the form shows: none inline,
// where UnivaPay does not offer them.
func (o Options) FormCustomFields() []CustomField {
	if o.Inline {
		return nil
	}
	return o.CustomFields
}

// ValidateCustom checks the custom fields and adds their errors to errs: a
// required field filled, a text at most 255 characters, a drop-down value
// among its options.
func ValidateCustom(o Options, in CardInput, errs FieldErrors) {
	for _, f := range o.FormCustomFields() {
		v := strings.TrimSpace(in.Custom[f.Key])
		name := CustomFieldName(f.Key)
		switch {
		case v == "":
			if f.Required {
				errs[name] = ErrCodeRequired
			}
		case f.Type == "select" && !contains(f.Options, v):
			errs[name] = ErrCodeInvalidOption
		case len([]rune(v)) > 255:
			errs[name] = ErrCodeTooLong
		}
	}
}

// customValues are the custom-field values to send: the fields' trimmed
// non-empty values by key.
func customValues(o Options, in CardInput) map[string]string {
	var out map[string]string
	for _, f := range o.FormCustomFields() {
		if v := strings.TrimSpace(in.Custom[f.Key]); v != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[f.Key] = v
		}
	}
	return out
}

// ValidateForm checks everything the buyer typed: the card (or the saved
// card's CVV), the buyer fields and the custom fields.
func ValidateForm(o Options, in CardInput, errs FieldErrors) FieldErrors {
	if errs == nil {
		errs = FieldErrors{}
	}
	ValidateBuyer(o, in, errs)
	ValidateCustom(o, in, errs)
	return errs
}
