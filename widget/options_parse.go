package widget

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Source says where raw options come from.
type Source int

// Option sources.
const (
	// SourceHTML: attribute name ("data-app-id") → string value.
	SourceHTML Source = iota
	// SourceJS: option name ("appId") → value decoded from JSON.
	SourceJS
)

func (s Source) String() string {
	if s == SourceJS {
		return "js"
	}
	return "html"
}

// ParseSource parses "html" or "js" (Init.Source of the message contract).
func ParseSource(s string) (Source, bool) {
	switch strings.ToLower(s) {
	case "html":
		return SourceHTML, true
	case "js":
		return SourceJS, true
	}
	return SourceHTML, false
}

// ParseAndValidate is ParseOptions followed by Validate.
func ParseAndValidate(src Source, raw map[string]any) (Options, Problems) {
	o, ps := ParseOptions(src, raw)
	return o, append(ps, o.Validate()...)
}

type rawValue struct {
	key  string
	val  any
	rank int // 0 = canonical name, 1+ = alias position
}

// ParseOptions builds Options from raw merchant options (docs/widget.md,
// "Coercion"): for SourceHTML the span's attributes ("data-app-id" → "..."),
// for SourceJS the create() object decoded from JSON (functions already
// removed). It coerces types (booleans, amounts, lists, metadata, dates);
// enumerations are normalised here and checked by Validate. Invalid values
// never panic: they are reported as Problems and leave the default in place.
//
// HTML: aliases yield to canonical names (data-text over data-txt,
// data-checkout over data-checkout-type); unknown data-* attributes become
// arbitrary fields (docs/widget.md, "Arbitrary data-* fields";
// Options.Fields); attributes without "data-" are ignored. JS: unknown
// options and HTML-only names give a warning.
func ParseOptions(src Source, raw map[string]any) (Options, Problems) {
	o := DefaultOptions()
	o.given = map[string]bool{}
	o.values = map[string]string{}
	var ps Problems

	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	chosen := map[int]rawValue{}
	for _, key := range keys {
		v := raw[key]
		var idx, rank int
		if src == SourceHTML {
			attr := strings.ToLower(strings.TrimSpace(key))
			if !strings.HasPrefix(attr, "data-") || len(attr) == len("data-") {
				continue
			}
			i, ok := byHTML[attr]
			if !ok {
				parseArbitrary(&o, &ps, attr, v)
				continue
			}
			idx, rank = i, indexOf(paramTable[i].Attrs(), attr)
		} else {
			i, ok := byJS[key]
			if !ok {
				if q, ok := LookupParam(key); ok && q.Avail == HTMLOnly {
					ps.warnf(key, fmt.Sprintf("is an HTML-only parameter (%s); ignored in JavaScript mode", q.HTML()))
				} else {
					ps.warnf(key, "unknown option; ignored")
				}
				continue
			}
			idx, rank = i, indexOf(paramTable[i].OptionNames(), key)
		}
		if cur, ok := chosen[idx]; !ok || rank < cur.rank {
			chosen[idx] = rawValue{key: key, val: v, rank: rank}
		}
	}

	// Currency first: amounts are scaled by its minor-unit digits.
	order := make([]int, 0, len(chosen))
	for i := range chosen {
		order = append(order, i)
	}
	sort.Slice(order, func(a, b int) bool {
		ca, cb := paramTable[order[a]].Kind == KindCurrency, paramTable[order[b]].Kind == KindCurrency
		if ca != cb {
			return ca
		}
		return order[a] < order[b]
	})
	for _, i := range order {
		q := paramTable[i]
		rv := chosen[i]
		if rv.val == nil {
			continue // JS null/undefined = not given
		}
		if q.Deprecated {
			ps.warnf(q.Name, "is no longer supported; ignored")
			continue
		}
		o.given[q.Name] = true
		o.values[q.Name] = rawText(rv.val)
		q.bind.set(&o, coercion{q: q, src: src, ps: &ps}, rv.val)
	}
	o.CustomFields = o.custom.build()
	return o, o.withValues(ps)
}

// rawText is a raw option value as the merchant wrote it: strings as they
// are, other JSON values (numbers, booleans, arrays, objects) as JSON.
func rawText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// Value returns the value the merchant gave for a parameter (canonical
// name), as given; empty when it was not given.
func (o Options) Value(name string) string { return o.values[name] }

// withValues fills each problem's Value from the values given, so that a
// message names the parameter and the value (docs/widget.md,
// "Configuration errors").
func (o Options) withValues(ps Problems) Problems {
	for i := range ps {
		if ps[i].Value == "" {
			ps[i].Value = o.values[ps[i].Param]
		}
	}
	return ps
}

// parseArbitrary handles a data-* attribute that is no parameter
// (docs/widget.md, "Arbitrary data-* fields").
func parseArbitrary(o *Options, ps *Problems, attr string, v any) {
	rest := strings.TrimPrefix(attr, "data-")
	switch {
	case strings.HasPrefix(rest, "qr-"), strings.HasPrefix(rest, "custom-field-"):
		ps.warnf(attr, "unknown parameter; ignored")
		return
	}
	s, err := coerceString(v)
	if err != nil {
		ps.warnf(attr, err.Error())
		return
	}
	if o.Fields == nil {
		o.Fields = map[string]string{}
	}
	o.Fields[AttrToName(attr)] = s
}

// build assembles the custom fields from the raw lists: field i is
// described by position i of each list; shorter lists are padded (type
// string, not required, key = label); options are ";"-separated.
func (c customLists) build() []CustomField {
	if len(c.Labels) == 0 {
		return nil
	}
	at := func(l []string, i int) string {
		if i < len(l) {
			return l[i]
		}
		return ""
	}
	out := make([]CustomField, 0, len(c.Labels))
	for i, label := range c.Labels {
		f := CustomField{Label: label, Type: strings.ToLower(at(c.Types, i)), Key: at(c.Keys, i)}
		if f.Type == "" {
			f.Type = "string"
		}
		if f.Key == "" {
			f.Key = label
		}
		f.Required, _ = ParseBool(at(c.Required, i), SourceJS)
		for _, opt := range strings.Split(at(c.Options, i), ";") {
			if opt = strings.TrimSpace(opt); opt != "" {
				f.Options = append(f.Options, opt)
			}
		}
		out = append(out, f)
	}
	return out
}
