package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// newLimitedEnv is newEnv with the limits on and real time held still, so
// that only e.advance moves the sandbox clock and refills the rate-limit
// buckets.
func newLimitedEnv(t *testing.T, cfg Config) *testEnv {
	t.Helper()
	return newEnvAt(t, time.Now(), func(c *Config) { c.LimitsOff = cfg.LimitsOff })
}

// setConfig changes the demo store's configuration in storage.
func (e *testEnv) setConfig(change func(*domain.StoreConfig)) {
	e.t.Helper()
	ctx := context.Background()
	st, err := e.s.storage.GetStore(ctx, e.demo.StoreID)
	if err != nil {
		e.t.Fatal(err)
	}
	change(&st.Config)
	if err := e.s.storage.UpdateStore(ctx, st); err != nil {
		e.t.Fatal(err)
	}
}

// step is one action of a charge-limit scenario and what it must answer
// (status 0: created).
type step struct {
	op     string // "token", "charge", "advance", "set" (the clock)
	name   string // token name
	card   string // token
	usage  string // token: usage_limit
	amount int    // charge
	d      time.Duration
	at     time.Time
	status int
	code   string
}

func tok(name, card string) step { return step{op: "token", name: name, card: card} }
func bounded(name, usage string) step {
	return step{op: "token", name: name, card: "4000020000000000", usage: usage}
}
func charge(name string, amount int) step {
	return step{op: "charge", name: name, amount: amount}
}
func advanceBy(d time.Duration) step { return step{op: "advance", d: d} }
func setClock(t time.Time) step      { return step{op: "set", at: t} }

func (s step) fails(status int, code string) step { s.status, s.code = status, code; return s }
func (s step) tooQuick() step                     { return s.fails(400, api.CodeChargeTooQuick) }
func (s step) locked() step                       { return s.fails(403, api.CodeCardLocked) }

// failures charges token name n times with a declined card, each settled
// (failed) a second later.
func failures(name string, n int) []step {
	var out []step
	for range n {
		out = append(out, charge(name, 1000), advanceBy(time.Second))
	}
	return out
}

func steps(parts ...any) []step {
	var out []step
	for _, p := range parts {
		switch p := p.(type) {
		case step:
			out = append(out, p)
		case []step:
			out = append(out, p...)
		}
	}
	return out
}

// 10:00 on Monday 7 January 2030 in Japan.
var monday = time.Date(2030, 1, 7, 10, 0, 0, 0, jst)

func jstAt(month time.Month, day, hour int) time.Time {
	return time.Date(2030, month, day, hour, 0, 0, 0, jst)
}

func (e *testEnv) run(steps []step) {
	t := e.t
	tokens := map[string]string{}
	for i, s := range steps {
		var r resp
		switch s.op {
		case "token":
			body := cardTokenBody(s.card, "recurring")
			if s.usage != "" {
				body = strings.Replace(body, `"type":"recurring"`, `"type":"recurring","usage_limit":"`+s.usage+`"`, 1)
			}
			r = e.do("POST", "/tokens", e.secretAuth(), body)
			var tk api.TransactionToken
			if r.code == http.StatusCreated {
				r.json(t, &tk)
				tokens[s.name] = tk.ID
			}
		case "charge":
			r = e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+tokens[s.name]+`","amount":`+strconv.Itoa(s.amount)+`,"currency":"JPY"}`)
		case "advance":
			e.advance(s.d)
			continue
		case "set":
			if _, err := e.s.clock.Set(context.Background(), e.demo.StoreID, s.at); err != nil {
				t.Fatalf("step %d: set clock: %v", i+1, err)
			}
			e.s.runJobs(context.Background())
			continue
		}
		if s.status == 0 {
			if r.code != http.StatusCreated {
				t.Fatalf("step %d (%s %s): %d %s, want 201", i+1, s.op, s.name, r.code, r.body)
			}
			continue
		}
		var b api.ErrorBody
		r.json(t, &b)
		if r.code != s.status || b.Code != s.code {
			t.Fatalf("step %d (%s %s): %d %s, want %d %s", i+1, s.op, s.name, r.code, r.body, s.status, s.code)
		}
	}
}

func TestChargeLimits(t *testing.T) {
	type limits = domain.LimitsConfig
	str := func(s string) *string { return &s }
	num := func(n int) *int { return &n }
	tests := []struct {
		name   string
		limits limits
		steps  []step
	}{
		{"cooldown: same card and amount within 30s", limits{}, steps(
			tok("a", "4000020000000000"), charge("a", 1000),
			advanceBy(29*time.Second), charge("a", 1000).tooQuick(),
			advanceBy(time.Second), charge("a", 1000))},
		{"cooldown: another token of the same card", limits{}, steps(
			tok("a", "4000020000000000"), tok("b", "4000020000000000"),
			charge("a", 1000), charge("b", 1000).tooQuick())},
		{"cooldown: another amount or another card", limits{}, steps(
			tok("a", "4000020000000000"), tok("b", "4242424242424242"),
			charge("a", 1000), charge("a", 1001), charge("b", 1000))},
		{"cooldown: a declined charge does not count", limits{}, steps(
			tok("a", "4111111111111111"), charge("a", 1000), advanceBy(time.Second), charge("a", 1000))},
		{"cooldown: a pending charge counts", limits{}, steps(
			tok("a", "4111111111111111"), charge("a", 1000), charge("a", 1000).tooQuick())},
		{"cooldown: set per store", limits{ChargeCooldown: str("PT5S")}, steps(
			tok("a", "4000020000000000"), charge("a", 1000),
			advanceBy(4*time.Second), charge("a", 1000).tooQuick(),
			advanceBy(time.Second), charge("a", 1000))},
		{"cooldown: PT0S switches it off", limits{ChargeCooldown: str("PT0S")}, steps(
			tok("a", "4000020000000000"), charge("a", 1000), charge("a", 1000))},

		{"bounded token: daily", limits{}, steps(setClock(monday),
			bounded("a", "daily"), charge("a", 1000),
			setClock(jstAt(1, 7, 23)), charge("a", 2000).tooQuick(),
			setClock(jstAt(1, 8, 0)), charge("a", 2000))},
		{"bounded token: weekly (from Monday)", limits{}, steps(setClock(monday),
			bounded("a", "weekly"), charge("a", 1000),
			setClock(jstAt(1, 13, 23)), charge("a", 2000).tooQuick(),
			setClock(jstAt(1, 14, 0)), charge("a", 2000))},
		{"bounded token: monthly", limits{}, steps(setClock(monday),
			bounded("a", "monthly"), charge("a", 1000),
			setClock(jstAt(1, 31, 23)), charge("a", 2000).tooQuick(),
			setClock(jstAt(2, 1, 0)), charge("a", 2000))},
		{"bounded token: annually", limits{}, steps(setClock(monday),
			bounded("a", "annually"), charge("a", 1000),
			setClock(jstAt(12, 31, 23)), charge("a", 2000).tooQuick(),
			setClock(time.Date(2031, 1, 1, 0, 0, 0, 0, jst)), charge("a", 2000))},
		{"bounded token: a declined charge leaves the period unused", limits{}, steps(setClock(monday),
			bounded("a", "daily"), step{op: "token", name: "bad", card: "4111111111111111", usage: "daily"},
			charge("bad", 1000), advanceBy(time.Second), charge("bad", 2000))},

		{"daily test charges", limits{DailyTestCharges: num(3), ChargeCooldown: str("PT0S")}, steps(setClock(monday),
			tok("a", "4000020000000000"), charge("a", 1000), charge("a", 1000), charge("a", 1000),
			charge("a", 1000).fails(400, api.CodeResourceLimitReached),
			setClock(jstAt(1, 7, 23)), charge("a", 1000).fails(400, api.CodeResourceLimitReached),
			setClock(jstAt(1, 8, 0)), charge("a", 1000))},
		{"daily test charges: 0 switches it off", limits{DailyTestCharges: num(0), ChargeCooldown: str("PT0S")}, steps(
			tok("a", "4000020000000000"), charge("a", 1000), charge("a", 1000))},

		{"card lock: 5 failures within 30 min lock the card for 2 h", limits{}, steps(
			tok("bad", "4111111111111111"), failures("bad", 5),
			charge("bad", 1000).locked(), tok("again", "4111111111111111").locked(),
			tok("good", "4000020000000000"), charge("good", 1000),
			advanceBy(2*time.Hour-2*time.Second), charge("bad", 1000).locked(),
			advanceBy(time.Second), tok("again", "4111111111111111"), charge("bad", 1000))},
		{"card lock: 4 failures do not lock", limits{}, steps(
			tok("bad", "4111111111111111"), failures("bad", 4), charge("bad", 1000))},
		{"card lock: 5 failures over more than 30 min do not lock", limits{}, steps(
			tok("bad", "4111111111111111"),
			charge("bad", 1000), advanceBy(10*time.Minute), charge("bad", 1000), advanceBy(10*time.Minute),
			charge("bad", 1000), advanceBy(10*time.Minute), charge("bad", 1000), advanceBy(10*time.Minute),
			charge("bad", 1000), advanceBy(time.Second), charge("bad", 1000))},
		{"card lock: set per store", limits{CardLockFailures: num(2), CardLockDuration: str("PT10M")}, steps(
			tok("bad", "4111111111111111"), failures("bad", 2), charge("bad", 1000).locked(),
			advanceBy(10*time.Minute), charge("bad", 1000))},
		{"card lock: 0 failures switch it off", limits{CardLockFailures: num(0)}, steps(
			tok("bad", "4111111111111111"), failures("bad", 6), charge("bad", 1000))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newLimitedEnv(t, Config{})
			privilege := api.RecurringInfinite // tokens without usage_limit
			for _, s := range tc.steps {
				if s.usage != "" {
					privilege = api.RecurringBounded
				}
			}
			e.setConfig(func(c *domain.StoreConfig) {
				c.Limits = tc.limits
				c.RecurringTokenPrivilege = privilege
			})
			e.run(tc.steps)
		})
	}
}

// The daily limit counts test charges only.
func TestDailyLimitCountsTestMode(t *testing.T) {
	e := newLimitedEnv(t, Config{})
	e.setConfig(func(c *domain.StoreConfig) { c.Limits.DailyTestCharges = ptr(1) })
	e.run(steps(tok("a", "4000020000000000"), charge("a", 1000), charge("a", 2000).fails(400, api.CodeResourceLimitReached)))
	live, err := e.s.CreateAppToken(context.Background(), AppTokenInput{Mode: "live", Domains: []string{"localhost"}})
	if err != nil {
		t.Fatal(err)
	}
	auth := "Bearer " + live.Secret + "." + live.JWT
	r := e.do("POST", "/tokens", auth, cardTokenBody("5555555555554444", "one_time"))
	var tk api.TransactionToken
	r.json(t, &tk)
	if r.code != 201 {
		t.Fatalf("live token: %d %s", r.code, r.body)
	}
	if r := e.do("POST", "/charges", auth, `{"transaction_token_id":"`+tk.ID+`","amount":1000,"currency":"JPY"}`); r.code != 201 {
		t.Fatalf("a live charge is not limited: %d %s", r.code, r.body)
	}
	wantError(t, e.do("POST", "/charges", e.secretAuth(), `{"transaction_token_id":"`+e.createToken("4242424242424242", "one_time").ID+`","amount":1000,"currency":"JPY"}`),
		400, api.CodeResourceLimitReached, api.FieldError{Reason: "Test charges must not exceed 1 per day"})
}

// With --limits=off nothing is limited, whatever the store says.
func TestLimitsOff(t *testing.T) {
	e := newLimitedEnv(t, Config{LimitsOff: true})
	e.setConfig(func(c *domain.StoreConfig) {
		c.Limits.DailyTestCharges = ptr(2)
		c.RecurringTokenPrivilege = api.RecurringBounded
	})
	e.run(steps(
		bounded("a", "daily"), charge("a", 1000), charge("a", 1000), charge("a", 1000),
		step{op: "token", name: "bad", card: "4111111111111111", usage: "daily"}, failures("bad", 6),
		step{op: "token", name: "bad2", card: "4111111111111111", usage: "daily"}, charge("bad2", 1000)))
	for i := range 40 {
		r := e.do("GET", "/checkout_info", e.secretAuth(), "")
		if r.code != 200 {
			t.Fatalf("request %d: %d", i+1, r.code)
		}
		for _, h := range rateLimitHeaders {
			if v := r.header.Get(h); v != "" {
				t.Fatalf("%s: %s with the limits off", h, v)
			}
		}
	}
}

func TestRateLimits(t *testing.T) {
	e := newLimitedEnv(t, Config{})
	tokenPath := func() string { return "/stores/" + e.demo.StoreID + "/tokens/" + newID() }
	get := func(path string) resp { return e.do("GET", path, e.secretAuth(), "") }
	remaining := func(r resp, h string) int {
		t.Helper()
		n, err := strconv.Atoi(r.header.Get(h))
		if err != nil {
			t.Fatalf("%s = %q", h, r.header.Get(h))
		}
		return n
	}
	wantLimited := func(r resp) {
		t.Helper()
		if r.code != http.StatusTooManyRequests || len(r.body) != 0 || r.header.Get("Content-Length") != "0" {
			t.Fatalf("want an empty 429, got %d %q", r.code, r.body)
		}
	}

	t.Run("headers of a standard request, as in the UnivaPay example", func(t *testing.T) {
		r := get(tokenPath())
		want := map[string]string{"X-Remaining-Requests-Exact": "9", "X-Remaining-Requests-Route": "29",
			"X-Requests-Per-Minute-Exact": "120", "X-Requests-Per-Minute-Route": "1200", "X-Remaining-Requests": "", "X-Requests-Per-Minute": ""}
		for h, v := range want {
			if got := r.header.Get(h); got != v {
				t.Errorf("%s = %q, want %q", h, got, v)
			}
		}
		if r.code != 404 {
			t.Errorf("status %d", r.code)
		}
	})
	t.Run("exact bucket: 10, refilled at 120/min", func(t *testing.T) {
		path := "/checkout_info?x=exact"
		for i := range 10 {
			if r := get(path); r.code != 200 || remaining(r, "X-Remaining-Requests-Exact") != 9-i {
				t.Fatalf("request %d: %d %v", i+1, r.code, r.header)
			}
		}
		r := get(path)
		wantLimited(r)
		if remaining(r, "X-Remaining-Requests-Exact") != 0 || r.header.Get("X-Requests-Per-Minute-Exact") != "120" {
			t.Errorf("429 headers: %v", r.header)
		}
		if r := get("/checkout_info?x=other"); r.code != 200 {
			t.Errorf("another query string has its own bucket: %d", r.code)
		}
		e.advance(499 * time.Millisecond)
		wantLimited(get(path))
		e.advance(time.Millisecond) // 0.5 s refills one request
		if r := get(path); r.code != 200 || remaining(r, "X-Remaining-Requests-Exact") != 0 {
			t.Fatalf("after 0.5 s: %d %v", r.code, r.header)
		}
		e.advance(time.Hour) // never above the capacity
		if r := get(path); remaining(r, "X-Remaining-Requests-Exact") != 9 {
			t.Errorf("after an hour: %v", r.header)
		}
	})
	t.Run("route bucket: 30 per path template, refilled at 1200/min", func(t *testing.T) {
		e.advance(time.Hour)
		for i := range 30 {
			if r := get(tokenPath()); r.code != 404 || remaining(r, "X-Remaining-Requests-Route") != 29-i {
				t.Fatalf("request %d: %d %v", i+1, r.code, r.header)
			}
		}
		wantLimited(get(tokenPath()))
		if r := get("/stores/" + e.demo.StoreID + "/charges/" + newID()); r.code != 404 {
			t.Errorf("another route has its own bucket: %d", r.code)
		}
		e.advance(50 * time.Millisecond) // 1200/min: one request per 50 ms
		if r := get(tokenPath()); r.code != 404 || remaining(r, "X-Remaining-Requests-Route") != 0 {
			t.Fatalf("after 50 ms: %d %v", r.code, r.header)
		}
		wantLimited(get(tokenPath()))
	})
	t.Run("charge bucket: 100 for tokens, charges and subscriptions, refilled at 3000/min", func(t *testing.T) {
		for i := range 100 {
			r := e.do("POST", "/tokens", e.secretAuth(), `{}`)
			if r.code != 400 || remaining(r, "X-Remaining-Requests") != 99-i || r.header.Get("X-Requests-Per-Minute") != "3000" {
				t.Fatalf("request %d: %d %v", i+1, r.code, r.header)
			}
			if r.header.Get("X-Remaining-Requests-Route") != "" || r.header.Get("X-Remaining-Requests-Exact") != "" {
				t.Fatalf("standard headers on a charge request: %v", r.header)
			}
		}
		wantLimited(e.do("POST", "/charges", e.secretAuth(), `{}`))
		wantLimited(e.do("POST", "/tokens", e.secretAuth(), `{}`))
		if r := get("/checkout_info"); r.code != 200 {
			t.Errorf("a standard request is not limited by the charge bucket: %d", r.code)
		}
		e.advance(20 * time.Millisecond) // 3000/min: one request per 20 ms
		if r := e.do("POST", "/charges", e.secretAuth(), `{}`); r.code != 400 {
			t.Errorf("after 20 ms: %d", r.code)
		}
	})
	t.Run("buckets are per app token", func(t *testing.T) {
		other, err := e.s.CreateAppToken(context.Background(), AppTokenInput{Domains: []string{"localhost"}})
		if err != nil {
			t.Fatal(err)
		}
		r := e.do("POST", "/tokens", "Bearer "+other.Secret+"."+other.JWT, `{}`)
		if r.code != 400 || remaining(r, "X-Remaining-Requests") != 99 {
			t.Errorf("another app token: %d %v", r.code, r.header)
		}
	})
	t.Run("a 429 is not stored under an idempotency key", func(t *testing.T) {
		wantLimited(e.do("POST", "/tokens", e.secretAuth(), `{}`, "Idempotency-Key", "k429"))
		e.advance(time.Minute)
		if r := e.do("POST", "/tokens", e.secretAuth(), `{}`, "Idempotency-Key", "k429"); r.code != 400 || r.header.Get("Idempotency-Status") != "successfully_stored" {
			t.Errorf("after the 429: %d %v", r.code, r.header)
		}
	})
	t.Run("browsers may read the headers (CORS)", func(t *testing.T) {
		r := e.do("GET", "/checkout_info", e.publicAuth(), "", "Origin", "http://127.0.0.1:9000")
		exposed := r.header.Get("Access-Control-Expose-Headers")
		for _, h := range append([]string{"Idempotency-Status"}, rateLimitHeaders...) {
			if !strings.Contains(exposed, h) {
				t.Errorf("Access-Control-Expose-Headers %q lacks %s", exposed, h)
			}
		}
	})
	t.Run("switched off per store", func(t *testing.T) {
		e.setConfig(func(c *domain.StoreConfig) { c.Limits.RateLimits = ptr(false) })
		for range 20 {
			if r := get("/checkout_info?x=off"); r.code != 200 || r.header.Get("X-Remaining-Requests-Exact") != "" {
				t.Fatalf("%d %v", r.code, r.header)
			}
		}
	})
}
