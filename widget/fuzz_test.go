package widget

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// The fuzz targets of the browser side (docs/threat-model.md, "Bad input").
// `go test` runs their seeds (below and testdata/fuzz); `make soak` fuzzes
// each for a while. Every input a merchant page can hand the iframe goes
// through one of them: the message decoder, the option parser, the
// metadata grammar and the CSS sanitiser.

// FuzzInitMessage follows what the iframe does with a message from its
// parent: read its type, decode an init, parse and validate its options.
// No input may panic, and every configuration problem names a parameter
// and a reason, so the merchant sees what to fix.
func FuzzInitMessage(f *testing.F) {
	for _, s := range []string{
		`{"type":"init","source":"html","mode":"popup","options":{"data-app-id":"x","data-amount":"1000","data-currency":"jpy"}}`,
		`{"type":"init","source":"js","mode":"inline","options":{"appId":"x","amount":"1,000","metadata":"a:b,c\\,d:\"e,f\""}}`,
		`{"type":"init","source":"js","options":{"appId":"x","checkout":"payment","amount":1e400}}`,
		`{"type":"init","source":"js","options":{"appId":"x","captureAt":"2099-13-40T25:61","expirationTimeShift":"99:99:99+99:99"}}`,
		`{"type":"init","source":"js","options":{"appId":"x","inlineFieldStyle":"color:red;background:url(javascript:alert(1))"}}`,
		`{"type":"init","source":"html","options":{"data-custom-field-labels":"a\\,b,c","data-custom-field-types":"select","data-custom-field-options":"x|y"}}`,
		`{"type":"open"}`, `{"type":""}`, `[]`, `"init"`, `{"type":"init","options":null}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		typ, ok := PeekType(data)
		if !ok || typ != MsgInit {
			return
		}
		var m Init
		if json.Unmarshal([]byte(data), &m) != nil {
			return
		}
		src, _ := ParseSource(m.Source)
		_, problems := ParseAndValidate(src, m.Options)
		for _, p := range problems {
			if p.Param == "" || p.Reason == "" {
				t.Fatalf("a problem without a parameter or reason: %+v", p)
			}
		}
	})
}

// FuzzHTMLAttribute gives one attribute of any name and value to the
// HTML-mode parser, next to a valid app id.
func FuzzHTMLAttribute(f *testing.F) {
	for _, p := range Params() {
		if a := p.HTML(); a != "" {
			f.Add(a, p.Default)
		}
	}
	f.Add("data-amount", "１,０００")
	f.Add("data-metadata", `"a":"b"`)
	f.Add("data-custom-field-x", "")
	f.Fuzz(func(t *testing.T, name, value string) {
		raw := map[string]any{"data-app-id": "app", name: value}
		_, problems := ParseAndValidate(SourceHTML, raw)
		for _, p := range problems {
			if p.Param == "" || p.Reason == "" {
				t.Fatalf("%s=%q: a problem without a parameter or reason: %+v", name, value, p)
			}
		}
	})
}

// FuzzMetadataString runs the data-metadata grammar: it never panics, and
// what it returns can be sent as API metadata (no empty key).
func FuzzMetadataString(f *testing.F) {
	for _, s := range []string{`a:b`, `a,b:x`, `k:"v,w"`, `k:”v”`, `a\,b:c\:d`, `:x`, `a:`, `\`, `"`, `a:b,a:c`, `{"a":1}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		md, _, err := ParseMetadata(s)
		if err != nil {
			t.Fatalf("a string is always metadata or warnings, got %v", err)
		}
		for _, k := range MetadataKeys(md) {
			if strings.TrimSpace(k) == "" {
				t.Fatalf("%q gave an empty key: %v", s, md)
			}
		}
	})
}

// FuzzSanitizeCSS: whatever a merchant writes in an inline style
// parameter, what reaches the style attribute loads nothing and cannot
// close the attribute: no url(, expression(, @import, javascript:, angle
// brackets or backslash escapes (which could spell any of them), in any
// letter case.
func FuzzSanitizeCSS(f *testing.F) {
	for _, s := range []string{
		"color:red", "background:URL(x)", "uurl(rl(x)", "width:expression(alert(1))", `\75rl(x)`,
		"İİurl(x)", "ȺȺȺȺurl(x)", "<style>", "@IMPORT 'x'", "JaVaScRiPt:alert(1)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, css string) {
		clean, changed := SanitizeCSS(css)
		if changed != (clean != css) {
			t.Fatalf("changed=%v but %q -> %q", changed, css, clean)
		}
		if utf8.ValidString(css) && !utf8.ValidString(clean) {
			t.Fatalf("valid UTF-8 %q became invalid %q", css, clean)
		}
		low := strings.ToLower(clean)
		for _, bad := range []string{"url(", "expression(", "@import", "javascript:", "<", ">", `\`} {
			if strings.Contains(low, bad) {
				t.Fatalf("%q -> %q still holds %q", css, clean, bad)
			}
		}
	})
}
