package widget

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"kessai/api"
)

// Metadata is the API's flat metadata (values are raw JSON, so number text
// survives; nested merchant values are JSON-stringified, docs/widget.md,
// "Metadata").
type Metadata = api.Metadata

// MergeMetadata merges metadata maps; later maps win (the merge order of
// docs/widget.md, "Metadata"). The result is nil when every input is empty.
func MergeMetadata(ms ...Metadata) Metadata {
	var out Metadata
	for _, m := range ms {
		for k, v := range m {
			if out == nil {
				out = Metadata{}
			}
			out[k] = v
		}
	}
	return out
}

// MetadataKeys returns the keys of m sorted.
func MetadataKeys(m Metadata) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ReservedMetadataKeys are written by the widget itself (docs/widget.md,
// "Metadata"); merchant values for them are overwritten. Keys starting with
// ReservedAddressPrefix are reserved too.
var ReservedMetadataKeys = []string{
	"univapay-customer-id", "univapay-reference-id", "univapay-product-names",
	"univapay-name", "univapay-phone-number",
}

// ReservedAddressPrefix prefixes the reserved address keys
// (univapay-address-zip, ...).
const ReservedAddressPrefix = "univapay-address-"

// IsReservedMetadataKey reports whether the widget owns key.
func IsReservedMetadataKey(key string) bool {
	if strings.HasPrefix(key, ReservedAddressPrefix) {
		return true
	}
	for _, k := range ReservedMetadataKeys {
		if k == key {
			return true
		}
	}
	return false
}

// ParseMetadata coerces a metadata option (docs/widget.md, "Metadata"): an
// object (nested values JSON-stringified), a JSON object string, or the
// key:value[,key:value] grammar. warnings lists ignored segments; err is set
// when the value cannot be metadata at all.
func ParseMetadata(v any) (md Metadata, warnings []string, err error) {
	switch x := v.(type) {
	case nil:
		return nil, nil, nil
	case map[string]any:
		md, warnings = metadataFromObject(x)
		return md, warnings, nil
	case string:
		s := strings.TrimSpace(x)
		if strings.HasPrefix(s, "{") {
			dec := json.NewDecoder(strings.NewReader(s))
			dec.UseNumber()
			var obj map[string]any
			if e := dec.Decode(&obj); e == nil && !dec.More() {
				md, warnings = metadataFromObject(obj)
				return md, warnings, nil
			}
		}
		md, warnings = ParseMetadataString(x)
		return md, warnings, nil
	}
	return nil, nil, fmt.Errorf("metadata must be an object or a key:value string, not %s", describe(v))
}

func metadataFromObject(obj map[string]any) (Metadata, []string) {
	var warnings []string
	md := Metadata{}
	for k, v := range obj {
		switch x := v.(type) {
		case nil:
			warnings = append(warnings, fmt.Sprintf("key %q: null value ignored", k))
		case string:
			md.SetString(k, x)
		case bool:
			md.SetBool(k, x)
		case json.Number:
			md.SetNumber(k, string(x))
		case float64:
			md.SetNumber(k, formatNumber(x))
		case int:
			md.SetNumber(k, fmt.Sprint(x))
		case int64:
			md.SetNumber(k, fmt.Sprint(x))
		default:
			b, err := marshalCompact(x)
			if err != nil {
				warnings = append(warnings, fmt.Sprintf("key %q: %v", k, err))
				continue
			}
			md.SetString(k, string(b))
		}
	}
	return md, warnings
}

// marshalCompact JSON-encodes without HTML escaping (keeps "<" readable).
func marshalCompact(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func isQuote(r rune) bool { return r == '"' || r == '“' || r == '”' }

// ParseMetadataString parses the data-metadata grammar (docs/widget.md,
// "Metadata"):
//
//   - segments are separated by unescaped commas; "\," is a literal comma,
//     "\:" a literal colon, "\\" a literal backslash;
//   - a segment "key:value" sets key (split at the first unescaped colon);
//     the value may be quoted with "…", ”…” or “…” (quotes removed; commas
//     inside a quoted value are literal); whitespace around keys and values
//     is trimmed; values stay strings;
//   - a segment without a colon is a key that takes the value of the next
//     segment that has one ("a,b:x" → a=x, b=x);
//   - duplicate keys: last wins; an empty key is ignored with a warning, as
//     are keys left without a value at the end.
//
// Stray quotes around keys (the sample data-metadata=”foo-bar:"baz" of
// UnivaPay's documentation) are removed.
func ParseMetadataString(s string) (Metadata, []string) {
	type seg struct {
		key, val string
		hasVal   bool
	}
	var segs []seg
	var key, val strings.Builder
	inVal, quoted, closed, esc := false, false, false, false
	flush := func() {
		segs = append(segs, seg{key: key.String(), val: val.String(), hasVal: inVal})
		key.Reset()
		val.Reset()
		inVal, quoted, closed = false, false, false
	}
	for _, r := range s {
		switch {
		case esc:
			if inVal {
				val.WriteRune(r)
			} else {
				key.WriteRune(r)
			}
			esc = false
		case r == '\\':
			esc = true
		case quoted:
			if isQuote(r) {
				quoted, closed = false, true
			} else {
				val.WriteRune(r)
			}
		case r == ',':
			flush()
		case !inVal && r == ':':
			inVal = true
		case inVal:
			if isQuote(r) && !closed && strings.TrimSpace(val.String()) == "" {
				val.Reset()
				quoted = true
				continue
			}
			if closed && (r == ' ' || r == '\t') {
				continue
			}
			val.WriteRune(r)
		default:
			key.WriteRune(r)
		}
	}
	if esc {
		if inVal {
			val.WriteRune('\\')
		} else {
			key.WriteRune('\\')
		}
	}
	if s != "" {
		flush()
	}

	md := Metadata{}
	var warnings, pending []string
	for _, sg := range segs {
		k := strings.TrimFunc(sg.key, func(r rune) bool { return isQuote(r) || unicode.IsSpace(r) })
		if !sg.hasVal {
			if k == "" {
				continue // empty segment ("a:1,,b:2")
			}
			pending = append(pending, k)
			continue
		}
		v := strings.TrimSpace(sg.val)
		rk := []rune(strings.TrimSpace(sg.key))
		if rs := []rune(v); len(rk) > 0 && isQuote(rk[0]) && len(rs) > 0 && isQuote(rs[len(rs)-1]) &&
			strings.IndexFunc(v, isQuote) == len(v)-len(string(rs[len(rs)-1])) {
			// A lone trailing quote: the segment was wrapped as a whole
			// (”key:value”).
			v = strings.TrimSpace(string(rs[:len(rs)-1]))
		}
		for _, pk := range pending {
			md.SetString(pk, v)
		}
		pending = nil
		if k == "" {
			warnings = append(warnings, fmt.Sprintf("segment %q has an empty key and was ignored", strings.TrimSpace(sg.key+":"+sg.val)))
			continue
		}
		md.SetString(k, v)
	}
	for _, pk := range pending {
		warnings = append(warnings, fmt.Sprintf("key %q has no value and was ignored", pk))
	}
	if len(md) == 0 {
		md = nil
	}
	return md, warnings
}
