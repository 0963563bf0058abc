package server

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"kessai/api"
)

const testPublicURL = "http://localhost:8080"

type testEnv struct {
	t    testing.TB
	s    *Server
	dir  string
	demo AppTokenCreated
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// testConfig is the configuration of test servers: a short processing
// delay and webhook timeout, and the sandbox limits off so that tests may
// charge one card repeatedly (limits_test.go tests the limits). The
// storage is SQLite in dir, or dir's PostgreSQL database (testDatabase).
func testConfig(t testing.TB, dir string) Config {
	return Config{DataDir: dir, Database: testDatabase(t, dir), PublicURL: testPublicURL, ProcessingDelay: 40 * time.Millisecond, Logger: quietLogger(),
		WebhookTimeout: 300 * time.Millisecond, LimitsOff: true}
}

// openTest opens a test server on dir.
func openTest(t testing.TB, dir string) *Server {
	t.Helper()
	s, err := Open(testConfig(t, dir))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

// newEnv opens a test server with the demo store.
func newEnv(t testing.TB) *testEnv { return newEnvWith(t, nil) }

// newEnvWith opens a test server whose testConfig change adjusts.
func newEnvWith(t testing.TB, change func(*Config)) *testEnv {
	t.Helper()
	cfg := testConfig(t, t.TempDir())
	if change != nil {
		change(&cfg)
	}
	s, err := Open(cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	demo, created, err := s.EnsureDemo(context.Background())
	if err != nil || !created {
		t.Fatalf("EnsureDemo: created=%v err=%v", created, err)
	}
	return &testEnv{t: t, s: s, dir: cfg.DataDir, demo: demo}
}

func (e *testEnv) secretAuth() string { return "Bearer " + e.demo.Secret + "." + e.demo.JWT }
func (e *testEnv) publicAuth() string { return "Bearer " + e.demo.JWT }

type resp struct {
	code   int
	header http.Header
	body   []byte
}

func (r resp) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func (r resp) errBody(t testing.TB) api.ErrorBody {
	t.Helper()
	var b api.ErrorBody
	r.json(t, &b)
	return b
}

// do sends a request; hdr holds extra headers as "Name", "value" pairs.
func (e *testEnv) do(method, path, auth, body string, hdr ...string) resp {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	e.s.Handler().ServeHTTP(rec, req)
	return resp{code: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

func cardTokenBody(number, typ string) string {
	return `{"payment_type":"card","type":"` + typ + `","email":"taro@example.com",
	 "metadata":{"order_id":12345678901234567890,"note":"x"},
	 "data":{"cardholder":"TARO YAMADA","card_number":"` + number + `","exp_month":"12","exp_year":"2099","cvv":"123",
	 "line1":"123 abc st","city":"Portland","country":"us","zip":"12345","phone_number":{"country_code":"1","local_number":"8029854583"}}}`
}

func (e *testEnv) createToken(number, typ string) api.TransactionToken {
	e.t.Helper()
	r := e.do("POST", "/tokens", e.secretAuth(), cardTokenBody(number, typ))
	if r.code != http.StatusCreated {
		e.t.Fatalf("POST /tokens: %d %s", r.code, r.body)
	}
	var tok api.TransactionToken
	r.json(e.t, &tok)
	return tok
}

func (e *testEnv) createCharge(tokenID, extra string) api.Charge {
	e.t.Helper()
	r := e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+tokenID+`","amount":1000,"currency":"jpy"`+extra+`}`)
	if r.code != http.StatusCreated {
		e.t.Fatalf("POST /charges: %d %s", r.code, r.body)
	}
	var c api.Charge
	r.json(e.t, &c)
	return c
}

func (e *testEnv) pollCharge(id string) api.Charge {
	e.t.Helper()
	r := e.do("GET", "/stores/"+e.demo.StoreID+"/charges/"+id+"?polling=true", e.secretAuth(), "")
	if r.code != http.StatusOK {
		e.t.Fatalf("GET charge: %d %s", r.code, r.body)
	}
	var c api.Charge
	r.json(e.t, &c)
	return c
}

func wantError(t *testing.T, r resp, status int, code string, errs ...api.FieldError) {
	t.Helper()
	if r.code != status {
		t.Fatalf("status = %d, want %d; body %s", r.code, status, r.body)
	}
	want := api.NewError(status, code, errs...).Body()
	wantJSON, _ := json.Marshal(want)
	if string(r.body) != string(wantJSON) {
		t.Fatalf("body = %s\nwant   %s", r.body, wantJSON)
	}
}

// advance moves the demo store's sandbox clock forward by d and runs the
// engine once, as POST /sandbox/clock/advance does.
func (e *testEnv) advance(d time.Duration) {
	e.t.Helper()
	if _, err := e.s.clock.Advance(context.Background(), e.demo.StoreID, d); err != nil {
		e.t.Fatalf("advance clock: %v", err)
	}
	e.s.runJobs(context.Background())
}
