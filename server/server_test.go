package server

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
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

// The test servers: newEnv, newEnvWith and newEnvAt; the other
// constructors are one of these.

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

// newEnvAt is newEnvWith with real time held still at now: only the
// sandbox clock moves (e.advance, /sandbox/clock/*), so what is pending
// stays pending until the test moves the clock (no race with the engine's
// real-time wake-ups).
func newEnvAt(t testing.TB, now time.Time, change ...func(*Config)) *testEnv {
	t.Helper()
	return newEnvWith(t, func(c *Config) {
		c.Now = func() time.Time { return now }
		for _, ch := range change {
			ch(c)
		}
	})
}

// newClockEnv is newEnvAt the present.
func newClockEnv(t testing.TB) *testEnv {
	t.Helper()
	return newEnvAt(t, time.Now())
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

// call sends a request, fails the test unless it answers want, and decodes
// the body into a T; callRaw also returns the response.
func call[T any](e *testEnv, want int, method, path, auth, body string) T {
	e.t.Helper()
	v, _ := callRaw[T](e, want, method, path, auth, body)
	return v
}

func callRaw[T any](e *testEnv, want int, method, path, auth, body string) (T, resp) {
	e.t.Helper()
	r := e.do(method, path, auth, body)
	if r.code != want {
		e.t.Fatalf("%s %s: %d, want %d: %s", method, path, r.code, want, r.body)
	}
	var v T
	r.json(e.t, &v)
	return v, r
}

func cardTokenBody(number, typ string) string {
	return `{"payment_type":"card","type":"` + typ + `","email":"taro@example.com",
	 "metadata":{"order_id":12345678901234567890,"note":"x"},
	 "data":{"cardholder":"TARO YAMADA","card_number":"` + number + `","exp_month":"12","exp_year":"2099","cvv":"123",
	 "line1":"123 abc st","city":"Portland","country":"us","zip":"12345","phone_number":{"country_code":"1","local_number":"8029854583"}}}`
}

// createToken creates a card token with the secret.
func (e *testEnv) createToken(number, typ string) api.TransactionToken {
	e.t.Helper()
	return e.postToken(e.secretAuth(), cardTokenBody(number, typ))
}

// postToken creates a token (201 expected).
func (e *testEnv) postToken(auth, body string) api.TransactionToken {
	e.t.Helper()
	return call[api.TransactionToken](e, http.StatusCreated, "POST", "/tokens", auth, body)
}

// createCharge creates a charge of 1000 JPY (extra: more JSON fields).
func (e *testEnv) createCharge(tokenID, extra string) api.Charge {
	e.t.Helper()
	return e.postCharge(`{"transaction_token_id":"` + tokenID + `","amount":1000,"currency":"jpy"` + extra + `}`)
}

// chargeYen creates a charge of amount yen on a token (distinct amounts
// keep clear of the charge-frequency limit).
func (e *testEnv) chargeYen(tokenID string, amount int) api.Charge {
	e.t.Helper()
	return e.postCharge(`{"transaction_token_id":"` + tokenID + `","amount":` + strconv.Itoa(amount) + `,"currency":"JPY"}`)
}

// postCharge creates a charge (201 expected).
func (e *testEnv) postCharge(body string) api.Charge {
	e.t.Helper()
	return call[api.Charge](e, http.StatusCreated, "POST", "/charges", e.secretAuth(), body)
}

func (e *testEnv) chargePath(id string) string { return "/stores/" + e.demo.StoreID + "/charges/" + id }

// getCharge reads a charge without polling.
func (e *testEnv) getCharge(id string) api.Charge {
	e.t.Helper()
	return call[api.Charge](e, http.StatusOK, "GET", e.chargePath(id), e.secretAuth(), "")
}

// pollCharge reads a charge with polling.
func (e *testEnv) pollCharge(id string) api.Charge {
	e.t.Helper()
	return call[api.Charge](e, http.StatusOK, "GET", e.chargePath(id)+"?polling=true", e.secretAuth(), "")
}

// settledCharge creates a charge of 1000 JPY on a new one-time token of
// the card number (extra: more JSON fields) and settles it.
func (e *testEnv) settledCharge(number, extra string) api.Charge {
	e.t.Helper()
	c := e.createCharge(e.createToken(number, "one_time").ID, extra)
	e.settleAll()
	return e.getCharge(c.ID)
}

// authorizedCharge is an authorized charge of 1000 JPY (capture=false).
func (e *testEnv) authorizedCharge(number string) api.Charge {
	e.t.Helper()
	c := e.settledCharge(number, `,"capture":false`)
	if c.Status != api.ChargeAuthorized {
		e.t.Fatalf("charge status %s, want authorized", c.Status)
	}
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

// setChargeStatus changes a stored charge as the capture and cancel
// endpoints do, through saveCharge.
func (e *testEnv) setChargeStatus(id string, st api.ChargeStatus) {
	e.t.Helper()
	ctx := context.Background()
	c, err := e.s.storage.GetCharge(ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	prev := *c
	c.Status = st
	c.DueAt = nil
	if err := e.s.saveCharge(ctx, &prev, c); err != nil {
		e.t.Fatal(err)
	}
}

// errorCase is a request that must fail with status and code (and field
// errors).
type errorCase struct {
	name   string
	path   string
	auth   string // "": the secret
	body   string
	status int
	code   string
	errs   []api.FieldError
}

// wantErrors sends each case with method and checks its error body.
func (e *testEnv) wantErrors(t *testing.T, method string, cases []errorCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			auth := tt.auth
			if auth == "" {
				auth = e.secretAuth()
			}
			wantError(t, e.do(method, tt.path, auth, tt.body), tt.status, tt.code, tt.errs...)
		})
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

// settleAll moves the demo store's clock past the processing delay, so
// that every pending charge, refund and cancel reaches its outcome.
func (e *testEnv) settleAll() {
	e.t.Helper()
	e.advance(time.Second)
}

func (e *testEnv) storeNow() time.Time { return e.s.clock.Now(e.demo.StoreID) }
