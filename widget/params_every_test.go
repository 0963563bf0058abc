package widget

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// A value form: a raw value as an attribute (SourceHTML) or a JS option
// (SourceJS) gives, and the field's value it must give.
type valueForm struct {
	src  Source
	v    any
	want any
}

// A rejected value and the problem it gives on its parameter.
type rejected struct {
	src  Source
	v    any
	msg  string // part of the reason
	warn bool   // a warning (the value is corrected or dropped), not an error
}

type paramCase struct {
	forms  []valueForm
	reject *rejected // nil: every value is accepted (callbacks, text attributes)
}

const (
	html = SourceHTML
	js   = SourceJS
)

// caseFor is the table of value forms of a row: by its kind, with the
// exceptions of the rows whose binding stores differently.
func caseFor(q Param) paramCase {
	switch q.Name {
	case "shippingAddressCountryCode":
		return paramCase{forms: []valueForm{{html, " us ", "US"}, {js, "Jp", "JP"}},
			reject: &rejected{js, map[string]any{}, "must be a string, not an object", false}}
	case "timeout":
		return paramCase{forms: []valueForm{{html, "12", 12 * time.Second}, {html, " +12 ", 12 * time.Second}, {js, 12.0, 12 * time.Second}, {js, "0", time.Duration(0)}},
			reject: &rejected{js, -1.0, "must not be negative", false}}
	case "size":
		return paramCase{forms: []valueForm{{html, "LARGE", "large"}, {html, "small", "small"}},
			reject: &rejected{html, "huge", `"huge" is not one of small, normal, large; using normal`, true}}
	}
	switch q.Kind {
	case KindString:
		if q.Avail == HTMLOnly {
			// An attribute is text: any value is accepted.
			return paramCase{forms: []valueForm{{html, "  Shop 1 ", "Shop 1"}, {html, "", ""}}}
		}
		return paramCase{forms: []valueForm{{html, "  Shop 1 ", "Shop 1"}, {js, "Shop 1", "Shop 1"}, {js, 12.0, "12"}, {js, true, "true"}},
			reject: &rejected{js, map[string]any{}, "must be a string, not an object", false}}
	case KindBool:
		return paramCase{forms: []valueForm{{html, "true", true}, {html, "TRUE", true}, {html, "1", true}, {html, "", true},
			{html, "False", false}, {html, "0", false}, {js, true, true}, {js, false, false}, {js, 1.0, true}, {js, 0.0, false},
			{js, "true", true}, {js, "false", false}, {js, "", false}},
			reject: &rejected{html, "yes", `"yes" is not a boolean (true/false)`, false}}
	case KindInt:
		return paramCase{forms: []valueForm{{html, "12", int64(12)}, {html, " +12 ", int64(12)}, {js, 12.0, int64(12)}, {js, "12", int64(12)}},
			reject: &rejected{html, "1,000", `"1,000" is not an integer`, false}}
	case KindAmount:
		return paramCase{forms: []valueForm{{html, "1000", int64(1000)}, {html, "1000.00", int64(1000)}, {js, 1000.0, int64(1000)}, {js, "1000", int64(1000)}},
			reject: &rejected{html, "1e3", `"1e3" is not an amount`, false}}
	case KindCurrency:
		return paramCase{forms: []valueForm{{html, "usd", "USD"}, {js, "Usd", "USD"}, {js, "JPY", "JPY"}},
			reject: &rejected{html, "yens", `"YENS" is not a 3-letter ISO 4217 code`, false}}
	case KindEnum:
		v := q.Values[len(q.Values)-1]
		return paramCase{forms: []valueForm{{html, strings.ToUpper(v), v}, {js, v, v}},
			reject: &rejected{html, "nope", `"nope" is not`, false}}
	case KindEnumList:
		a, b := q.Values[0], q.Values[1]
		return paramCase{forms: []valueForm{{html, strings.ToUpper(a) + " , " + b, []string{a, b}}, {html, a + "," + a, []string{a}},
			{js, []any{a, b}, []string{a, b}}, {js, a + "," + b, []string{a, b}}},
			reject: &rejected{html, "nope", `unknown value "nope" ignored`, true}}
	case KindList:
		return paramCase{forms: []valueForm{{html, "a, b,", []string{"a", "b"}}, {js, []any{"a", "b"}, []string{"a", "b"}}, {js, "a,b", []string{"a", "b"}}},
			reject: &rejected{js, map[string]any{}, "must be a comma-separated list or an array, not an object", false}}
	case KindIntList:
		return paramCase{forms: []valueForm{{html, "1, 2", []int64{1, 2}}, {js, []any{1.0, 2.0}, []int64{1, 2}}, {js, "1,2", []int64{1, 2}}},
			reject: &rejected{html, "1,x", `"x" is not an integer`, false}}
	case KindMetadata:
		const want = `{"order":"A-1"}`
		return paramCase{forms: []valueForm{{html, "order:A-1", want}, {html, `order:"A-1"`, want}, {js, map[string]any{"order": "A-1"}, want}, {js, want, want}},
			reject: &rejected{js, 12.0, "metadata must be an object or a key:value string, not a number", false}}
	case KindDuration:
		return paramCase{forms: []valueForm{{html, "p1d", "P1D"}, {js, "P1M", "P1M"}},
			reject: &rejected{html, "1 day", `"1 day" is not an ISO-8601 duration`, false}}
	case KindDateTime:
		const want = "2099-01-01T18:04:05Z"
		return paramCase{forms: []valueForm{{html, "2099-01-02T03:04:05+09:00", want}, {html, "20990102T030405", want}, {js, "2099-01-01T18:04:05Z", want}},
			reject: &rejected{html, "tomorrow", `"tomorrow"`, false}}
	case KindDate:
		return paramCase{forms: []valueForm{{html, "20990102", "2099-01-02"}, {js, "2099-01-02", "2099-01-02"}},
			reject: &rejected{html, "2099/01/02", `"2099/01/02" is not a date YYYY-MM-DD`, false}}
	case KindTimeShift:
		return paramCase{forms: []valueForm{{html, "12:34:56+09:00", "12:34:56+09:00"}, {js, "12:34:56.000Z", "12:34:56.000Z"}},
			reject: &rejected{html, "noon", `"noon"`, false}}
	case KindPeriod:
		return paramCase{forms: []valueForm{{html, "Monthly", "monthly"}, {html, "p2w", "P2W"}, {js, "biweekly", "biweekly"}},
			reject: &rejected{html, "PT1H", `"PT1H" is not one of daily`, false}}
	case KindLocale:
		return paramCase{forms: []valueForm{{html, "ja_JP", "ja-jp"}, {js, "EN", "en"}, {js, "zh-TW", "zh-tw"}},
			reject: &rejected{html, "xx", `"xx" is not a supported locale; using auto`, true}}
	case KindCSS:
		return paramCase{forms: []valueForm{{html, "color:red", "color:red"}, {js, "color:red;margin:0", "color:red;margin:0"}},
			reject: &rejected{html, "background:url(x)", "unsafe CSS removed", true}}
	case KindCustomList:
		return paramCase{forms: []valueForm{{html, `a\,b,c`, []string{"a,b", "c"}}, {js, []any{"a,b", "c"}, []string{"a,b", "c"}}},
			reject: &rejected{js, map[string]any{}, "must be a comma-separated list or an array, not an object", false}}
	case KindElement:
		return paramCase{forms: []valueForm{{js, " #pay-form ", "#pay-form"}},
			reject: &rejected{js, 1.0, "must be a CSS selector string; ignored", true}}
	case KindCallback:
		return paramCase{forms: []valueForm{{js, true, []string{q.Name}}}}
	}
	panic(fmt.Sprintf("no value forms for kind %s", q.Kind))
}

// fieldValue is a row's field in comparable form: metadata as JSON, a
// date-time as its UTC instant.
func fieldValue(t *testing.T, q Param, o Options) any {
	t.Helper()
	v := q.bind.get(&o)
	switch x := v.(type) {
	case Metadata:
		if x == nil {
			return nil
		}
		b, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	case DateTime:
		if x.IsZero() {
			return nil
		}
		return x.Time.UTC().Format(time.RFC3339)
	}
	return v
}

// spellings are a row's names in a source: the attribute and its aliases,
// or the option and its aliases.
func spellings(q Param, src Source) []string {
	if src == SourceHTML {
		return q.Attrs()
	}
	return q.OptionNames()
}

func problemsOf(ps Problems, name string) Problems {
	var out Problems
	for _, p := range ps {
		if p.Param == name {
			out = append(out, p)
		}
	}
	return out
}

// TestEveryParameter goes through the parameter table: each parameter's
// default, each accepted spelling with each value form, and one rejected
// value with its message.
func TestEveryParameter(t *testing.T) {
	for _, q := range Params() {
		t.Run(q.Name, func(t *testing.T) {
			// The default: what an unset parameter's field holds is what
			// its documented Default gives.
			unset, _ := ParseOptions(SourceJS, nil)
			if q.Deprecated {
				for _, src := range []Source{html, js} {
					for _, name := range spellings(q, src) {
						o, ps := ParseOptions(src, map[string]any{name: "x"})
						if p := problemsOf(ps, q.Name); len(p) != 1 || !p[0].Warning || !strings.Contains(p[0].Reason, "no longer supported") || o.IsSet(q.Name) {
							t.Errorf("%s=x: problems %v, set %v; want a warning that it is ignored", name, p, o.IsSet(q.Name))
						}
					}
				}
				return
			}
			if q.Default != "" {
				d, ps := ParseOptions(SourceJS, map[string]any{q.Name: q.Default})
				if q.Avail == HTMLOnly {
					d, ps = ParseOptions(SourceHTML, map[string]any{q.HTML(): q.Default})
				}
				if len(ps) > 0 || !reflect.DeepEqual(fieldValue(t, q, unset), fieldValue(t, q, d)) {
					t.Errorf("unset gives %#v, the default %q gives %#v (%v)", fieldValue(t, q, unset), q.Default, fieldValue(t, q, d), ps)
				}
			} else if v := reflect.ValueOf(q.bind.get(&unset)); v.IsValid() && !v.IsZero() {
				t.Errorf("no documented default, but unset gives %#v", v.Interface())
			}

			c := caseFor(q)
			tried := 0
			for _, f := range c.forms {
				for _, name := range spellings(q, f.src) {
					tried++
					o, ps := ParseOptions(f.src, map[string]any{name: f.v})
					if len(ps) > 0 || !o.IsSet(q.Name) {
						t.Errorf("%s=%#v: problems %v, set %v", name, f.v, ps, o.IsSet(q.Name))
						continue
					}
					if got := fieldValue(t, q, o); !reflect.DeepEqual(got, f.want) {
						t.Errorf("%s=%#v gives %#v, want %#v", name, f.v, got, f.want)
					}
				}
			}
			if tried == 0 {
				t.Errorf("no value form tried")
			}

			if c.reject == nil {
				return
			}
			r := c.reject
			names := spellings(q, r.src)
			if len(names) == 0 {
				t.Fatalf("the rejected value's source has no spelling")
			}
			raw := map[string]any{names[0]: r.v}
			parsed, parseProblems := ParseOptions(r.src, raw)
			_, all := ParseAndValidate(r.src, raw)
			ps := problemsOf(all, q.Name)
			found := false
			for _, p := range ps {
				if strings.Contains(p.Reason, r.msg) && p.Warning == r.warn {
					found = true
				}
			}
			if !found {
				t.Errorf("%s=%#v: problems %v, want a %s containing %q", names[0], r.v, ps, map[bool]string{true: "warning", false: "error"}[r.warn], r.msg)
			}
			// A value that cannot be coerced leaves the default in place.
			if p := problemsOf(parseProblems, q.Name); len(p) > 0 && p.HasErrors() {
				if got, want := fieldValue(t, q, parsed), fieldValue(t, q, unset); !reflect.DeepEqual(got, want) {
					t.Errorf("%s=%#v: the field holds %#v, want the default %#v", names[0], r.v, got, want)
				}
			}
			// The message names the parameter and the value as given.
			for _, p := range ps {
				if want := fmt.Sprint(r.v); r.src == SourceHTML && p.Value != want {
					t.Errorf("%s: problem value %q, want %q", names[0], p.Value, want)
				}
			}
		})
	}
}
