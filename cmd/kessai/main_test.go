package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"kessai/api"
	"kessai/embed"
	"kessai/examples"
	"kessai/server"
	"kessai/server/postgres/pgtest"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// clearEnv keeps the caller's KESSAI_* variables out of the flag defaults.
func clearEnv(t *testing.T) {
	for _, k := range []string{"KESSAI_ADDR", "KESSAI_DATA", "KESSAI_DATABASE", "KESSAI_PUBLIC_URL", "KESSAI_LIMITS"} {
		t.Setenv(k, "")
	}
}

func TestAppTokenCreate(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"apptoken", "create", "--domain", "shop.example", "--domain", "localhost:3000", "--data", dir}, &out, &errOut)
	if err != nil {
		t.Fatalf("run: %v (stderr %q)", err, errOut.String())
	}

	// Exactly one JSON object.
	dec := json.NewDecoder(bytes.NewReader(out.Bytes()))
	var got map[string]any
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		t.Fatalf("stdout has more than one JSON value (%v):\n%s", err, out.String())
	}
	for _, k := range []string{"jwt", "secret", "store_id"} {
		if s, _ := got[k].(string); s == "" {
			t.Errorf("%s = %v, want a non-empty string", k, got[k])
		}
	}
	if got["mode"] != "test" {
		t.Errorf("mode = %v, want test", got["mode"])
	}
	if d := got["domains"]; !reflect.DeepEqual(d, []any{"shop.example", "localhost:3000"}) {
		t.Errorf("domains = %v, want [shop.example localhost:3000]", d)
	}
	if s, _ := got["secret"].(string); strings.Contains(got["jwt"].(string), s) {
		t.Errorf("the secret is part of the JWT")
	}

	// The token was stored in --data and is usable there.
	srv, err := server.Open(server.Config{DataDir: dir, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	domains, err := srv.AppTokenDomains(context.Background(), got["jwt"].(string))
	if err != nil {
		t.Fatalf("AppTokenDomains of the printed JWT: %v", err)
	}
	if !reflect.DeepEqual(domains, []string{"shop.example", "localhost:3000"}) {
		t.Errorf("stored domains = %q", domains)
	}
}

func TestAppTokenCreateModes(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	create := func(args ...string) server.AppTokenCreated {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(context.Background(), append([]string{"apptoken", "create", "--data", dir}, args...), &out, &errOut); err != nil {
			t.Fatalf("run %q: %v (stderr %q)", args, err, errOut.String())
		}
		var tok server.AppTokenCreated
		if err := json.Unmarshal(out.Bytes(), &tok); err != nil {
			t.Fatalf("stdout: %v\n%s", err, out.String())
		}
		return tok
	}
	test := create("--domain", "*")
	live := create("--domain", "*", "--mode", "live")
	if test.Mode != "test" || live.Mode != "live" {
		t.Errorf("modes = %q, %q; want test, live", test.Mode, live.Mode)
	}
	if test.StoreID != live.StoreID {
		t.Errorf("the second token is for another store: %s vs %s", test.StoreID, live.StoreID)
	}
	if test.JWT == live.JWT || test.Secret == live.Secret {
		t.Errorf("two tokens share a JWT or a secret")
	}
	store := create("--domain", "x.example", "--store", test.StoreID)
	if store.StoreID != test.StoreID {
		t.Errorf("--store %s: store_id %s", test.StoreID, store.StoreID)
	}
}

func TestRunErrors(t *testing.T) {
	clearEnv(t)
	tests := []struct {
		name      string
		args      []string
		wantErr   string // substring of the error
		wantUsage bool   // usage on stderr
	}{
		{"no command", nil, "no command", true},
		{"unknown command", []string{"frobnicate"}, "unknown command", true},
		{"apptoken alone", []string{"apptoken"}, "unknown command", true},
		{"apptoken other", []string{"apptoken", "delete"}, "unknown command", true},
		{"missing domain", []string{"apptoken", "create"}, "--domain", false},
		{"bad mode", []string{"apptoken", "create", "--domain", "shop.example", "--mode", "prod"}, "--mode", false},
		{"empty mode", []string{"apptoken", "create", "--domain", "shop.example", "--mode", ""}, "--mode", false},
		{"unknown flag", []string{"apptoken", "create", "--domian", "shop.example"}, "domian", false},
		{"unknown store", []string{"apptoken", "create", "--domain", "shop.example", "--store", "00000000-0000-0000-0000-000000000000"}, "not found", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			args := tc.args
			if len(args) >= 2 && args[0] == "apptoken" && args[1] == "create" {
				args = append(append([]string{}, args...), "--data", data)
			}
			var out, errOut bytes.Buffer
			err := run(context.Background(), args, &out, &errOut)
			if err == nil {
				t.Fatalf("run %q: no error (stdout %q)", args, out.String())
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not mention %q", err, tc.wantErr)
			}
			if tc.wantUsage && !strings.Contains(errOut.String(), "Usage:") {
				t.Errorf("stderr has no usage: %q", errOut.String())
			}
			if strings.Contains(out.String(), "jwt") {
				t.Errorf("a token was printed: %s", out.String())
			}
		})
	}
}

// Refused arguments touch no data directory.
func TestAppTokenCreateBadArgsWriteNothing(t *testing.T) {
	clearEnv(t)
	for _, args := range [][]string{
		{"apptoken", "create"},
		{"apptoken", "create", "--domain", "shop.example", "--mode", "prod"},
	} {
		data := filepath.Join(t.TempDir(), "data")
		if err := run(context.Background(), append(args, "--data", data), io.Discard, io.Discard); err == nil {
			t.Fatalf("run %q: no error", args)
		}
		if _, err := os.Stat(data); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("run %q created %s (stat: %v)", args, data, err)
		}
	}
}

func TestHelp(t *testing.T) {
	for _, arg := range []string{"help", "-h", "--help"} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), []string{arg}, &out, &errOut); err != nil {
			t.Errorf("%s: %v", arg, err)
		}
		if !strings.Contains(out.String(), "Usage:") || !strings.Contains(out.String(), "apptoken create") {
			t.Errorf("%s: stdout %q has no usage", arg, out.String())
		}
	}
}

// testApp is an App behind a real listener on 127.0.0.1 whose public URL is
// that listener's, so that the example back end can call the API over HTTP.
type testApp struct {
	*App
	srv     *httptest.Server
	public  string // http://127.0.0.1:PORT
	example string // http://localhost:PORT
}

func startApp(t *testing.T, dir string) *testApp {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	public := "http://127.0.0.1:" + itoa(port)
	// The sandbox limits are off: the tests pay with one card repeatedly.
	app, err := NewApp(context.Background(), Config{DataDir: dir, PublicURL: public, Logger: quiet(), ProcessingDelay: time.Millisecond, LimitsOff: true})
	if err != nil {
		srv.Close()
		t.Fatalf("NewApp: %v", err)
	}
	srv.Config.Handler = app
	srv.Start()
	ta := &testApp{App: app, srv: srv, public: public, example: "http://localhost:" + itoa(port)}
	t.Cleanup(ta.stop)
	return ta
}

func (a *testApp) stop() {
	if a.srv != nil {
		a.srv.Close()
		a.App.Close()
		a.srv = nil
	}
}

// do serves a request in process; target is an absolute URL (its host is
// the Host header).
func (a *testApp) do(t *testing.T, method, target, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	a.App.ServeHTTP(rec, req)
	return rec
}

// payOnce creates a card token and a charge with the app token's JWT as the
// widget iframe would (from the widget origin, forwarding the example origin
// as ?origin=), and returns their ids.
func (a *testApp) payOnce(t *testing.T, jwt string) (tokenID, chargeID string) {
	t.Helper()
	auth := "Bearer " + jwt
	tok := a.do(t, "POST", a.public+"/tokens?origin="+url.QueryEscape(a.example), `{"payment_type":"card","type":"one_time","email":"a@b.jp","data":{"cardholder":"TARO YAMADA","card_number":"4000020000000000","exp_month":"12","exp_year":"2099","cvv":"123"}}`,
		"Authorization", auth, "Content-Type", "application/json", "Origin", a.public)
	if tok.Code != http.StatusCreated {
		t.Fatalf("POST /tokens: %d %s", tok.Code, tok.Body)
	}
	var tt api.TransactionToken
	if err := json.Unmarshal(tok.Body.Bytes(), &tt); err != nil {
		t.Fatal(err)
	}
	ch := a.do(t, "POST", a.public+"/charges", `{"transaction_token_id":"`+tt.ID+`","amount":1000,"currency":"JPY"}`,
		"Authorization", auth, "Content-Type", "application/json", "Origin", a.example)
	if ch.Code != http.StatusCreated {
		t.Fatalf("POST /charges: %d %s", ch.Code, ch.Body)
	}
	var c api.Charge
	if err := json.Unmarshal(ch.Body.Bytes(), &c); err != nil {
		t.Fatal(err)
	}
	return tt.ID, c.ID
}

var appIDRe = regexp.MustCompile(`data-app-id="([^"]+)"`)

func TestAppFirstStartAndRestart(t *testing.T) {
	dir := t.TempDir()
	first := startApp(t, dir)
	demo := first.DemoCreated
	if demo == nil || demo.Secret == "" || demo.JWT == "" || demo.StoreID == "" {
		t.Fatalf("first start: DemoCreated = %+v, want a demo token with its secret", demo)
	}
	if demo.Mode != "test" {
		t.Errorf("demo mode = %q, want test", demo.Mode)
	}
	var saved examples.Credentials
	b, err := os.ReadFile(filepath.Join(dir, "examples.json"))
	if err != nil {
		t.Fatalf("examples.json: %v", err)
	}
	if err := json.Unmarshal(b, &saved); err != nil {
		t.Fatalf("examples.json: %v", err)
	}
	if saved != (examples.Credentials{JWT: demo.JWT, Secret: demo.Secret, StoreID: demo.StoreID}) {
		t.Errorf("examples.json = %+v, want the demo credentials", saved)
	}
	if fi, err := os.Stat(filepath.Join(dir, "examples.json")); err == nil && fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("examples.json (holds the secret) has mode %v", fi.Mode().Perm())
	}
	checkResult(t, first, demo.JWT)
	// The demo store has a logo, served by the server, so that the widget's
	// showLogo shows one in the demo.
	cfg := first.do(t, "GET", first.public+"/sandbox/store_configuration", "", "Authorization", "Bearer "+demo.Secret+"."+demo.JWT)
	var conf struct {
		LogoImage *string `json:"logo_image"`
	}
	if err := json.Unmarshal(cfg.Body.Bytes(), &conf); err != nil || conf.LogoImage == nil || !strings.HasPrefix(*conf.LogoImage, first.public+"/") {
		t.Fatalf("demo store logo_image = %v (%s), want a URL of this server", conf.LogoImage, cfg.Body)
	}
	if logo := first.do(t, "GET", *conf.LogoImage, ""); logo.Code != http.StatusOK || logo.Header().Get("Content-Type") != "image/svg+xml" ||
		!strings.Contains(logo.Body.String(), "<svg") {
		t.Errorf("GET %s: %d %s", *conf.LogoImage, logo.Code, logo.Header().Get("Content-Type"))
	}
	first.stop()

	second := startApp(t, dir)
	if second.DemoCreated != nil {
		t.Errorf("second start: DemoCreated = %+v, want nil (the secret is shown once)", second.DemoCreated)
	}
	page := second.do(t, "GET", second.example+"/examples/html.html", "")
	if page.Code != http.StatusOK {
		t.Fatalf("html.html after restart: %d %s", page.Code, page.Body)
	}
	if m := appIDRe.FindStringSubmatch(page.Body.String()); m == nil || m[1] != demo.JWT {
		t.Errorf("html.html after restart has data-app-id %v, want the demo JWT", m)
	}
	// The persisted secret still reads charges through the API.
	checkResult(t, second, demo.JWT)
}

// checkResult pays once and checks that the example back end reads the
// successful charge and its token with its (secret) credentials.
func checkResult(t *testing.T, a *testApp, jwt string) {
	t.Helper()
	tokenID, chargeID := a.payOnce(t, jwt)
	r := a.do(t, "GET", a.example+"/examples/result?univapayChargeId="+chargeID+"&univapayTokenId="+tokenID, "")
	body := r.Body.String()
	if r.Code != http.StatusOK {
		t.Fatalf("result: %d %s", r.Code, body)
	}
	if !strings.Contains(body, `<td id="charge-status">successful</td>`) {
		t.Errorf("result page does not show a successful charge:\n%s", body)
	}
	if strings.Contains(body, `class="error"`) {
		t.Errorf("result page shows an error:\n%s", body)
	}
	if !strings.Contains(body, "0000") || !strings.Contains(body, tokenID) {
		t.Errorf("result page does not show the token:\n%s", body)
	}
}

func TestExamplesRedirectToOtherOrigin(t *testing.T) {
	tests := []struct {
		public, host, path, want string
	}{
		{"http://localhost:8080", "localhost:8080", "/examples/html.html", "http://127.0.0.1:8080/examples/html.html"},
		{"http://localhost:8080", "LOCALHOST:8080", "/examples/html.html?x=1&y=2", "http://127.0.0.1:8080/examples/html.html?x=1&y=2"},
		{"http://127.0.0.1:9000", "127.0.0.1:9000", "/examples/js.html", "http://localhost:9000/examples/js.html"},
		{"http://127.0.0.1:9000", "127.0.0.1:9000", "/examples/", "http://localhost:9000/examples/"},
		{"http://localhost", "localhost", "/examples/result?univapayChargeId=x", "http://127.0.0.1/examples/result?univapayChargeId=x"},
	}
	for _, tc := range tests {
		t.Run(tc.public+" "+tc.host+tc.path, func(t *testing.T) {
			app, err := NewApp(context.Background(), Config{DataDir: t.TempDir(), PublicURL: tc.public, Logger: quiet()})
			if err != nil {
				t.Fatal(err)
			}
			defer app.Close()
			req := httptest.NewRequest("GET", tc.path, nil)
			req.Host = tc.host
			rec := httptest.NewRecorder()
			app.ServeHTTP(rec, req)
			if rec.Code != http.StatusFound {
				t.Fatalf("status %d, want 302", rec.Code)
			}
			if loc := rec.Header().Get("Location"); loc != tc.want {
				t.Errorf("Location = %q, want %q", loc, tc.want)
			}
			// ExamplePages lists pages on the same other origin.
			base := tc.want[:strings.Index(tc.want, "/examples/")]
			for _, p := range app.ExamplePages() {
				if !strings.HasPrefix(p, base+"/examples/") {
					t.Errorf("ExamplePages() has %q, want it under %s/examples/", p, base)
				}
			}
			if len(app.ExamplePages()) != len(examples.Pages) {
				t.Errorf("ExamplePages() = %q", app.ExamplePages())
			}
		})
	}
}

func TestExamplePagesOnExampleOrigin(t *testing.T) {
	a := startApp(t, t.TempDir())
	jwt := a.DemoCreated.JWT
	script := `<script src="` + a.public + `/client/checkout.js"></script>`
	for _, p := range append([]string{""}, examples.Pages...) {
		t.Run("/examples/"+p, func(t *testing.T) {
			r := a.do(t, "GET", a.example+"/examples/"+p, "")
			body := r.Body.String()
			if r.Code != http.StatusOK {
				t.Fatalf("status %d: %s", r.Code, body)
			}
			if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type = %q", ct)
			}
			if p == "" {
				return // the index links the pages; no widget
			}
			if !strings.Contains(body, script) {
				t.Errorf("no %s in:\n%s", script, body)
			}
			if !strings.Contains(body, jwt) {
				t.Errorf("the demo JWT is not in the page")
			}
			if strings.Contains(body, a.DemoCreated.Secret) {
				t.Errorf("the page leaks the secret")
			}
		})
	}
	r := a.do(t, "GET", a.example+"/examples/html.html", "")
	if m := appIDRe.FindStringSubmatch(r.Body.String()); m == nil || m[1] != jwt {
		t.Errorf("html.html data-app-id = %v, want the demo JWT", m)
	}
	if r := a.do(t, "GET", a.example+"/examples/nope.html", ""); r.Code != http.StatusNotFound {
		t.Errorf("/examples/nope.html: %d, want 404", r.Code)
	}
}

func TestAppRoutes(t *testing.T) {
	a := startApp(t, t.TempDir())
	jwt := a.DemoCreated.JWT

	hb := a.do(t, "GET", a.public+"/heartbeat", "")
	if hb.Code != http.StatusOK || strings.TrimSpace(hb.Body.String()) != "{}" {
		t.Errorf("/heartbeat: %d %q", hb.Code, hb.Body)
	}

	tests := []struct {
		name, origin string
		code         int
	}{
		{"example origin", a.example, http.StatusOK},
		{"no origin", "", http.StatusOK},
		{"foreign origin", "http://evil.example", http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run("checkout_info "+tc.name, func(t *testing.T) {
			hdr := []string{"Authorization", "Bearer " + jwt}
			if tc.origin != "" {
				hdr = append(hdr, "Origin", tc.origin)
			}
			r := a.do(t, "GET", a.public+"/checkout_info", "", hdr...)
			if r.Code != tc.code {
				t.Fatalf("status %d, want %d: %s", r.Code, tc.code, r.Body)
			}
			if tc.code != http.StatusOK {
				return
			}
			var info map[string]any
			if err := json.Unmarshal(r.Body.Bytes(), &info); err != nil {
				t.Fatalf("checkout_info is not JSON: %v", err)
			}
			if tc.origin != "" && r.Header().Get("Access-Control-Allow-Origin") != tc.origin {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", r.Header().Get("Access-Control-Allow-Origin"), tc.origin)
			}
		})
	}

	if r := a.do(t, "GET", a.public+"/checkout_info", ""); r.Code != http.StatusUnauthorized {
		t.Errorf("/checkout_info without a token: %d, want 401", r.Code)
	}
	if r := a.do(t, "GET", a.public+"/no/such/route", ""); r.Code != http.StatusNotFound || !strings.Contains(r.Header().Get("Content-Type"), "json") {
		t.Errorf("unknown route: %d %q, want a JSON 404", r.Code, r.Header().Get("Content-Type"))
	}
	// The dashboard is mounted on the public origin; signed out, it sends
	// to its sign-in page.
	if r := a.do(t, "GET", a.public+"/dashboard/charges", ""); r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/dashboard/signin" {
		t.Errorf("/dashboard/charges signed out: %d to %q, want 303 to /dashboard/signin", r.Code, r.Header().Get("Location"))
	}
	if r := a.do(t, "GET", a.public+"/dashboard/signin", ""); r.Code != http.StatusOK || !strings.Contains(r.Body.String(), `name="secret"`) {
		t.Errorf("/dashboard/signin: %d", r.Code)
	}
	if r := a.do(t, "GET", a.public+"/client/checkout.js", ""); r.Code != http.StatusOK || !strings.Contains(r.Body.String(), "UnivapayCheckout") {
		t.Errorf("/client/checkout.js: %d", r.Code)
	}

	// The iframe page is framed only by the demo token's domains.
	if _, err := fs.Stat(embed.Web, "web/app.wasm"); err != nil {
		t.Log("embed/web/app.wasm is not built: skipping /checkout (run `make wasm`)")
		return
	}
	r := a.do(t, "GET", a.public+"/checkout?appId="+jwt, "")
	if r.Code != http.StatusOK {
		t.Fatalf("/checkout: %d", r.Code)
	}
	want := "frame-ancestors http://localhost:* https://localhost:* http://127.0.0.1:* https://127.0.0.1:*"
	if got := r.Header().Get("Content-Security-Policy"); got != want {
		t.Errorf("/checkout CSP = %q, want %q", got, want)
	}
}

// serve prints where it serves and the demo credentials on the first start,
// answers on its listener, and returns when its context ends.
func TestServe(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", dir}, pw, io.Discard)
		pw.CloseWithError(io.EOF)
		done <- err
	}()

	// Read stdout up to the demo credentials line.
	var out bytes.Buffer
	buf := make([]byte, 4096)
	for !strings.Contains(out.String(), `"secret"`) {
		n, err := pr.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			t.Fatalf("serve stopped early (%v); stdout:\n%s", err, out.String())
		}
	}
	m := regexp.MustCompile(`at (http://localhost:(\d+))`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no public URL in:\n%s", out.String())
	}
	if !strings.Contains(out.String(), m[1]+"/dashboard\n") {
		t.Errorf("no dashboard URL in:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "http://127.0.0.1:"+m[2]+"/examples/html.html") {
		t.Errorf("no example page on the other origin in:\n%s", out.String())
	}
	go io.Copy(io.Discard, pr)

	resp, err := http.Get("http://127.0.0.1:" + m[2] + "/heartbeat")
	if err != nil {
		t.Fatalf("heartbeat: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("heartbeat: %d", resp.StatusCode)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve returned %v after its context ended", err)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestStoreConfigure(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	runStore := func(args ...string) (map[string]any, error) {
		t.Helper()
		var out, errOut bytes.Buffer
		err := run(context.Background(), append(append([]string{"store"}, args...), "--data", dir), &out, &errOut)
		if err != nil {
			if out.Len() > 0 {
				t.Errorf("stdout after an error: %s", out.String())
			}
			return nil, err
		}
		var doc map[string]any
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
		}
		return doc, nil
	}

	// A partial file: its keys change, the others keep their values.
	doc, err := runStore("configure", "--config", write("a.json", `{"konbini_enabled": true, "card_brands": ["visa", "jcb"], "theme": {"main_color": "#000000"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if doc["name"] != server.DemoStoreName || doc["konbini_enabled"] != true || !reflect.DeepEqual(doc["card_brands"], []any{"visa", "jcb"}) ||
		doc["subscriptions_enabled"] != true || doc["theme"].(map[string]any)["main_color"] != "#000000" ||
		doc["theme"].(map[string]any)["main_background"] != "#FFFFFF" {
		t.Fatalf("after configure: %v", doc)
	}
	doc, err = runStore("configure", "--config", write("b.json", `{"paidy_enabled": true, "name": "My shop"}`))
	if err != nil || doc["konbini_enabled"] != true || doc["paidy_enabled"] != true || doc["name"] != "My shop" {
		t.Fatalf("second configure: %v, %v", doc, err)
	}
	shown, err := runStore("show")
	if err != nil || !reflect.DeepEqual(shown, doc) {
		t.Fatalf("show = %v, %v\nwant %v", shown, err, doc)
	}

	// An invalid file names the bad fields and changes nothing.
	_, err = runStore("configure", "--config", write("bad.json", `{"card_brands": ["visa", "amex"], "theme": {"main_color": "black"}, "konbini_enabled": false}`))
	if err == nil || !strings.Contains(err.Error(), `card_brands: Unknown brand "amex"`) || !strings.Contains(err.Error(), `theme.main_color: "black" is not a hex colour`) {
		t.Fatalf("invalid file: %v", err)
	}
	if again, _ := runStore("show"); !reflect.DeepEqual(again, doc) {
		t.Errorf("an invalid file changed the configuration: %v", again)
	}
	for _, test := range []struct {
		args []string
		want string
	}{
		{[]string{"configure"}, "--config FILE is required"},
		{[]string{"configure", "--config", filepath.Join(dir, "missing.json")}, "no such file"},
		{[]string{"configure", "--config", write("c.json", `{"konbini_enabled": `)}, "not valid JSON"},
		{[]string{"configure", "--config", write("d.json", `{"card_enabled": true}`), "--store", "00000000-0000-0000-0000-000000000000"}, "not found"},
		{[]string{"show", "extra"}, "unexpected argument"},
	} {
		if _, err := runStore(test.args...); err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("store %q: %v, want an error containing %q", test.args, err, test.want)
		}
	}

	// The API of that data directory serves the configuration.
	var out bytes.Buffer
	if err := run(context.Background(), []string{"apptoken", "create", "--domain", "*", "--data", dir}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var tok server.AppTokenCreated
	if err := json.Unmarshal(out.Bytes(), &tok); err != nil {
		t.Fatal(err)
	}
	if doc, err := runStore("configure", "--store", tok.StoreID, "--config", write("e.json", `{"online_enabled": true}`)); err != nil || doc["online_enabled"] != true {
		t.Fatalf("--store %s: %v, %v", tok.StoreID, doc, err)
	}
	srv, err := server.Open(server.Config{DataDir: dir, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	req := httptest.NewRequest("GET", "/checkout_info", nil)
	req.Header.Set("Authorization", "Bearer "+tok.JWT)
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	var info api.CheckoutInfo
	if err := json.Unmarshal(rec.Body.Bytes(), &info); err != nil || rec.Code != 200 {
		t.Fatalf("checkout_info: %d %s", rec.Code, rec.Body)
	}
	if info.Name != "My shop" || !info.ConvenienceConfiguration.Enabled || !info.OnlineConfiguration.Enabled || !info.PaidyConfiguration.Enabled ||
		info.Theme.Colors.MainColor != "#000000" || info.SupportedBrands[0].Brand != "visa" {
		t.Errorf("checkout_info = %+v", info)
	}
}

// serveDemo runs serve with args on a free port until the test ends and
// returns its URL, the demo app token it printed and its stdout so far.
func serveDemo(t *testing.T, args ...string) (string, server.AppTokenCreated, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, args...), pw, io.Discard)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	var out bytes.Buffer
	buf := make([]byte, 4096)
	for !strings.Contains(out.String(), `"secret"`) {
		n, err := pr.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			t.Fatalf("serve stopped early (%v); stdout:\n%s", err, out.String())
		}
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`at http://localhost:(\d+)`).FindStringSubmatch(out.String())
	j := regexp.MustCompile(`\{"jwt".*\}`).FindString(out.String())
	var demo server.AppTokenCreated
	if m == nil || json.Unmarshal([]byte(j), &demo) != nil {
		t.Fatalf("no URL or demo token in:\n%s", out.String())
	}
	return "http://127.0.0.1:" + m[1], demo, out.String()
}

// --limits=off (or KESSAI_LIMITS=off) switches the sandbox limits off; by
// default they are on.
func TestServeLimits(t *testing.T) {
	for _, tc := range []struct {
		name   string
		env    string
		args   []string
		limits bool
	}{
		{"default", "", nil, true},
		{"--limits=on", "", []string{"--limits=on"}, true},
		{"--limits=off", "", []string{"--limits=off"}, false},
		{"KESSAI_LIMITS=off", "off", nil, false},
		{"the flag wins over the environment", "off", []string{"--limits=on"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearEnv(t)
			t.Setenv("KESSAI_LIMITS", tc.env)
			base, demo, out := serveDemo(t, tc.args...)
			if said := strings.Contains(out, "limits are off"); said == tc.limits {
				t.Errorf("stdout says the limits are off: %v\n%s", said, out)
			}
			// The exact-path burst is 10, refilled at 2 a second: 30 quick
			// requests meet an empty bucket.
			var codes []int
			for range 30 {
				req, _ := http.NewRequest("GET", base+"/checkout_info", nil)
				req.Header.Set("Authorization", "Bearer "+demo.Secret+"."+demo.JWT)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				codes = append(codes, resp.StatusCode)
				if h := resp.Header.Get("X-Remaining-Requests-Exact"); (h != "") != tc.limits {
					t.Fatalf("X-Remaining-Requests-Exact %q with limits %v", h, tc.limits)
				}
			}
			if limited := slices.Contains(codes, http.StatusTooManyRequests); limited != tc.limits {
				t.Errorf("statuses %v; want limits %v", codes, tc.limits)
			}
		})
	}
}

func TestServeLimitsRefusesOtherValues(t *testing.T) {
	for _, tc := range []struct {
		env  string
		args []string
	}{
		{"", []string{"--limits", "maybe"}},
		{"", []string{"--limits="}},
		{"OFF", nil},
	} {
		clearEnv(t)
		t.Setenv("KESSAI_LIMITS", tc.env)
		data := filepath.Join(t.TempDir(), "data")
		err := run(context.Background(), append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data}, tc.args...), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "--limits") {
			t.Errorf("%v (env %q): error %v, want one about --limits", tc.args, tc.env, err)
		}
		if _, err := os.Stat(data); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%v created %s", tc.args, data)
		}
	}
}

func TestMain(m *testing.M) { pgtest.Main(m) }

// --database (or KESSAI_DATABASE) keeps every command's data in that
// PostgreSQL database instead of SQLite in --data.
func TestDatabaseFlag(t *testing.T) {
	clearEnv(t)
	db := pgtest.Database(t)
	base, _, _ := serveDemo(t, "--database", db)

	// A token made by apptoken create, another process on the database,
	// is valid on the server.
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"apptoken", "create", "--domain", "*", "--data", dir, "--database", db}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var tok server.AppTokenCreated
	if err := json.Unmarshal(out.Bytes(), &tok); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "kessai.db")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("apptoken create --database wrote SQLite in --data (stat: %v)", err)
	}
	req, _ := http.NewRequest("GET", base+"/checkout_info", nil)
	req.Header.Set("Authorization", "Bearer "+tok.JWT)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("checkout_info with the token made by apptoken create: %d", resp.StatusCode)
	}
	t.Setenv("KESSAI_DATABASE", db)
	out.Reset()
	if err := run(context.Background(), []string{"store", "show", "--store", tok.StoreID, "--data", t.TempDir()}, &out, io.Discard); err != nil || !strings.Contains(out.String(), `"card_enabled"`) {
		t.Fatalf("store show with KESSAI_DATABASE: %v\n%s", err, out.String())
	}

	// Another kind of URL is refused before anything is written.
	clearEnv(t)
	data := filepath.Join(t.TempDir(), "data")
	err = run(context.Background(), []string{"apptoken", "create", "--domain", "*", "--data", data, "--database", "mysql://db.example/kessai"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "postgres://") {
		t.Errorf("--database mysql://…: %v", err)
	}
	if _, err := os.Stat(data); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused --database created %s (stat: %v)", data, err)
	}
}
