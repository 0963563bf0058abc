package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"kessai/embed"
	"kessai/server/web"
	"kessai/widget"
)

// fakeDomains is a DomainSource: app id -> domains; unknown ids fail like
// an invalid app token.
type fakeDomains map[string][]string

func (f fakeDomains) AppTokenDomains(_ context.Context, jwt string) ([]string, error) {
	d, ok := f[jwt]
	if !ok {
		return nil, errors.New("invalid app token")
	}
	return d, nil
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newHandler(t *testing.T, ds web.DomainSource) *web.Handler {
	t.Helper()
	h, err := web.New(ds, quiet())
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	return h
}

// requireWasm returns the built wasm; the tests fail when `make wasm` has
// not run (the /checkout page and the wasm need it).
func requireWasm(t *testing.T) []byte {
	t.Helper()
	b, err := fs.ReadFile(embed.Web, "web/app.wasm")
	if err != nil {
		t.Fatal("embed/web/app.wasm is not built: run `make wasm` (make unit builds it before the tests)")
	}
	return b
}

func get(t *testing.T, h http.Handler, target string, hdr ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func readBody(t *testing.T, r *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decode undoes the response's Content-Encoding.
func decode(t *testing.T, r *http.Response, body []byte) []byte {
	t.Helper()
	var rd io.Reader
	switch enc := r.Header.Get("Content-Encoding"); enc {
	case "":
		return body
	case "br":
		rd = brotli.NewReader(bytes.NewReader(body))
	case "gzip":
		gr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		rd = gr
	default:
		t.Fatalf("unexpected Content-Encoding %q", enc)
	}
	out, err := io.ReadAll(rd)
	if err != nil {
		t.Fatalf("decompress %s: %v", r.Header.Get("Content-Encoding"), err)
	}
	return out
}

func TestFrameAncestors(t *testing.T) {
	tests := []struct {
		name    string
		domains []string
		want    string
	}{
		{"bare host any port any scheme", []string{"shop.example"}, "http://shop.example:* https://shop.example:*"},
		{"host with port is exact", []string{"localhost:3000"}, "http://localhost:3000 https://localhost:3000"},
		{"several in order", []string{"localhost", "127.0.0.1:8080"}, "http://localhost:* https://localhost:* http://127.0.0.1:8080 https://127.0.0.1:8080"},
		{"star", []string{"*"}, "*"},
		{"star among others", []string{"shop.example", " * "}, "*"},
		{"upper case lowered", []string{"Shop.EXAMPLE:3000"}, "http://shop.example:3000 https://shop.example:3000"},
		{"surrounding space trimmed", []string{"  shop.example  "}, "http://shop.example:* https://shop.example:*"},
		{"bracketed ipv6", []string{"[::1]"}, "http://[::1]:* https://[::1]:*"},
		{"bracketed ipv6 with port", []string{"[::1]:8080"}, "http://[::1]:8080 https://[::1]:8080"},
		{"empty entries dropped", []string{"", "  ", "shop.example"}, "http://shop.example:* https://shop.example:*"},
		{"garbage dropped", []string{"shop.example; script-src *", "shop.example"}, "http://shop.example:* https://shop.example:*"},
		{"nil", nil, "'none'"},
		{"only empty", []string{""}, "'none'"},
		{"all garbage", []string{"a;b", "a b", "'self'", `"x"`, "a,b"}, "'none'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := web.FrameAncestors(tc.domains); got != tc.want {
				t.Errorf("FrameAncestors(%q) = %q, want %q", tc.domains, got, tc.want)
			}
		})
	}
}

// The API accepts an entry written as a URL ("https://shop.example/", see
// server/domain_test.go "lenient entry"); the frame must then be allowed on
// that host too, or the widget is blocked where its API calls would pass.
func TestFrameAncestorsAgreesWithLenientAPIEntries(t *testing.T) {
	for _, d := range []string{"https://shop.example/", "https://shop.example", "http://shop.example/"} {
		got := web.FrameAncestors([]string{d})
		if !strings.Contains(" "+got+" ", " https://shop.example:* ") && !strings.Contains(" "+got+" ", " https://shop.example ") {
			t.Errorf("FrameAncestors(%q) = %q, does not allow https://shop.example", d, got)
		}
	}
}

// An entry that is not a host never reaches the header: no directive
// separator, no quote, and no extra whitespace-separated source.
func TestFrameAncestorsNeverInjects(t *testing.T) {
	for _, d := range []string{
		"evil.example;script-src *",
		"shop.example attacker.example",
		"shop.example,attacker.example",
		"'unsafe-inline'",
		// Other whitespace separates CSP sources too (net/http even turns
		// \n and \r into spaces on the wire).
		"shop.example\tattacker.example",
		"shop.example\nattacker.example",
		"shop.example\rattacker.example",
		"shop.example\fattacker.example",
	} {
		t.Run(strings.NewReplacer("\t", `\t`, "\n", `\n`, "\r", `\r`, "\v", `\v`, "\f", `\f`).Replace(d), func(t *testing.T) {
			if strings.ContainsAny(d, "\t\n\r\f") {
			}
			got := web.FrameAncestors([]string{d, "ok.example"})
			if got != "http://ok.example:* https://ok.example:*" {
				t.Errorf("FrameAncestors(%q, ok.example) = %q: the bad entry was not dropped", d, got)
			}
			if strings.Contains(got, "attacker") || strings.ContainsAny(got, ";'\t\n\r\v\f") {
				t.Errorf("FrameAncestors(%q) = %q leaks into the header", d, got)
			}
		})
	}
}

func TestCheckoutFrameAncestorsHeader(t *testing.T) {
	requireWasm(t)
	h := newHandler(t, fakeDomains{
		"shop":  {"shop.example", "localhost:3000"},
		"star":  {"*"},
		"none":  {},
		"junk":  {"a;b"},
		"upper": {"SHOP.example"},
	})
	tests := []struct {
		appID, want string
	}{
		{"shop", "frame-ancestors http://shop.example:* https://shop.example:* http://localhost:3000 https://localhost:3000"},
		{"star", "frame-ancestors *"},
		{"none", "frame-ancestors 'none'"},
		{"junk", "frame-ancestors 'none'"},
		{"upper", "frame-ancestors http://shop.example:* https://shop.example:*"},
		// An unusable app token may be framed anywhere, so that the frame can say so.
		{"unknown-token", "frame-ancestors *"},
		{"", "frame-ancestors *"},
	}
	for _, tc := range tests {
		t.Run(tc.appID, func(t *testing.T) {
			r := get(t, h, "/checkout?appId="+tc.appID+"&cid=1")
			body := readBody(t, r)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", r.StatusCode, body)
			}
			if got := r.Header.Values("Content-Security-Policy"); len(got) != 1 || got[0] != tc.want {
				t.Errorf("Content-Security-Policy = %q, want %q", got, tc.want)
			}
		})
	}
}

// Over the wire (net/http rewrites \n to a space), a domain with a line
// break must not make another host an allowed ancestor.
func TestCheckoutHeaderOverTheWire(t *testing.T) {
	requireWasm(t)
	h := newHandler(t, fakeDomains{
		"lf":  {"shop.example\nattacker.example"},
		"tab": {"shop.example\tattacker.example"},
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, id := range []string{"lf", "tab"} {
		r, err := http.Get(srv.URL + "/checkout?appId=" + id)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		csp := r.Header.Get("Content-Security-Policy")
		for _, src := range strings.Fields(strings.TrimPrefix(csp, "frame-ancestors")) {
			if strings.HasPrefix(src, "attacker.example") {
				t.Errorf("%s: Content-Security-Policy %q allows %s", id, csp, src)
			}
		}
	}
}

func TestCheckoutPage(t *testing.T) {
	requireWasm(t)
	h := newHandler(t, fakeDomains{"shop": {"shop.example"}})
	r := get(t, h, "/checkout?appId=shop")
	body := string(decode(t, r, readBody(t, r)))
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", r.StatusCode, body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type = %q, want text/html", ct)
	}
	hello, _ := json.Marshal(map[string]widget.MessageType{"type": widget.MsgHello})
	if !strings.Contains(body, "postMessage(") || !strings.Contains(body, string(hello)) {
		t.Errorf("the page does not post %s before the wasm starts:\n%s", hello, body)
	}
	if !regexp.MustCompile(`<style>[^<]*\.kessai-backdrop`).MatchString(body) || strings.Contains(body, `href="/web/checkout.css"`) {
		t.Errorf("the page does not carry checkout.css inline (or links it too):\n%s", body)
	}
	if !strings.Contains(body, `id="kessai-pre"`) || !strings.Contains(body, `name="data.cardNumber"`) {
		t.Errorf("the page has no pre-rendered card form:\n%s", body)
	}
	if !strings.Contains(body, `src="/app.js"`) {
		t.Errorf("the page does not load /app.js:\n%s", body)
	}
}

// The hello script must come before anything that can fail to load.
func TestCheckoutHelloIsInHead(t *testing.T) {
	requireWasm(t)
	h := newHandler(t, fakeDomains{"shop": {"shop.example"}})
	r := get(t, h, "/checkout?appId=shop")
	body := string(readBody(t, r))
	head, _, ok := strings.Cut(body, "</head>")
	if !ok {
		t.Fatalf("no </head>:\n%s", body)
	}
	if !strings.Contains(head, string(widget.MsgHello)) {
		t.Errorf("the hello script is not in <head>:\n%s", head)
	}
}

func TestLoaderEncodings(t *testing.T) {
	h := newHandler(t, fakeDomains{})
	identity := get(t, h, "/client/checkout.js")
	plain := readBody(t, identity)
	if identity.StatusCode != http.StatusOK || len(plain) == 0 {
		t.Fatalf("GET /client/checkout.js: %d, %d bytes", identity.StatusCode, len(plain))
	}

	tests := []struct {
		accept, wantEnc string
	}{
		{"", ""},
		{"identity", ""},
		{"br", "br"},
		{"gzip", "gzip"},
		{"gzip, deflate, br, zstd", "br"},
		{"BR", "br"},
		{"gzip, br;q=0", "gzip"},
		{"gzip, br; q=0", "gzip"},
		{"br;q=0, gzip;q=0", ""},
		{"deflate", ""},
		{"x-gzip-not", ""},
	}
	for _, tc := range tests {
		t.Run(tc.accept, func(t *testing.T) {
			r := get(t, h, "/client/checkout.js", "Accept-Encoding", tc.accept)
			raw := readBody(t, r)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("status %d", r.StatusCode)
			}
			if got := r.Header.Get("Content-Encoding"); got != tc.wantEnc {
				t.Errorf("Content-Encoding = %q, want %q", got, tc.wantEnc)
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") && !strings.HasPrefix(ct, "application/javascript") {
				t.Errorf("Content-Type = %q, want JavaScript", ct)
			}
			if !strings.Contains(r.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary = %q, want Accept-Encoding", r.Header.Get("Vary"))
			}
			if cl := r.Header.Get("Content-Length"); cl != "" && cl != itoa(len(raw)) {
				t.Errorf("Content-Length = %s, body has %d bytes", cl, len(raw))
			}
			if got := decode(t, r, raw); !bytes.Equal(got, plain) {
				t.Errorf("decoded body (%d bytes) differs from the identity body (%d bytes)", len(got), len(plain))
			}
			if r.Header.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("Access-Control-Allow-Origin = %q, want *", r.Header.Get("Access-Control-Allow-Origin"))
			}
		})
	}
}

// A q-value of zero written with decimals ("0.0", "0.000") still means
// "not acceptable" (RFC 9110 §12.4.2).
func TestLoaderZeroQValueWithDecimals(t *testing.T) {
	h := newHandler(t, fakeDomains{})
	for _, accept := range []string{"br;q=0.0, gzip", "br;q=0.000, gzip"} {
		r := get(t, h, "/client/checkout.js", "Accept-Encoding", accept)
		if got := r.Header.Get("Content-Encoding"); got != "gzip" {
			t.Errorf("Accept-Encoding %q: Content-Encoding = %q, want gzip", accept, got)
		}
	}
}

func TestLoaderConditional(t *testing.T) {
	h := newHandler(t, fakeDomains{})
	first := get(t, h, "/client/checkout.js")
	etag := first.Header.Get("ETag")
	if etag == "" || !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) {
		t.Fatalf("ETag = %q, want a quoted entity tag", etag)
	}
	tests := []struct {
		name, inm, accept string
		want              int
	}{
		{"same etag", etag, "", http.StatusNotModified},
		{"same etag, br", etag, "br", http.StatusNotModified},
		{"other etag", `"0000"`, "", http.StatusOK},
		{"no header", "", "", http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.inm != "" {
				hdr = append(hdr, "If-None-Match", tc.inm)
			}
			if tc.accept != "" {
				hdr = append(hdr, "Accept-Encoding", tc.accept)
			}
			r := get(t, h, "/client/checkout.js", hdr...)
			body := readBody(t, r)
			if r.StatusCode != tc.want {
				t.Fatalf("status %d, want %d", r.StatusCode, tc.want)
			}
			if r.Header.Get("ETag") != etag {
				t.Errorf("ETag = %q, want %q", r.Header.Get("ETag"), etag)
			}
			if tc.want == http.StatusNotModified && len(body) != 0 {
				t.Errorf("304 with a %d-byte body", len(body))
			}
		})
	}
	// The ETag is stable across handlers built from the same assets.
	if again := get(t, newHandler(t, fakeDomains{}), "/client/checkout.js").Header.Get("ETag"); again != etag {
		t.Errorf("ETag changed between two handlers: %q vs %q", etag, again)
	}
}

func TestLoaderContents(t *testing.T) {
	h := newHandler(t, fakeDomains{})
	r := get(t, h, "/client/checkout.js")
	js := string(readBody(t, r))
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d", r.StatusCode)
	}
	if !regexp.MustCompile(`\.UnivapayCheckout\s*=`).MatchString(js) && !strings.Contains(js, `"UnivapayCheckout"`) {
		t.Errorf("the loader does not define window.UnivapayCheckout")
	}
	if strings.Contains(js, "{{") || strings.Contains(js, "<no value>") {
		t.Errorf("the loader has unrendered template text")
	}

	// Every message type and mode of the contract is in the loader, as the
	// JSON string literal the messages carry.
	c := reflect.ValueOf(widget.Contract())
	n := 0
	for i := 0; i < c.NumField(); i++ {
		f := c.Field(i)
		var v string
		switch x := f.Interface().(type) {
		case widget.MessageType:
			v = string(x)
		case widget.Mode:
			v = string(x)
		default:
			continue
		}
		n++
		if v == "" {
			t.Errorf("Contract().%s is empty", c.Type().Field(i).Name)
			continue
		}
		lit, _ := json.Marshal(v)
		if !strings.Contains(js, string(lit)) {
			t.Errorf("the loader lacks %s = %s", c.Type().Field(i).Name, lit)
		}
	}
	if n < 11 {
		t.Errorf("found only %d message types/modes in widget.Contract()", n)
	}
	for _, s := range []string{widget.Contract().EventError, widget.Contract().ErrorCallback} {
		lit, _ := json.Marshal(s)
		if !strings.Contains(js, string(lit)) {
			t.Errorf("the loader lacks %s", lit)
		}
	}
}

func TestWasm(t *testing.T) {
	raw := requireWasm(t)
	h := newHandler(t, fakeDomains{})
	appJS := get(t, h, "/app.js")
	js := string(readBody(t, appJS))
	if appJS.StatusCode != http.StatusOK {
		t.Fatalf("GET /app.js: %d", appJS.StatusCode)
	}
	m := regexp.MustCompile(`/web/app\.([0-9a-f]+)\.wasm`).FindStringSubmatch(js)
	if m == nil {
		t.Fatalf("/app.js references no /web/app.<hash>.wasm:\n%.2000s", js)
	}
	url, hash := m[0], m[1]
	if len(hash) < 8 {
		t.Errorf("the wasm URL %s has a %d-digit hash", url, len(hash))
	}
	sum := sha256.Sum256(raw)
	if !strings.HasPrefix(hex.EncodeToString(sum[:]), hash) {
		t.Errorf("the wasm URL %s is not its content hash (sha256 %x)", url, sum[:8])
	}

	for _, accept := range []string{"", "gzip", "br"} {
		t.Run("accept="+accept, func(t *testing.T) {
			r := get(t, h, url, "Accept-Encoding", accept)
			body := readBody(t, r)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d", url, r.StatusCode)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/wasm" {
				t.Errorf("Content-Type = %q, want application/wasm", ct)
			}
			if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
				t.Errorf("Cache-Control = %q, want immutable", cc)
			}
			if got := r.Header.Get("Content-Encoding"); got != accept {
				t.Errorf("Content-Encoding = %q, want %q", got, accept)
			}
			if !bytes.Equal(decode(t, r, body), raw) {
				t.Errorf("the served wasm differs from embed/web/app.wasm")
			}
		})
	}
}

func TestWebPaths(t *testing.T) {
	requireWasm(t)
	h := newHandler(t, fakeDomains{})
	tests := []struct {
		path  string
		code  int
		ctype string
	}{
		{"/web/checkout.css", 200, "text/css"},
		{"/web/icon.svg", 200, "image/svg+xml"},
		{"/web/icon.png", 200, "image/png"},
		{"/web/nope.css", 404, ""},
		{"/web/", 404, ""},
		{"/web/checkout.js", 404, ""},
		{"/web/app.wasm.br", 404, ""},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			r := get(t, h, tc.path)
			readBody(t, r)
			if r.StatusCode != tc.code {
				t.Fatalf("status %d, want %d", r.StatusCode, tc.code)
			}
			if tc.ctype != "" && !strings.HasPrefix(r.Header.Get("Content-Type"), tc.ctype) {
				t.Errorf("Content-Type = %q, want %s", r.Header.Get("Content-Type"), tc.ctype)
			}
		})
	}
}

// A wasm URL whose hash is not the current build's must not be answered
// with the current build marked immutable: a cache would keep the wrong
// content under that URL for a year.
func TestWasmStaleHashNotImmutable(t *testing.T) {
	requireWasm(t)
	h := newHandler(t, fakeDomains{})
	r := get(t, h, "/web/app.0123456789abcdef.wasm")
	readBody(t, r)
	if r.StatusCode == http.StatusOK && strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("GET /web/app.<other hash>.wasm: 200 with Cache-Control %q", r.Header.Get("Cache-Control"))
	}
}

func TestPathsAreServed(t *testing.T) {
	requireWasm(t)
	h := newHandler(t, fakeDomains{"a": {"x"}})
	for _, p := range web.Paths() {
		target := p
		switch p {
		case "/client/":
			target = "/client/checkout.js"
		case "/web/":
			target = "/web/checkout.css"
		case "/checkout":
			target = "/checkout?appId=a"
		case "/qr.svg":
			target = "/qr.svg?text=https%3A%2F%2Fexample.com"
		case "/forms/":
			continue // the link form pages need forms: forms_test.go
		}
		r := get(t, h, target)
		readBody(t, r)
		if r.StatusCode != http.StatusOK {
			t.Errorf("GET %s (for Paths() entry %s): %d", target, p, r.StatusCode)
		}
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
