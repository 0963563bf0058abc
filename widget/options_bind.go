package widget

import (
	"fmt"
	"strings"
	"time"

	"kessai/api"
)

// A binding ties a row of the parameter table to its field of Options, as
// flag.FlagSet.StringVar binds a variable: the constructor's type is the
// field's type and the coercion that fills it (docs/widget.md, "Coercion").
// Adding a parameter is one row in params.go with its binding, plus the code
// that reads the field.
type binding struct {
	kind Kind
	// set coerces a raw value and stores it; a value that cannot be coerced
	// is reported through c and leaves the field as it was.
	set func(o *Options, c coercion, v any)
	// get returns the field's value (tests and the parameter reference).
	get func(o *Options) any
}

// coercion is what a binding needs besides the raw value.
type coercion struct {
	q   Param
	src Source
	ps  *Problems
}

func (c coercion) errorf(format string, a ...any) { c.ps.errorf(c.q.Name, fmt.Sprintf(format, a...)) }
func (c coercion) warnf(format string, a ...any)  { c.ps.warnf(c.q.Name, fmt.Sprintf(format, a...)) }

// fail reports err and returns false, for parse functions.
func (c coercion) fail(err error) bool { c.ps.errorf(c.q.Name, err.Error()); return false }

// bindVar binds a field of type T, filled by parse.
func bindVar[T any](kind Kind, field func(*Options) *T, parse func(c coercion, o *Options, v any) (T, bool)) binding {
	return binding{
		kind: kind,
		set: func(o *Options, c coercion, v any) {
			if x, ok := parse(c, o, v); ok {
				*field(o) = x
			}
		},
		get: func(o *Options) any { return *field(o) },
	}
}

// bindFlagged binds a field of type T and the bool that says it was given
// (Options.AmountSet and the like).
func bindFlagged[T any](kind Kind, field func(*Options) (*T, *bool), parse func(c coercion, o *Options, v any) (T, bool)) binding {
	return binding{
		kind: kind,
		set: func(o *Options, c coercion, v any) {
			if x, ok := parse(c, o, v); ok {
				p, given := field(o)
				*p, *given = x, true
			}
		},
		get: func(o *Options) any { p, _ := field(o); return *p },
	}
}

// text coerces a scalar to trimmed text.
func text(c coercion, _ *Options, v any) (string, bool) {
	s, err := coerceString(v)
	if err != nil {
		return "", c.fail(err)
	}
	return s, true
}

// textThen is text followed by a check or normalisation of the text.
func textThen(then func(c coercion, s string) (string, bool)) func(coercion, *Options, any) (string, bool) {
	return func(c coercion, o *Options, v any) (string, bool) {
		s, ok := text(c, o, v)
		if !ok {
			return "", false
		}
		return then(c, s)
	}
}

// stringVar binds free text.
func stringVar(f func(*Options) *string) binding { return bindVar(KindString, f, text) }

// upperVar binds free text stored upper case (a country code).
func upperVar(f func(*Options) *string) binding {
	return bindVar(KindString, f, textThen(func(_ coercion, s string) (string, bool) { return strings.ToUpper(s), true }))
}

// boolVar binds a boolean (ParseBool).
func boolVar(f func(*Options) *bool) binding {
	return bindVar(KindBool, f, func(c coercion, _ *Options, v any) (bool, bool) {
		b, err := ParseBool(v, c.src)
		if err != nil {
			return false, c.fail(err)
		}
		return b, true
	})
}

func parseInt(c coercion, _ *Options, v any) (int64, bool) {
	n, err := ParseInt(v)
	if err != nil {
		return 0, c.fail(err)
	}
	return n, true
}

// intVar binds an integer.
func intVar(f func(*Options) *int64) binding { return bindVar(KindInt, f, parseInt) }

// countVar binds an integer and the flag that says it was given.
func countVar(f func(*Options) (*int64, *bool)) binding { return bindFlagged(KindInt, f, parseInt) }

// secondsVar binds a non-negative number of seconds to a duration.
func secondsVar(f func(*Options) *time.Duration) binding {
	return bindVar(KindInt, f, func(c coercion, o *Options, v any) (time.Duration, bool) {
		n, ok := parseInt(c, o, v)
		if !ok {
			return 0, false
		}
		if n < 0 {
			c.errorf("must not be negative")
			return 0, false
		}
		return time.Duration(n) * time.Second, true
	})
}

// amountVar binds an amount in minor units of Options.Currency (parsed
// first) and the flag that says it was given.
func amountVar(f func(*Options) (*int64, *bool)) binding {
	return bindFlagged(KindAmount, f, func(c coercion, o *Options, v any) (int64, bool) {
		n, err := ParseAmount(v, o.Currency)
		if err != nil {
			return 0, c.fail(err)
		}
		if x, ok := v.(float64); ok && x != float64(int64(x)) {
			c.warnf("fractional number %v read as major units = %d minor units", x, n)
		}
		return n, true
	})
}

// currencyVar binds an ISO 4217 code, stored upper case (checked by
// Validate).
func currencyVar(f func(*Options) *string) binding {
	return bindVar(KindCurrency, f, textThen(func(_ coercion, s string) (string, bool) { return strings.ToUpper(s), true }))
}

// enumVar binds one of the row's Values, stored lower case and checked by
// Validate.
func enumVar(f func(*Options) *string) binding {
	return bindVar(KindEnum, f, textThen(func(_ coercion, s string) (string, bool) { return strings.ToLower(s), true }))
}

// lenientEnumVar is enumVar where an unknown value becomes the row's
// Default with a warning (size).
func lenientEnumVar(f func(*Options) *string) binding {
	return bindVar(KindEnum, f, textThen(func(c coercion, s string) (string, bool) {
		s = strings.ToLower(s)
		if !contains(c.q.Values, s) {
			c.warnf("%q is not one of %s; using %s", s, strings.Join(c.q.Values, ", "), c.q.Default)
			s = c.q.Default
		}
		return s, true
	}))
}

// localeVar binds a locale, normalised; an unsupported one becomes auto
// with a warning.
func localeVar(f func(*Options) *string) binding {
	return bindVar(KindLocale, f, textThen(func(c coercion, s string) (string, bool) {
		norm := NormalizeLocale(s)
		if !contains(LocaleValues, norm) {
			c.warnf("%q is not a supported locale; using auto", s)
			norm = "auto"
		}
		return norm, true
	}))
}

// enumListVar binds a list of the row's Values, lower case, without
// duplicates; unknown values are dropped with a warning.
func enumListVar(f func(*Options) *[]string) binding {
	return bindVar(KindEnumList, f, func(c coercion, _ *Options, v any) ([]string, bool) {
		items, err := coerceList(v, false)
		if err != nil {
			return nil, c.fail(err)
		}
		var out []string
		for _, it := range items {
			it = strings.ToLower(it)
			if !contains(c.q.Values, it) {
				c.warnf("unknown value %q ignored", it)
				continue
			}
			if !contains(out, it) {
				out = append(out, it)
			}
		}
		return out, true
	})
}

// listVar binds a list of strings (empty items dropped).
func listVar(f func(*Options) *[]string) binding {
	return bindVar(KindList, f, func(c coercion, _ *Options, v any) ([]string, bool) {
		items, err := coerceList(v, false)
		if err != nil {
			return nil, c.fail(err)
		}
		return items, true
	})
}

// intListVar binds a list of integers.
func intListVar(f func(*Options) *[]int64) binding {
	return bindVar(KindIntList, f, func(c coercion, _ *Options, v any) ([]int64, bool) {
		items, err := coerceList(v, false)
		if err != nil {
			return nil, c.fail(err)
		}
		ns := make([]int64, 0, len(items))
		for _, it := range items {
			n, err := ParseInt(it)
			if err != nil {
				return nil, c.fail(err)
			}
			ns = append(ns, n)
		}
		return ns, true
	})
}

// customListVar binds one of the custom-field lists: positions matter, so
// empty items stay and "\," is a literal comma.
func customListVar(f func(*Options) *[]string) binding {
	return bindVar(KindCustomList, f, func(c coercion, _ *Options, v any) ([]string, bool) {
		items, err := coerceList(v, true)
		if err != nil {
			return nil, c.fail(err)
		}
		return items, true
	})
}

// metadataVar binds metadata (docs/widget.md, "Metadata").
func metadataVar(f func(*Options) *Metadata) binding {
	return bindVar(KindMetadata, f, func(c coercion, _ *Options, v any) (Metadata, bool) {
		md, warns, err := ParseMetadata(v)
		if err != nil {
			return nil, c.fail(err)
		}
		for _, w := range warns {
			c.warnf("%s", w)
		}
		return md, true
	})
}

// durationVar binds an ISO-8601 duration, stored upper case.
func durationVar(f func(*Options) *string) binding {
	return bindVar(KindDuration, f, textThen(func(c coercion, s string) (string, bool) {
		if _, ok := api.ParseDuration(s); !ok {
			c.errorf("%q is not an ISO-8601 duration such as P30D", s)
			return "", false
		}
		return strings.ToUpper(s), true
	}))
}

// timeShiftVar binds a time of day with its UTC offset (+09:00 assumed
// with a warning).
func timeShiftVar(f func(*Options) *string) binding {
	return bindVar(KindTimeShift, f, textThen(func(c coercion, s string) (string, bool) {
		norm, added, err := ParseTimeShift(s)
		if err != nil {
			return "", c.fail(err)
		}
		if added {
			c.warnf("no UTC offset; +09:00 assumed")
		}
		return norm, true
	}))
}

// dateTimeVar binds a date or date-time (the captureAt formats).
func dateTimeVar(f func(*Options) *DateTime) binding {
	return bindVar(KindDateTime, f, func(c coercion, o *Options, v any) (DateTime, bool) {
		s, ok := text(c, o, v)
		if !ok {
			return DateTime{}, false
		}
		dt, err := ParseDateTime(s)
		if err != nil {
			return DateTime{}, c.fail(err)
		}
		return dt, true
	})
}

// dateVar binds a date, stored as YYYY-MM-DD.
func dateVar(f func(*Options) *string) binding {
	return bindVar(KindDate, f, textThen(func(c coercion, s string) (string, bool) {
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			if t, err = time.Parse("20060102", s); err != nil {
				c.errorf("%q is not a date YYYY-MM-DD", s)
				return "", false
			}
		}
		return t.Format("2006-01-02"), true
	}))
}

// periodVar binds a named period (lower case) or a date duration (upper
// case).
func periodVar(f func(*Options) *string) binding {
	return bindVar(KindPeriod, f, textThen(func(c coercion, s string) (string, bool) {
		if low := strings.ToLower(s); contains(c.q.Values, low) {
			return low, true
		}
		d, ok := api.ParseDuration(s)
		if !ok || d.HasTime() {
			c.errorf("%q is not one of %s or a duration PnD/PnW/PnM/PnY", s, strings.Join(c.q.Values, ", "))
			return "", false
		}
		return strings.ToUpper(s), true
	}))
}

// cssVar binds inline CSS, sanitised (SanitizeCSS).
func cssVar(f func(*Options) *string) binding {
	return bindVar(KindCSS, f, textThen(func(c coercion, s string) (string, bool) {
		clean, changed := SanitizeCSS(s)
		if changed {
			c.warnf("unsafe CSS removed (url(, expression(, @import, javascript:, <, >, \\)")
		}
		return clean, true
	}))
}

// elementVar binds a JS-only CSS selector; anything else is ignored with a
// warning.
func elementVar(f func(*Options) *string) binding {
	return bindVar(KindElement, f, func(c coercion, _ *Options, v any) (string, bool) {
		s, ok := v.(string)
		if !ok {
			c.warnf("must be a CSS selector string; ignored")
			return "", false
		}
		return strings.TrimSpace(s), true
	})
}

// callbackVar binds a JS callback: its name joins Options.Callbacks (the
// loader keeps the function itself).
func callbackVar() binding {
	return binding{
		kind: KindCallback,
		set:  func(o *Options, c coercion, _ any) { o.Callbacks = append(o.Callbacks, c.q.Name) },
		get:  func(o *Options) any { return o.Callbacks },
	}
}

// ignored is the binding of a deprecated parameter: accepted, stored
// nowhere (ParseOptions warns).
func ignored(kind Kind) binding {
	return binding{kind: kind, set: func(*Options, coercion, any) {}, get: func(*Options) any { return nil }}
}
