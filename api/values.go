package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// Metadata is a flat JSON object (docs/sandbox-api.md, "Metadata"). Values are kept as raw JSON
// so number text survives unchanged (big integers, "12.50"); keys are never
// converted. Values should be strings, numbers, booleans or null; the server
// rejects nested objects and arrays.
type Metadata map[string]json.RawMessage

// SetString stores a string value under key.
func (m Metadata) SetString(key, value string) {
	b, _ := json.Marshal(value)
	m[key] = b
}

// SetNumber stores a number value under key; text must be a valid JSON
// number (it is stored as a string otherwise).
func (m Metadata) SetNumber(key, text string) {
	if isJSONNumber(text) {
		m[key] = json.RawMessage(text)
		return
	}
	m.SetString(key, text)
}

// SetBool stores a boolean value under key.
func (m Metadata) SetBool(key string, v bool) { m[key] = json.RawMessage(strconv.FormatBool(v)) }

// String returns the value under key as text: a string's content, or the
// raw JSON text of a number/boolean/null. ok is false when key is absent.
func (m Metadata) String(key string) (s string, ok bool) {
	raw, ok := m[key]
	if !ok {
		return "", false
	}
	var str string
	if len(raw) > 0 && raw[0] == '"' && json.Unmarshal(raw, &str) == nil {
		return str, true
	}
	return string(raw), true
}

// Merge applies an update to m (docs/sandbox-api.md, "Metadata"): keys
// of update overwrite, a null value deletes the key, other keys are kept.
// It returns the merged metadata; m is not changed.
func (m Metadata) Merge(update Metadata) Metadata {
	out := make(Metadata, len(m)+len(update))
	for k, v := range m {
		out[k] = v
	}
	for k, v := range update {
		if string(bytes.TrimSpace(v)) == "null" {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}

// NestedKeys returns the keys whose values are objects or arrays (not flat).
func (m Metadata) NestedKeys() []string {
	var keys []string
	for k, v := range m {
		v = bytes.TrimSpace(v)
		if len(v) > 0 && (v[0] == '{' || v[0] == '[') {
			keys = append(keys, k)
		}
	}
	return keys
}

// Amount is an integer amount in the currency's minor unit (docs/sandbox-api.md, "Amounts and currencies").
// It marshals as a JSON number and unmarshals from a JSON number or a
// numeric string ("100", "1000.00"); a fractional value is an error.
type Amount int64

// typeError builds the decoding error of the flexible types: a
// *json.UnmarshalTypeError, so encoding/json adds the field path.
func typeError(b []byte, t reflect.Type) error {
	v := "value"
	if len(b) > 0 && b[0] == '"' {
		v = "string"
	}
	return &json.UnmarshalTypeError{Value: v, Type: t}
}

// UnmarshalJSON accepts 100, "100" and integral decimals like "1000.00".
func (a *Amount) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if s == "null" {
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return typeError(b, reflect.TypeOf(int64(0)))
		}
		s = strings.TrimSpace(s)
	}
	n, ok := ParseAmount(s)
	if !ok {
		return typeError(b, reflect.TypeOf(int64(0)))
	}
	*a = Amount(n)
	return nil
}

// ParseAmount parses an integer amount given as decimal text, accepting a
// fractional part made of zeros only ("1000.00"). It reports false for
// anything else, including exponents and overflow.
func ParseAmount(s string) (int64, bool) {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		if strings.Trim(s[i+1:], "0") != "" {
			return 0, false
		}
		s = s[:i]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}

// FlexBool is a boolean that also unmarshals from the strings "true",
// "false", "1", "0" (seed examples send "enabled":"true"). It marshals as a
// JSON boolean.
type FlexBool bool

// UnmarshalJSON implements json.Unmarshaler.
func (f *FlexBool) UnmarshalJSON(b []byte) error {
	s := strings.ToLower(strings.Trim(string(bytes.TrimSpace(b)), `"`))
	switch s {
	case "true", "1":
		*f = true
	case "false", "0", "", "null":
		*f = false
	default:
		return typeError(b, reflect.TypeOf(false))
	}
	return nil
}

// Bool returns the value of a possibly nil *FlexBool, def when nil.
func (f *FlexBool) Bool(def bool) bool {
	if f == nil {
		return def
	}
	return bool(*f)
}

// FlexString is a string that also unmarshals from a JSON number (e.g.
// exp_month sent as 12 instead of "12"). It marshals as a JSON string.
type FlexString string

// UnmarshalJSON implements json.Unmarshaler.
func (f *FlexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return typeError(b, reflect.TypeOf(""))
		}
		*f = FlexString(s)
		return nil
	}
	if !isJSONNumber(string(b)) {
		return typeError(b, reflect.TypeOf(""))
	}
	*f = FlexString(b)
	return nil
}

func isJSONNumber(s string) bool {
	if s == "" {
		return false
	}
	var n json.Number
	return json.Unmarshal([]byte(s), &n) == nil && s[0] != '"'
}

// MoneyAmount is an amount with its currency (checkout_info thresholds).
type MoneyAmount struct {
	Amount          int64       `json:"amount"`
	AmountFormatted json.Number `json:"amount_formatted"`
	Currency        string      `json:"currency"`
}

// CurrencyDigits returns the ISO-4217 minor-unit digits of currency
// (case-insensitive): 0 for JPY, KRW and other zero-decimal currencies, 3 for
// BHD, KWD, ..., 2 otherwise.
func CurrencyDigits(currency string) int {
	switch strings.ToUpper(currency) {
	case "JPY", "KRW", "VND", "CLP", "ISK", "PYG", "UGX", "XAF", "XOF", "XPF", "BIF", "DJF", "GNF", "KMF", "RWF", "VUV":
		return 0
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3
	}
	return 2
}

// FormatAmount renders a minor-unit amount in major units as a JSON number
// with the currency's digits: (110, "USD") → 1.10, (1000, "JPY") → 1000.
func FormatAmount(amount int64, currency string) json.Number {
	d := CurrencyDigits(currency)
	if d == 0 {
		return json.Number(strconv.FormatInt(amount, 10))
	}
	neg := amount < 0
	u := uint64(amount)
	if neg {
		u = uint64(-amount)
	}
	s := strconv.FormatUint(u, 10)
	for len(s) <= d {
		s = "0" + s
	}
	s = s[:len(s)-d] + "." + s[len(s)-d:]
	if neg {
		s = "-" + s
	}
	return json.Number(s)
}
