package widget

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// SnakeToCamel converts "payment_type" to "paymentType" and
// "data.card_number" stays "data.cardNumber". Leading underscores are kept;
// a letter or digit after "_" is upper-cased.
func SnakeToCamel(s string) string {
	if !strings.Contains(s, "_") {
		return s
	}
	var b strings.Builder
	up := false
	lead := true
	for _, r := range s {
		if r == '_' {
			if lead {
				b.WriteRune(r)
				continue
			}
			up = true
			continue
		}
		lead = false
		if up && r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		up = false
		b.WriteRune(r)
	}
	return b.String()
}

// CamelizeJSON converts every object key of a JSON document from snake_case
// to lowerCamelCase, recursively, except the keys inside any object under a
// "metadata" key, which are kept verbatim (docs/widget.md, "Metadata").
// Number text is kept as is (big integers survive), and so is key order.
func CamelizeJSON(b []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out bytes.Buffer
	if err := camelValue(dec, &out, false); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("camelize: trailing data after JSON value")
	}
	return out.Bytes(), nil
}

// camelValue copies one JSON value from dec to out; verbatim disables key
// conversion for this value's own keys (metadata contents).
func camelValue(dec *json.Decoder, out *bytes.Buffer, verbatim bool) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			out.WriteByte('{')
			first := true
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				key, ok := kt.(string)
				if !ok {
					return errors.New("camelize: object key is not a string")
				}
				if !first {
					out.WriteByte(',')
				}
				first = false
				name := key
				if !verbatim {
					name = SnakeToCamel(key)
				}
				writeJSONString(out, name)
				out.WriteByte(':')
				// Metadata contents keep their keys, at every depth.
				if err := camelValue(dec, out, verbatim || key == "metadata"); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil { // '}'
				return err
			}
			out.WriteByte('}')
		case '[':
			out.WriteByte('[')
			first := true
			for dec.More() {
				if !first {
					out.WriteByte(',')
				}
				first = false
				if err := camelValue(dec, out, verbatim); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil { // ']'
				return err
			}
			out.WriteByte(']')
		default:
			return errors.New("camelize: unexpected delimiter")
		}
	case string:
		writeJSONString(out, t)
	case json.Number:
		out.WriteString(t.String())
	case bool:
		if t {
			out.WriteString("true")
		} else {
			out.WriteString("false")
		}
	case nil:
		out.WriteString("null")
	}
	return nil
}

func writeJSONString(out *bytes.Buffer, s string) {
	b, _ := marshalCompact(s)
	out.Write(b)
}
