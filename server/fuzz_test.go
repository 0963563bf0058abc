package server

import (
	"encoding/json"
	"net/http"
	pathpkg "path"
	"regexp"
	"strings"
	"testing"
)

// FuzzAPIRequest sends any body and query to any route of the API, with the
// secret (so that every decoder is reached), ids of real resources or junk
// in the path. Whatever arrives, the server answers a documented status
// with the documented error body, never a 5xx, a panic or a hang
// (docs/threat-model.md, "Bad input"). `go test` runs the seeds; `make soak`
// fuzzes for a while.
func FuzzAPIRequest(f *testing.F) {
	for i, body := range []string{
		cardTokenBody("4000020000000000", "one_time"),
		`{"transaction_token_id":"$id","amount":1000,"currency":"JPY"}`,
		`{"amount":500,"currency":"JPY","reason":"customer_request"}`,
		`{"url":"http://127.0.0.1:1/hook","triggers":["charge_finished"]}`,
		`{"metadata":{"a":{"b":[1,2,{"c":null}]}}}`,
		`{"amount":1e400,"currency":"JPY"}`,
		`{"amount":-1,"currency":"¥"}`,
		strings.Repeat("[", 20000),
		`{"period":"P99999Y","amount":1}`,
		`{"to":"9999-12-31T23:59:59Z"}`,
		`{"by":"P1000Y"}`,
		"\x00\xff",
		``,
	} {
		f.Add(uint8(i), uint8(i), body, "")
	}
	f.Add(uint8(3), uint8(0), "", "limit=100&cursor=junk&cursor_direction=sideways")
	f.Add(uint8(5), uint8(1), "", "polling=true&metadata[a]=b&from=1&to=0")

	e := newClockEnv(f)
	tok := e.createToken("4000020000000000", "recurring")
	charge := e.settledCharge("4000020000000000", "")
	sub := e.createSub(e.createToken("4000020000000000", "subscription").ID, "")
	refund := e.refund(charge.ID, `{"amount":100,"currency":"JPY"}`)
	ids := []string{tok.ID, charge.ID, sub.ID, refund.ID, "00000000-0000-0000-0000-000000000000", "junk", "%00", ".."}
	routes := e.s.Routes()
	param := regexp.MustCompile(`\{[^}]+\}`)

	f.Fuzz(func(t *testing.T, route, id uint8, body, query string) {
		method, pattern, _ := strings.Cut(routes[int(route)%len(routes)].Pattern, " ")
		n := int(id)
		path := param.ReplaceAllStringFunc(pattern, func(p string) string {
			if p == "{storeId}" {
				return e.demo.StoreID
			}
			n++
			return ids[n%len(ids)]
		})
		body = strings.ReplaceAll(body, "$id", ids[int(id)%len(ids)])
		if strings.ContainsAny(query, " #\x7f") || strings.ContainsFunc(query, func(r rune) bool { return r < 0x20 }) {
			return // not a request line a client can send
		}
		if query != "" {
			path += "?" + query
		}
		te := *e // the same server, reporting to this run
		te.t = t
		r := te.do(method, path, e.secretAuth(), body)
		if r.code/100 == 3 {
			// Only net/http's ServeMux redirects: to the cleaned form of a
			// path with "." or ".." segments.
			if p, _, _ := strings.Cut(path, "?"); pathpkg.Clean(p) == p {
				t.Fatalf("%s %s: redirect %d to %s", method, path, r.code, r.header.Get("Location"))
			}
			return
		}
		if r.code >= 500 {
			t.Fatalf("%s %s %.200q: %d %s", method, path, body, r.code, r.body)
		}
		if strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			return // a page for the buyer (the sandbox's 3-D Secure page), not an API answer
		}
		if r.code >= 400 {
			var eb struct {
				Status string            `json:"status"`
				Code   string            `json:"code"`
				Errors []json.RawMessage `json:"errors"`
			}
			if err := json.Unmarshal(r.body, &eb); err != nil || eb.Status != "error" || eb.Code == "" {
				t.Fatalf("%s %s: %d with a body that is not an error object: %s", method, path, r.code, r.body)
			}
			if !regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`).MatchString(eb.Code) {
				t.Fatalf("%s %s: code %q", method, path, eb.Code)
			}
		}
		if r.code != http.StatusNoContent && len(r.body) > 0 && !json.Valid(r.body) {
			t.Fatalf("%s %s: %d with a body that is not JSON: %.200s", method, path, r.code, r.body)
		}
	})
}
