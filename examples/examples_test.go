package examples_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"kessai/api"
	"kessai/examples"
	"kessai/server"
)

// env is a real API (server.Open on a temp dir) behind an HTTP listener and
// an app token for its demo store.
type env struct {
	api   *httptest.Server
	creds examples.Credentials
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv, err := server.Open(server.Config{
		DataDir:         t.TempDir(),
		Logger:          slog.New(slog.NewTextHandler(io.Discard, nil)),
		ProcessingDelay: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })
	tok, err := srv.CreateAppToken(context.Background(), server.AppTokenInput{Mode: "test", Domains: []string{"localhost", "127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	return &env{api: ts, creds: examples.Credentials{JWT: tok.JWT, Secret: tok.Secret, StoreID: tok.StoreID}}
}

// site is an examples.Site for the env's credentials.
func (e *env) site(t *testing.T) *examples.Site {
	t.Helper()
	creds := e.creds
	s, err := examples.New(context.Background(), examples.Config{
		DataDir: t.TempDir(), APIURL: e.api.URL, WidgetURL: "http://widget.example:8080", Demo: &creds,
	})
	if err != nil {
		t.Fatalf("examples.New: %v", err)
	}
	return s
}

// post calls the API over HTTP as the widget does (Bearer jwt).
func (e *env) post(t *testing.T, path, body string, out any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.api.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.creds.JWT)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST %s: %d %s", path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
}

const tokenBody = `{"payment_type":"card","type":"one_time","email":"a@b.jp","data":{"cardholder":"TARO YAMADA","card_number":"%s","exp_month":"12","exp_year":"2099","cvv":"123"}}`

func (e *env) pay(t *testing.T, card string) (api.TransactionToken, api.Charge) {
	t.Helper()
	var tok api.TransactionToken
	e.post(t, "/tokens", strings.Replace(tokenBody, "%s", card, 1), &tok)
	var ch api.Charge
	e.post(t, "/charges", `{"transaction_token_id":"`+tok.ID+`","amount":1000,"currency":"JPY"}`, &ch)
	return tok, ch
}

func serve(t *testing.T, h http.Handler, req *http.Request) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func getPage(t *testing.T, h http.Handler, target string) (int, string) {
	t.Helper()
	return serve(t, h, httptest.NewRequest(http.MethodGet, target, nil))
}

var (
	statusRe = regexp.MustCompile(`<td id="charge-status">([^<]*)</td>`)
	errorRe  = regexp.MustCompile(`<p class="error">([^<]*)</p>`)
)

func TestResultShowsChargeAndToken(t *testing.T) {
	e := newEnv(t)
	site := e.site(t)
	tests := []struct {
		card, status, lastFour, brand string
	}{
		{"4000020000000000", string(api.ChargeSuccessful), "0000", "visa"},
		{"4111111111111111", string(api.ChargeFailed), "1111", "visa"},
	}
	for _, tc := range tests {
		t.Run(tc.card, func(t *testing.T) {
			tok, ch := e.pay(t, tc.card)
			q := url.Values{"univapayChargeId": {ch.ID}, "univapayTokenId": {tok.ID}}
			code, body := getPage(t, site, "/examples/result?"+q.Encode())
			if code != http.StatusOK {
				t.Fatalf("status %d: %s", code, body)
			}
			if m := statusRe.FindStringSubmatch(body); m == nil || m[1] != tc.status {
				t.Errorf("charge-status = %v, want %q\n%s", m, tc.status, body)
			}
			if m := errorRe.FindAllString(body, -1); m != nil {
				t.Errorf("error lines: %q", m)
			}
			if !strings.Contains(body, "•••• "+tc.lastFour) || !strings.Contains(body, tc.brand) {
				t.Errorf("the token's card (%s •••• %s) is not shown:\n%s", tc.brand, tc.lastFour, body)
			}
			for _, s := range []string{ch.ID, tok.ID, "1000 JPY", "a@b.jp"} {
				if !strings.Contains(body, s) {
					t.Errorf("the page lacks %q", s)
				}
			}
			if strings.Contains(body, e.creds.Secret) {
				t.Errorf("the page leaks the secret")
			}
		})
	}
}

// The shop's forms post (inline and JS mode use method="post").
func TestResultAcceptsPostedForm(t *testing.T) {
	e := newEnv(t)
	site := e.site(t)
	tok, ch := e.pay(t, "4000020000000000")
	form := url.Values{"univapayChargeId": {ch.ID}, "univapayTokenId": {tok.ID}, "order": {"A-1"}}
	req := httptest.NewRequest(http.MethodPost, "/examples/result", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	code, body := serve(t, site, req)
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	if m := statusRe.FindStringSubmatch(body); m == nil || m[1] != "successful" {
		t.Errorf("charge-status = %v, want successful", m)
	}
	if !strings.Contains(body, "<th>order</th><td><code>A-1</code></td>") {
		t.Errorf("the received field order=A-1 is not listed:\n%s", body)
	}
}

func TestResultErrors(t *testing.T) {
	e := newEnv(t)
	site := e.site(t)
	tok, _ := e.pay(t, "4000020000000000")
	tests := []struct {
		name, query string
		errPrefix   []string // the error lines, in order, start with these
		token       bool     // the token table is shown
	}{
		{"unknown charge uuid", "univapayChargeId=01900000-0000-7000-8000-000000000000", []string{"charge: "}, false},
		{"malformed charge id", "univapayChargeId=nope", []string{"charge: "}, false},
		{"path in charge id", "univapayChargeId=" + url.QueryEscape("../tokens/"+tok.ID), []string{"charge: "}, false},
		{"unknown token", "univapayTokenId=01900000-0000-7000-8000-000000000000", []string{"token: "}, false},
		{"unknown charge, known token", "univapayChargeId=x&univapayTokenId=" + tok.ID, []string{"charge: "}, true},
		{"both unknown", "univapayChargeId=x&univapayTokenId=y", []string{"charge: ", "token: "}, false},
		{"nothing", "", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body := getPage(t, site, "/examples/result?"+tc.query)
			if code != http.StatusOK {
				t.Fatalf("status %d, want 200 with an error line: %s", code, body)
			}
			lines := errorRe.FindAllStringSubmatch(body, -1)
			if len(lines) != len(tc.errPrefix) {
				t.Fatalf("error lines %q, want %d", lines, len(tc.errPrefix))
			}
			for i, p := range tc.errPrefix {
				if !strings.HasPrefix(lines[i][1], p) {
					t.Errorf("error line %q, want prefix %q", lines[i][1], p)
				}
			}
			if strings.Contains(body, `id="charge-status"`) {
				t.Errorf("a charge is shown")
			}
			if got := strings.Contains(body, `<table id="token">`); got != tc.token {
				t.Errorf("token table shown = %v, want %v", got, tc.token)
			}
		})
	}
}

// With a wrong secret or no API, the back end says so on the page.
func TestResultAPIFailures(t *testing.T) {
	e := newEnv(t)
	_, ch := e.pay(t, "4000020000000000")
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()
	tests := []struct {
		name   string
		apiURL string
		creds  examples.Credentials
	}{
		{"wrong secret", e.api.URL, examples.Credentials{JWT: e.creds.JWT, Secret: "wrong", StoreID: e.creds.StoreID}},
		{"other store id", e.api.URL, examples.Credentials{JWT: e.creds.JWT, Secret: e.creds.Secret, StoreID: "01900000-0000-7000-8000-000000000000"}},
		{"API down", downURL, e.creds},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			creds := tc.creds
			site, err := examples.New(context.Background(), examples.Config{DataDir: t.TempDir(), APIURL: tc.apiURL, WidgetURL: "http://w", Demo: &creds})
			if err != nil {
				t.Fatal(err)
			}
			code, body := getPage(t, site, "/examples/result?univapayChargeId="+ch.ID)
			if code != http.StatusOK {
				t.Fatalf("status %d: %s", code, body)
			}
			if lines := errorRe.FindAllStringSubmatch(body, -1); len(lines) != 1 || !strings.HasPrefix(lines[0][1], "charge: ") {
				t.Errorf("error lines %q, want one charge error", lines)
			}
			if strings.Contains(body, `id="charge-status"`) {
				t.Errorf("a charge is shown")
			}
		})
	}
}

func TestResultEscapesReceivedValues(t *testing.T) {
	e := newEnv(t)
	site := e.site(t)
	q := url.Values{
		"note":                         {`<script>alert(1)</script>`},
		`<img src=x onerror=alert(2)>`: {"v"},
		"quote":                        {`"><b>x</b>`},
	}
	code, body := getPage(t, site, "/examples/result?"+q.Encode())
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	for _, raw := range []string{"<script>alert(1)", "<img src=x", "<b>x</b>"} {
		if strings.Contains(body, raw) {
			t.Errorf("the page contains the raw %q", raw)
		}
	}
	for _, esc := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;", "&#34;&gt;&lt;b&gt;x&lt;/b&gt;"} {
		if !strings.Contains(body, esc) {
			t.Errorf("the page lacks the escaped %q:\n%s", esc, body)
		}
	}
	// An error line quotes the id it was given: escaped too.
	_, body = getPage(t, site, "/examples/result?univapayChargeId="+url.QueryEscape("<script>x</script>"))
	if strings.Contains(body, "<script>x") {
		t.Errorf("the charge id reaches the page unescaped:\n%s", body)
	}
}

// The received fields are listed sorted by name, every value of a name.
func TestResultListsReceivedFieldsSorted(t *testing.T) {
	e := newEnv(t)
	site := e.site(t)
	_, body := getPage(t, site, "/examples/result?b=2&a=1&c=3&a=0")
	rows := regexp.MustCompile(`<tr><th>([^<]*)</th><td><code>([^<]*)</code></td></tr>`).FindAllStringSubmatch(body, -1)
	var got []string
	for _, r := range rows {
		got = append(got, r[1]+"="+r[2])
	}
	if strings.Join(got, "&") != "a=1&a=0&b=2&c=3" {
		t.Errorf("received rows = %q, want a=1 a=0 b=2 c=3", got)
	}
	_, body = getPage(t, site, "/examples/result")
	if !strings.Contains(body, "Nothing.") {
		t.Errorf("an empty form does not say Nothing.")
	}
}

func TestPages(t *testing.T) {
	e := newEnv(t)
	site := e.site(t)
	script := `<script src="http://widget.example:8080/client/checkout.js"></script>`
	for _, p := range examples.Pages {
		t.Run(p, func(t *testing.T) {
			code, body := getPage(t, site, "/examples/"+p)
			if code != http.StatusOK {
				t.Fatalf("status %d: %s", code, body)
			}
			if !strings.Contains(body, script) {
				t.Errorf("no %s", script)
			}
			if !strings.Contains(body, e.creds.JWT) {
				t.Errorf("the app token JWT is not in the page")
			}
			if strings.Contains(body, e.creds.Secret) {
				t.Errorf("the page leaks the secret")
			}
			if !strings.Contains(body, `action="/examples/result"`) {
				t.Errorf("the page's form does not post to the result page")
			}
		})
	}
	for path, want := range map[string]int{"/examples/": 200, "/examples/index.html": 200, "/examples/layout.html": 404, "/examples/result.html": 404, "/examples/nope": 404} {
		if code, _ := getPage(t, site, path); code != want {
			t.Errorf("GET %s: %d, want %d", path, code, want)
		}
	}
}

func TestCredentialsPersistence(t *testing.T) {
	dir := t.TempDir()
	calls := 0
	newToken := func(context.Context) (examples.Credentials, error) {
		calls++
		return examples.Credentials{JWT: "jwt-1", Secret: "secret-1", StoreID: "store-1"}, nil
	}
	fail := func(context.Context) (examples.Credentials, error) {
		calls++
		return examples.Credentials{}, errors.New("no tokens today")
	}
	page := func(s *examples.Site) string {
		_, body := getPage(t, s, "/examples/html.html")
		return body
	}

	// No file: NewToken is asked and its credentials saved.
	s, err := examples.New(context.Background(), examples.Config{DataDir: dir, WidgetURL: "http://w", NewToken: newToken})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || !strings.Contains(page(s), `data-app-id="jwt-1"`) {
		t.Fatalf("first start: %d NewToken calls; page lacks jwt-1", calls)
	}
	var saved examples.Credentials
	b, _ := os.ReadFile(filepath.Join(dir, "examples.json"))
	if err := json.Unmarshal(b, &saved); err != nil || saved.Secret != "secret-1" {
		t.Fatalf("examples.json = %s (%v)", b, err)
	}

	// File present: loaded, NewToken not asked.
	s, err = examples.New(context.Background(), examples.Config{DataDir: dir, WidgetURL: "http://w", NewToken: fail})
	if err != nil {
		t.Fatalf("second start: %v", err)
	}
	if calls != 1 || !strings.Contains(page(s), `data-app-id="jwt-1"`) {
		t.Errorf("second start: %d NewToken calls; page lacks jwt-1", calls)
	}

	// Demo credentials (just created) replace the saved ones.
	s, err = examples.New(context.Background(), examples.Config{DataDir: dir, WidgetURL: "http://w", Demo: &examples.Credentials{JWT: "jwt-2", Secret: "secret-2"}, NewToken: fail})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page(s), `data-app-id="jwt-2"`) {
		t.Errorf("the demo credentials are not used")
	}
	b, _ = os.ReadFile(filepath.Join(dir, "examples.json"))
	if !strings.Contains(string(b), "secret-2") {
		t.Errorf("the demo credentials were not saved: %s", b)
	}

	// Errors: NewToken fails; nothing to load and no NewToken; a corrupt file.
	if _, err := examples.New(context.Background(), examples.Config{DataDir: t.TempDir(), NewToken: fail}); err == nil {
		t.Errorf("a failing NewToken gave no error")
	}
	if _, err := examples.New(context.Background(), examples.Config{DataDir: t.TempDir()}); err == nil {
		t.Errorf("no credentials and no NewToken gave no error")
	}
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "examples.json"), []byte("{not json"), 0o600)
	if _, err := examples.New(context.Background(), examples.Config{DataDir: bad, NewToken: newToken}); err == nil {
		t.Errorf("a corrupt examples.json gave no error")
	}
}

func TestResultShowsSubscription(t *testing.T) {
	e := newEnv(t)
	site := e.site(t)
	var tok api.TransactionToken
	e.post(t, "/tokens", strings.Replace(strings.Replace(tokenBody, "%s", "4000020000000000", 1), "one_time", "subscription", 1), &tok)
	var sub api.Subscription
	e.post(t, "/subscriptions", `{"transaction_token_id":"`+tok.ID+`","amount":980,"currency":"JPY","period":"monthly"}`, &sub)
	q := url.Values{"univapaySubscriptionId": {sub.ID}, "univapayTokenId": {tok.ID}}
	code, body := getPage(t, site, "/examples/result?"+q.Encode())
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	for _, s := range []string{sub.ID, `<td id="subscription-status">`, "980 JPY monthly", "next payment"} {
		if !strings.Contains(body, s) {
			t.Errorf("the page lacks %q:\n%s", s, body)
		}
	}
	if m := errorRe.FindAllString(body, -1); m != nil {
		t.Errorf("error lines: %q", m)
	}
}
