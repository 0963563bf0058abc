package server

import (
	"net/http"
	"testing"

	"kessai/api"
)

func TestDomainAllowed(t *testing.T) {
	tests := []struct {
		domains []string
		origin  string
		want    bool
	}{
		{[]string{"www.univapay.com"}, "https://www.univapay.com", true},
		{[]string{"www.univapay.com"}, "https://www.univapay.com:8443", true}, // no port in entry: port ignored
		{[]string{"WWW.Univapay.COM"}, "https://www.univapay.com", true},      // case-insensitive
		{[]string{"www.univapay.com"}, "HTTPS://WWW.UNIVAPAY.COM", true},
		{[]string{"univapay.com"}, "https://www.univapay.com", false}, // no implicit sub-domains
		{[]string{"www.univapay.com"}, "https://univapay.com", false},
		{[]string{"www.univapay.com"}, "https://www.univapay.com.evil.example", false},
		{[]string{"localhost:3000"}, "http://localhost:3000", true},
		{[]string{"localhost:3000"}, "http://localhost:3001", false},
		{[]string{"localhost:3000"}, "http://localhost", false},
		{[]string{"localhost:80"}, "http://localhost", true}, // default port
		{[]string{"example.com:443"}, "https://example.com", true},
		{[]string{"*"}, "https://anything.example", true},
		{[]string{"a.example", "*"}, "http://b.example", true},
		{[]string{}, "http://localhost", false},
		{nil, "http://localhost", false},
		{[]string{"127.0.0.1"}, "http://127.0.0.1:9000", true},
		{[]string{"localhost"}, "localhost:3000", true}, // bare host:port origin
		{[]string{"localhost"}, "null", false},
		{[]string{"https://www.univapay.com/"}, "https://www.univapay.com", true}, // lenient entry
	}
	for _, tt := range tests {
		if got := domainAllowed(tt.domains, tt.origin); got != tt.want {
			t.Errorf("domainAllowed(%q, %q) = %v, want %v", tt.domains, tt.origin, got, tt.want)
		}
	}
}

func TestDomainCheckHTTP(t *testing.T) {
	e := newEnv(t) // demo domains: localhost, 127.0.0.1; widget origin http://localhost:8080
	tests := []struct {
		name     string
		auth     string
		query    string
		origin   string
		status   int
		wantACAO string
	}{
		{"registered Origin header", "public", "", "http://127.0.0.1:9000", 200, "http://127.0.0.1:9000"},
		{"unregistered Origin header", "public", "", "https://evil.example", 401, ""},
		{"subdomain not matched", "public", "", "http://sub.localhost", 401, ""},
		{"widget origin without origin param", "public", "", testPublicURL, 401, ""},
		{"widget origin with registered origin param", "public", "?origin=http%3A%2F%2F127.0.0.1%3A9000", testPublicURL, 200, testPublicURL},
		{"widget origin with unregistered origin param", "public", "?origin=https%3A%2F%2Fevil.example", testPublicURL, 401, ""},
		{"foreign page's origin param ignored", "public", "?origin=http%3A%2F%2Flocalhost", "https://evil.example", 401, ""},
		{"no Origin, origin param only", "public", "?origin=http%3A%2F%2Flocalhost%3A3000", "", 200, ""},
		{"no Origin, unregistered origin param", "public", "?origin=https%3A%2F%2Fevil.example", "", 401, ""},
		{"no origin at all (server code)", "public", "", "", 200, ""},
		{"secret skips check", "secret", "", "https://evil.example", 200, ""},
		{"secret skips check from widget origin", "secret", "", testPublicURL, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			auth := e.publicAuth()
			if tt.auth == "secret" {
				auth = e.secretAuth()
			}
			var hdr []string
			if tt.origin != "" {
				hdr = []string{"Origin", tt.origin}
			}
			r := e.do("GET", "/checkout_info"+tt.query, auth, "", hdr...)
			if tt.status == 401 {
				wantError(t, r, 401, api.CodeInvalidDomain)
			} else if r.code != tt.status {
				t.Fatalf("status %d, body %s", r.code, r.body)
			}
			if got := r.header.Get("Access-Control-Allow-Origin"); got != tt.wantACAO {
				t.Errorf("ACAO = %q, want %q", got, tt.wantACAO)
			}
		})
	}
}

func TestEmptyDomainsFail(t *testing.T) {
	e := newEnv(t)
	tok, err := e.s.CreateAppToken(t.Context(), AppTokenInput{StoreID: e.demo.StoreID})
	if err != nil {
		t.Fatal(err)
	}
	if len(tok.Domains) != 0 || tok.Mode != "test" {
		t.Fatalf("created %+v", tok)
	}
	wantError(t, e.do("GET", "/checkout_info", "Bearer "+tok.JWT, "", "Origin", "http://localhost"), 401, api.CodeInvalidDomain)
	// Without an origin (server-side use) the secret-less token still works.
	if r := e.do("GET", "/checkout_info", "Bearer "+tok.JWT, ""); r.code != 200 {
		t.Fatalf("no-origin request: %d %s", r.code, r.body)
	}
	// Wildcard token accepts any origin.
	star, err := e.s.CreateAppToken(t.Context(), AppTokenInput{Domains: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	if r := e.do("GET", "/checkout_info", "Bearer "+star.JWT, "", "Origin", "https://shop.example"); r.code != 200 {
		t.Fatalf("wildcard: %d %s", r.code, r.body)
	}
}

func TestCORSPreflight(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		path, method string
		wantACAO     bool
	}{
		{"/tokens", "POST", true},
		{"/charges", "POST", true},
		{"/checkout_info", "GET", true},
		{"/stores/" + e.demo.StoreID + "/charges/" + newID(), "GET", true},
		{"/stores/" + e.demo.StoreID + "/tokens/" + newID(), "GET", true},
		{"/nope", "GET", false},
	}
	for _, tt := range tests {
		r := e.do("OPTIONS", tt.path, "", "", "Origin", "http://127.0.0.1:9000",
			"Access-Control-Request-Method", tt.method, "Access-Control-Request-Headers", "authorization,content-type")
		if r.code != http.StatusNoContent {
			t.Errorf("%s: status %d", tt.path, r.code)
		}
		got := r.header.Get("Access-Control-Allow-Origin")
		if tt.wantACAO && got != "http://127.0.0.1:9000" {
			t.Errorf("%s: ACAO = %q", tt.path, got)
		}
		if !tt.wantACAO && got != "" {
			t.Errorf("%s: unexpected ACAO %q", tt.path, got)
		}
		if tt.wantACAO {
			if h := r.header.Get("Access-Control-Allow-Headers"); h != "Authorization, Content-Type, Idempotency-Key" {
				t.Errorf("%s: allow headers %q", tt.path, h)
			}
		}
	}
	// The actual cross-origin request gets ACAO when the origin passes.
	r := e.do("GET", "/checkout_info", e.publicAuth(), "", "Origin", "http://127.0.0.1:9000")
	if r.code != 200 || r.header.Get("Access-Control-Allow-Origin") != "http://127.0.0.1:9000" {
		t.Fatalf("GET /checkout_info cross-origin: %d ACAO=%q %s", r.code, r.header.Get("Access-Control-Allow-Origin"), r.body)
	}
}

func TestSecretlessAllowList(t *testing.T) {
	e := newEnv(t)
	// Non-allow-listed route: use an unknown method on a known path and a
	// route that exists only for secret holders would be 403; the slice has
	// no such route yet, so check the helper directly.
	req, _ := http.NewRequest("GET", "/stores/x/charges", nil)
	req.Header.Set("Authorization", e.publicAuth())
	if _, err := e.s.authorize(req, false); err == nil || err.(*api.Error).Code != api.CodeInvalidPermissions {
		t.Fatalf("secret-less non-public: err = %v, want INVALID_PERMISSIONS", err)
	}
	req.Header.Set("Authorization", e.secretAuth())
	if _, err := e.s.authorize(req, false); err != nil {
		t.Fatalf("secret non-public: %v", err)
	}
}
