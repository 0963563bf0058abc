package widget

import (
	"kessai/api"

	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Value coercion helpers shared by option parsing, validation and request
// building (docs/widget.md, "Coercion").

// JST is Japan Standard Time (UTC+9, no DST). A fixed zone, so the wasm
// needs no tz database.
var JST = time.FixedZone("JST", 9*60*60)

// CurrencyDigits returns the number of minor-unit digits of an ISO 4217
// currency (case-insensitive): JPY 0, USD 2, KWD 3, unknown 2. The table
// is the API's (api.CurrencyDigits).
func CurrencyDigits(currency string) int {
	return api.CurrencyDigits(strings.TrimSpace(currency))
}

// ParseBool coerces a boolean option: true/false (case-insensitive), "1"/"0",
// JSON booleans and the numbers 1/0. An empty HTML attribute is true
// (attribute present); an empty JS string is false.
func ParseBool(v any, src Source) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case float64:
		if x == 1 {
			return true, nil
		}
		if x == 0 {
			return false, nil
		}
	case json.Number:
		return ParseBool(string(x), SourceJS)
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "":
			return src == SourceHTML, nil
		case "true", "1":
			return true, nil
		case "false", "0":
			return false, nil
		}
		return false, fmt.Errorf("%q is not a boolean (true/false)", x)
	}
	return false, fmt.Errorf("%s is not a boolean (true/false)", describe(v))
}

// ParseInt coerces an integer option: a base-10 string without separators or
// an integral JSON number.
func ParseInt(v any) (int64, error) {
	switch x := v.(type) {
	case float64:
		if x != math.Trunc(x) || math.IsInf(x, 0) || math.IsNaN(x) || math.Abs(x) > 1<<53 {
			return 0, fmt.Errorf("%v is not an integer", x)
		}
		return int64(x), nil
	case int:
		return int64(x), nil
	case int64:
		return x, nil
	case json.Number:
		return ParseInt(string(x))
	case string:
		s := strings.TrimSpace(x)
		n, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64)
		if err != nil || s == "" {
			return 0, fmt.Errorf("%q is not an integer", x)
		}
		return n, nil
	}
	return 0, fmt.Errorf("%s is not an integer", describe(v))
}

// ParseAmount coerces an amount to minor units of currency (docs/widget.md,
// "Coercion"):
//
//   - an integer ("1000", 1000) is already in minor units (USD 900 = $9.00);
//   - a decimal string or non-integral number is in major units and is
//     scaled by 10^digits: "1000.00" JPY = 1000, "9.00" USD = 900,
//     "9.5" USD = 950; more fractional digits than the currency has (other
//     than trailing zeros) is an error: "1000.5" JPY, "9.001" USD.
//
// Negative amounts, separators and exponents are errors.
func ParseAmount(v any, currency string) (int64, error) {
	digits := CurrencyDigits(currency)
	var s string
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, fmt.Errorf("%v is not an amount", x)
		}
		if x == math.Trunc(x) {
			if x < 0 {
				return 0, fmt.Errorf("amount must not be negative")
			}
			if x > 1<<53 {
				return 0, fmt.Errorf("amount %v is too large", x)
			}
			return int64(x), nil
		}
		s = strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		s = strconv.Itoa(x)
	case int64:
		s = strconv.FormatInt(x, 10)
	case json.Number:
		s = string(x)
	case string:
		s = x
	default:
		return 0, fmt.Errorf("%s is not an amount", describe(v))
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("amount is empty")
	}
	if strings.HasPrefix(s, "-") {
		return 0, errors.New("amount must not be negative")
	}
	s = strings.TrimPrefix(s, "+")
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && hasDot && frac != "" {
		intPart = "0" // ".50"
	}
	if !allDigits(intPart) || (hasDot && frac != "" && !allDigits(frac)) {
		return 0, fmt.Errorf("%q is not an amount (digits, optionally with a decimal point)", s)
	}
	if hasDot {
		trimmed := strings.TrimRight(frac, "0")
		if len(trimmed) > digits {
			if digits == 0 {
				return 0, fmt.Errorf("%q: %s has no minor unit, the amount must be a whole number", s, strings.ToUpper(currencyOr(currency)))
			}
			return 0, fmt.Errorf("%q: %s has only %d decimal places", s, strings.ToUpper(currencyOr(currency)), digits)
		}
		frac = trimmed + strings.Repeat("0", digits-len(trimmed))
	} else {
		frac = ""
	}
	// The digits are ASCII (allDigits), so ParseInt fails only beyond int64.
	n, err := strconv.ParseInt(intPart+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("amount %q is too large", s)
	}
	return n, nil
}

func currencyOr(c string) string {
	if c == "" {
		return "jpy"
	}
	return c
}

var allDigits = api.AllDigits

// ParseTimeShift parses an expiration time shift (docs/widget.md,
// "Coercion"): "hh:mm:ss" or "hh:mm:ss.SSS" followed by "+hh:mm", "-hh:mm" or
// "Z". A missing offset is taken as +09:00 (added reports that). The result
// is the normalised value sent to the API.
func ParseTimeShift(s string) (norm string, added bool, err error) {
	s = strings.TrimSpace(s)
	body, off := s, ""
	if i := strings.IndexAny(s, "+-Zz"); i >= 0 {
		body, off = s[:i], strings.ToUpper(s[i:])
	}
	clock, frac, hasFrac := strings.Cut(body, ".")
	parts := strings.Split(clock, ":")
	if len(parts) != 3 || (hasFrac && (!allDigits(frac) || len(frac) > 9)) {
		return "", false, fmt.Errorf("%q is not hh:mm:ss+hh:mm", s)
	}
	lim := []int{23, 59, 59}
	for i, x := range parts {
		n, e := strconv.Atoi(x)
		if len(x) != 2 || e != nil || n > lim[i] {
			return "", false, fmt.Errorf("%q is not hh:mm:ss+hh:mm", s)
		}
	}
	switch {
	case off == "":
		off, added = "+09:00", true
	case off == "Z":
	default:
		oh, om, ok := strings.Cut(off[1:], ":")
		h, e1 := strconv.Atoi(oh)
		m, e2 := strconv.Atoi(om)
		if !ok || len(oh) != 2 || len(om) != 2 || e1 != nil || e2 != nil || h > 14 || m > 59 {
			return "", false, fmt.Errorf("%q has an invalid UTC offset", s)
		}
	}
	return body + off, added, nil
}

// DateTime is a parsed captureAt value (docs/widget.md, "Coercion").
type DateTime struct {
	// Raw is the value as given.
	Raw string
	// Time is the instant; for a date-only value it is 00:00 JST of that date.
	Time time.Time
	// DateOnly is true when no time of day was given.
	DateOnly bool
}

// IsZero reports whether no value was given.
func (d DateTime) IsZero() bool { return d.Raw == "" && d.Time.IsZero() }

// For returns the instant for a payment type: a date-only value means 09:00
// JST for card (and Paidy), and 24:00 of that day (= next day 00:00 JST) for
// konbini and bank transfer (docs/widget.md, "Coercion").
func (d DateTime) For(paymentType string) time.Time {
	if !d.DateOnly {
		return d.Time
	}
	switch paymentType {
	case "konbini", "bank_transfer":
		return d.Time.AddDate(0, 0, 1)
	}
	return d.Time.Add(9 * time.Hour)
}

// ParseDateTime parses a captureAt value: YYYYMMDD, YYYY-MM-DD,
// YYYYMMDDThhmmss, YYMMDDThhmmss, or ISO-8601 with or without fractional
// seconds and offset. Values without an offset are Japan time.
func ParseDateTime(s string) (DateTime, error) {
	raw := s
	s = strings.TrimSpace(s)
	for _, l := range []string{"20060102", "2006-01-02"} {
		if t, err := time.ParseInLocation(l, s, JST); err == nil {
			return DateTime{Raw: raw, Time: t, DateOnly: true}, nil
		}
	}
	zoned := []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04Z07:00",
		"20060102T150405Z07:00", "20060102T150405Z0700"}
	for _, l := range zoned {
		if t, err := time.Parse(l, s); err == nil {
			return DateTime{Raw: raw, Time: t}, nil
		}
	}
	local := []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04:05",
		"20060102T150405", "060102T150405"}
	for _, l := range local {
		if t, err := time.ParseInLocation(l, s, JST); err == nil {
			return DateTime{Raw: raw, Time: t}, nil
		}
	}
	return DateTime{}, fmt.Errorf("%q is not a date (YYYY-MM-DD, YYYYMMDD) or ISO-8601 date-time", raw)
}

// SanitizeCSS removes what could escape an inline style of the widget frame
// (docs/widget.md, "Coercion"): url(, expression(, @import, javascript:,
// angle brackets and backslashes (a CSS escape can spell any of the others),
// in any letter case. The forbidden words are ASCII, so the match folds ASCII
// letters only: byte positions stay those of css whatever else it holds, and
// removing a word can join its neighbours into a new one, which the next pass
// removes. changed reports whether anything was removed.
func SanitizeCSS(css string) (clean string, changed bool) {
	out := css
	for again := true; again; {
		again = false
		for _, bad := range cssForbidden {
			for {
				i := indexASCIIFold(out, bad)
				if i < 0 {
					break
				}
				out = out[:i] + out[i+len(bad):]
				again = true
			}
		}
	}
	return out, out != css
}

// cssForbidden are the lower-case words SanitizeCSS removes.
var cssForbidden = []string{"url(", "expression(", "@import", "javascript:", "<", ">", "\\"}

// indexASCIIFold is strings.Index with ASCII letters matched in any case;
// word must be lower case.
func indexASCIIFold(s, word string) int {
	for i := 0; i+len(word) <= len(s); i++ {
		j := 0
		for ; j < len(word); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != word[j] {
				break
			}
		}
		if j == len(word) {
			return i
		}
	}
	return -1
}

// splitEscaped splits s on unescaped sep; "\sep" is a literal sep and "\\" a
// literal backslash. Items are trimmed; empty items are kept.
func splitEscaped(s string, sep rune) []string {
	var out []string
	var b strings.Builder
	esc := false
	for _, r := range s {
		switch {
		case esc:
			if r != sep && r != '\\' {
				b.WriteRune('\\')
			}
			b.WriteRune(r)
			esc = false
		case r == '\\':
			esc = true
		case r == sep:
			out = append(out, strings.TrimSpace(b.String()))
			b.Reset()
		default:
			b.WriteRune(r)
		}
	}
	if esc {
		b.WriteRune('\\')
	}
	return append(out, strings.TrimSpace(b.String()))
}

// describe names the JSON type of v for messages.
func describe(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case float64, json.Number, int, int64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("a %T", v)
}

// formatNumber renders a JSON number without exponent where possible.
func formatNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
