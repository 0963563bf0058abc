package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"kessai/api"
)

// received is one request a receiver got.
type received struct {
	path   string
	header http.Header
	body   []byte
}

// receiver is a webhook endpoint on loopback whose answer the test sets:
// an HTTP status, or hang (no answer until the client gives up).
type receiver struct {
	t    *testing.T
	srv  *httptest.Server
	reqs chan received
	done chan struct{}

	mu     sync.Mutex
	status int // 0 = hang
}

const hang = 0

func newReceiver(t *testing.T, status int) *receiver {
	rc := &receiver{t: t, reqs: make(chan received, 100), done: make(chan struct{}), status: status}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.reqs <- received{path: r.URL.Path, header: r.Header.Clone(), body: body}
		rc.mu.Lock()
		status := rc.status
		rc.mu.Unlock()
		switch {
		case status == hang:
			select {
			case <-r.Context().Done():
			case <-rc.done:
			}
			return
		case status >= 300 && status < 400:
			w.Header().Set("Location", "/moved")
		}
		w.WriteHeader(status)
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(func() {
		close(rc.done)
		rc.srv.Close()
	})
	return rc
}

func (rc *receiver) set(status int) {
	rc.mu.Lock()
	rc.status = status
	rc.mu.Unlock()
}

func (rc *receiver) url(path string) string { return rc.srv.URL + path }

// next waits for the next request.
func (rc *receiver) next() received {
	rc.t.Helper()
	select {
	case r := <-rc.reqs:
		return r
	case <-time.After(10 * time.Second):
		rc.t.Fatal("no webhook request arrived")
		return received{}
	}
}

// none asserts that no request has arrived (call after waitDeliveries).
func (rc *receiver) none() {
	rc.t.Helper()
	select {
	case r := <-rc.reqs:
		rc.t.Fatalf("unexpected webhook request to %s: %s", r.path, r.body)
	default:
	}
}

// waitDeliveries waits until no delivery worker runs: the attempts
// started so far are recorded.
func (e *testEnv) waitDeliveries() {
	e.t.Helper()
	select {
	case <-e.s.hooks.whenIdle():
	case <-time.After(10 * time.Second):
		e.t.Fatal("webhook deliveries did not finish")
	}
}

func (e *testEnv) deliveries(query string) api.List[api.WebhookDelivery] {
	e.t.Helper()
	r := e.do("GET", "/sandbox/webhook_deliveries"+query, e.secretAuth(), "")
	if r.code != http.StatusOK {
		e.t.Fatalf("GET /sandbox/webhook_deliveries%s: %d %s", query, r.code, r.body)
	}
	var l api.List[api.WebhookDelivery]
	r.json(e.t, &l)
	return l
}

// onlyDelivery returns the one delivery of a webhook.
func (e *testEnv) onlyDelivery(webhookID string) api.WebhookDelivery {
	e.t.Helper()
	l := e.deliveries("?webhook_id=" + webhookID)
	if len(l.Items) != 1 {
		e.t.Fatalf("deliveries of %s = %d, want 1", webhookID, len(l.Items))
	}
	return l.Items[0]
}

func TestRetryScheduleAndOutcomes(t *testing.T) {
	var delays []time.Duration
	for n := 1; n <= 9; n++ {
		delays = append(delays, retryDelay(n))
	}
	m := time.Minute
	want := []time.Duration{m, 2 * m, 4 * m, 8 * m, 15 * m, 15 * m, 15 * m, 15 * m, 15 * m}
	if fmt.Sprint(delays) != fmt.Sprint(want) {
		t.Fatalf("retry delays = %v, want %v", delays, want)
	}
	for _, c := range []struct {
		status int
		want   outcome
	}{
		{200, outcomeSuccess}, {201, outcomeSuccess}, {204, outcomeSuccess}, {299, outcomeSuccess},
		{301, outcomeStop}, {302, outcomeStop}, {304, outcomeStop}, {307, outcomeStop},
		{400, outcomeRetryStop}, {401, outcomeRetryStop}, {404, outcomeRetryStop}, {429, outcomeRetryStop},
		{500, outcomeRetryStop}, {501, outcomeRetryStop}, {502, outcomeRetryStop},
		{503, outcomeRetry}, {504, outcomeRetry}, {599, outcomeRetry},
		{0, outcomeRetry}, // timeout or connection error
		{100, outcomeRetry},
	} {
		if got := classify(c.status); got != c.want {
			t.Errorf("classify(%d) = %v, want %v", c.status, got, c.want)
		}
	}
}

// TestWebhookPayload: what a receiver gets for charge_finished, to a store
// webhook and a merchant-wide one; the Authorization header is the
// auth_token verbatim, or absent.
func TestWebhookPayload(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t, http.StatusOK)
	const authToken = "Bearer tok.en with spaces, \"quotes\" & ünicode"
	body, _ := json.Marshal(map[string]any{"triggers": []string{"charge_finished"}, "url": rc.url("/store"), "auth_token": authToken})
	store := e.createWebhook(e.storeHooks(), string(body))
	merchant := e.createWebhook("/webhooks", `{"triggers":["charge_finished","charge_updated"],"url":"`+rc.url("/merchant")+`"}`)
	e.createWebhook(e.storeHooks(), `{"triggers":["refund_finished"],"url":"`+rc.url("/refunds")+`"}`)

	tok := e.createToken("4000020000000000", "one_time")
	ch := e.createCharge(tok.ID, `,"metadata":{"order":"A-1"}`)
	e.pollCharge(ch.ID)
	got := map[string]received{}
	for range 2 {
		r := rc.next()
		got[r.path] = r
	}
	e.waitDeliveries()
	rc.none() // nothing for token_created, nor for the refund webhook

	s, m := got["/store"], got["/merchant"]
	if h := s.header.Values("Authorization"); len(h) != 1 || h[0] != authToken {
		t.Errorf("Authorization = %q, want %q", h, authToken)
	}
	if _, ok := m.header["Authorization"]; ok {
		t.Errorf("Authorization sent without an auth_token: %q", m.header.Get("Authorization"))
	}
	for _, r := range []received{s, m} {
		if r.header.Get("Content-Type") != "application/json" || r.header.Get("User-Agent") != "UnivaPay-Sandbox-Webhook/1" {
			t.Errorf("headers = %v", r.header)
		}
	}
	assertGolden(t, "webhook_payload_charge_finished", s.body)

	var ps, pm api.WebhookPayload
	if err := json.Unmarshal(s.body, &ps); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(m.body, &pm)
	if ps.Event != api.EventChargeFinished || ps.WebhookID != store.ID || pm.WebhookID != merchant.ID || !ps.Successful {
		t.Errorf("payload = %+v", ps)
	}
	if ps.ID != pm.ID || ps.ID == ch.ID {
		t.Errorf("event IDs: store %s merchant %s (charge %s): one event, one ID", ps.ID, pm.ID, ch.ID)
	}
	// data is the charge exactly as GET returns it.
	g := e.do("GET", "/stores/"+e.demo.StoreID+"/charges/"+ch.ID, e.secretAuth(), "")
	var compact bytes.Buffer
	json.Compact(&compact, g.body)
	if string(ps.Data) != compact.String() {
		t.Errorf("data = %s\nGET  = %s", ps.Data, compact.String())
	}
	if !strings.HasPrefix(string(s.body), `{"id":`) || !strings.HasSuffix(string(s.body), `"successful":true,"fired_on":"`+ps.FiredOn+`"}`) {
		t.Errorf("field order differs from the documentation's example: %s", s.body)
	}

	// The log.
	d := e.onlyDelivery(store.ID)
	if d.Status != api.DeliverySuccessful || d.EventID != ps.ID || d.Event != api.EventChargeFinished || d.NextAttemptOn != nil ||
		len(d.Attempts) != 1 || string(d.Data) != string(ps.Data) || d.CreatedOn != ps.CreatedOn {
		t.Fatalf("delivery = %+v", d)
	}
	a := d.Attempts[0]
	if a.Number != 1 || a.HTTPStatus == nil || *a.HTTPStatus != 200 || a.ErrorMessage != nil || a.FiredOn != ps.FiredOn || a.URL != rc.url("/store") {
		t.Fatalf("attempt = %+v", a)
	}
	if l := e.deliveries("?event=charge_finished&status=successful"); l.TotalHits != 2 {
		t.Fatalf("log filtered = %d", l.TotalHits)
	}
	if l := e.deliveries("?event=token_created"); l.TotalHits != 0 {
		t.Fatalf("token_created deliveries = %d", l.TotalHits)
	}
}

// TestTokenCreatedEvent: POST /tokens fires token_created with the token.
func TestTokenCreatedEvent(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t, http.StatusNoContent)
	e.createWebhook(e.storeHooks(), `{"triggers":["token_created"],"url":"`+rc.url("/")+`"}`)
	tok := e.createToken("4000020000000000", "recurring")
	var p api.WebhookPayload
	json.Unmarshal(rc.next().body, &p)
	var data api.TransactionToken
	json.Unmarshal(p.Data, &data)
	if p.Event != api.EventTokenCreated || data.ID != tok.ID || data.Data.Card.LastFour != "0000" {
		t.Fatalf("payload = %+v", p)
	}
}

// TestWebhookRetries drives each failure kind through the retry schedule
// with the sandbox clock and checks the attempts and the stop rules.
func TestWebhookRetries(t *testing.T) {
	for _, c := range []struct {
		name     string
		status   int // receiver's answer; hang = none within the timeout
		attempts int // attempts until the delivery ends
		stopped  bool
		errorMsg string // of every attempt, "" = "HTTP <status> <text>"
	}{
		{"302 stops at once", http.StatusFound, 1, true, ""},
		{"400 stops after the 10th", http.StatusBadRequest, 10, true, ""},
		{"500 stops after the 10th", http.StatusInternalServerError, 10, true, ""},
		{"503 never stops", http.StatusServiceUnavailable, 10, false, ""},
		{"timeout never stops", hang, 10, false, "Request timeout to %s after 300ms"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			rc := newReceiver(t, c.status)
			w := e.createWebhook(e.storeHooks(), `{"triggers":["token_created"],"url":"`+rc.url("/hook")+`"}`)
			e.createToken("4000020000000000", "one_time")
			first := rc.next()
			e.waitDeliveries()
			for n := 1; n < c.attempts; n++ {
				// Not yet 5 s before the retry is due; then due.
				e.advance(retryDelay(n) - 5*time.Second)
				e.waitDeliveries()
				rc.none()
				e.advance(5 * time.Second)
				r := rc.next()
				e.waitDeliveries()
				var p0, p api.WebhookPayload
				json.Unmarshal(first.body, &p0)
				json.Unmarshal(r.body, &p)
				if p.ID != p0.ID || p.CreatedOn != p0.CreatedOn || p.FiredOn == p0.FiredOn {
					t.Fatalf("attempt %d payload: id %s created %s fired %s (first: %s %s %s)", n+1, p.ID, p.CreatedOn, p.FiredOn, p0.ID, p0.CreatedOn, p0.FiredOn)
				}
			}
			// The delivery has ended: no more attempts, however long we wait.
			e.advance(24 * time.Hour)
			e.waitDeliveries()
			rc.none()

			d := e.onlyDelivery(w.ID)
			if d.Status != api.DeliveryFailed || d.NextAttemptOn != nil || len(d.Attempts) != c.attempts {
				t.Fatalf("delivery: status %s next %v attempts %d", d.Status, d.NextAttemptOn, len(d.Attempts))
			}
			var prev time.Time
			for i, a := range d.Attempts {
				at, _ := api.ParseTime(a.FiredOn)
				if a.Number != i+1 || a.URL != rc.url("/hook") {
					t.Errorf("attempt %d: %+v", i+1, a)
				}
				if i > 0 {
					if gap := at.Sub(prev); gap < retryDelay(i) || gap > retryDelay(i)+30*time.Second {
						t.Errorf("attempt %d came %v after the previous one, want %v", i+1, gap, retryDelay(i))
					}
				}
				prev = at
				want := fmt.Sprintf("HTTP %d %s", c.status, http.StatusText(c.status))
				if c.errorMsg != "" {
					want = fmt.Sprintf(c.errorMsg, strings.TrimPrefix(rc.srv.URL, "http://"))
				}
				if c.stopped && i == len(d.Attempts)-1 {
					want += " (webhook stopped)"
				}
				if a.ErrorMessage == nil || *a.ErrorMessage != want {
					t.Errorf("attempt %d error = %s, want %q", i+1, mustJSON(a.ErrorMessage), want)
				}
				if (c.status == hang) != (a.HTTPStatus == nil) || (a.HTTPStatus != nil && *a.HTTPStatus != c.status) {
					t.Errorf("attempt %d http_status = %v", i+1, a.HTTPStatus)
				}
				if c.status == hang && a.DurationMS < 300 {
					t.Errorf("attempt %d of a hanging receiver took %d ms", i+1, a.DurationMS)
				}
			}
			if c.status == http.StatusFound {
				select {
				case r := <-rc.reqs:
					t.Fatalf("the redirect was followed to %s", r.path)
				default:
				}
			}

			hook := e.getWebhook(e.storeHooks() + "/" + w.ID)
			if hook.Active == c.stopped {
				t.Fatalf("webhook active = %v, want %v", hook.Active, !c.stopped)
			}
			rc.set(http.StatusOK)
			e.createToken("4000020000000000", "one_time")
			if c.stopped {
				// A stopped webhook gets no new deliveries until re-enabled.
				e.waitDeliveries()
				rc.none()
				if l := e.deliveries("?webhook_id=" + w.ID); l.TotalHits != 1 {
					t.Fatalf("deliveries to a stopped webhook: %d", l.TotalHits)
				}
				if r := e.do("PATCH", e.storeHooks()+"/"+w.ID, e.secretAuth(), `{"active":true}`); r.code != http.StatusOK {
					t.Fatalf("re-enable: %d %s", r.code, r.body)
				}
				e.createToken("4000020000000000", "one_time")
			}
			rc.next()
			e.waitDeliveries()
			if l := e.deliveries("?webhook_id=" + w.ID + "&status=successful"); l.TotalHits != 1 {
				t.Fatalf("successful deliveries after recovery: %d", l.TotalHits)
			}
		})
	}
}

// TestStoppedWebhookPendingDeliveries: deliveries pending when a webhook
// is deactivated or deleted are canceled at their next attempt, not sent.
func TestStoppedWebhookPendingDeliveries(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t, http.StatusServiceUnavailable)
	a := e.createWebhook(e.storeHooks(), `{"triggers":["token_created"],"url":"`+rc.url("/a")+`"}`)
	b := e.createWebhook(e.storeHooks(), `{"triggers":["token_created"],"url":"`+rc.url("/b")+`"}`)
	e.createToken("4000020000000000", "one_time")
	rc.next()
	rc.next()
	e.waitDeliveries()
	if r := e.do("PATCH", e.storeHooks()+"/"+a.ID, e.secretAuth(), `{"active":"false"}`); r.code != http.StatusOK {
		t.Fatalf("deactivate: %d", r.code)
	}
	if r := e.do("DELETE", e.storeHooks()+"/"+b.ID, e.secretAuth(), ""); r.code != http.StatusNoContent {
		t.Fatalf("delete: %d", r.code)
	}
	rc.set(http.StatusOK)
	e.advance(time.Minute)
	e.waitDeliveries()
	rc.none()
	for _, id := range []string{a.ID, b.ID} {
		d := e.onlyDelivery(id)
		if d.Status != api.DeliveryCanceled || len(d.Attempts) != 1 || d.NextAttemptOn != nil {
			t.Fatalf("delivery of %s: %s, %d attempts", id, d.Status, len(d.Attempts))
		}
	}
	// Re-enabling does not resurrect a canceled delivery.
	e.do("PATCH", e.storeHooks()+"/"+a.ID, e.secretAuth(), `{"active":true}`)
	e.advance(time.Hour)
	e.waitDeliveries()
	rc.none()
	if l := e.deliveries("?status=canceled"); l.TotalHits != 2 {
		t.Fatalf("canceled deliveries = %d", l.TotalHits)
	}
}

// TestWebhookURLChangeApplies: a retry goes to the webhook's current URL
// and auth_token.
func TestWebhookURLChangeApplies(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t, http.StatusInternalServerError)
	w := e.createWebhook(e.storeHooks(), `{"triggers":["token_created"],"url":"`+rc.url("/old")+`","auth_token":"old"}`)
	e.createToken("4000020000000000", "one_time")
	if r := rc.next(); r.path != "/old" || r.header.Get("Authorization") != "old" {
		t.Fatalf("first attempt: %s %q", r.path, r.header.Get("Authorization"))
	}
	e.waitDeliveries()
	rc.set(http.StatusOK)
	e.do("PATCH", "/webhooks/"+w.ID, e.secretAuth(), `{"url":"`+rc.url("/new")+`","auth_token":"new"}`)
	e.advance(time.Minute)
	if r := rc.next(); r.path != "/new" || r.header.Get("Authorization") != "new" {
		t.Fatalf("retry: %s %q", r.path, r.header.Get("Authorization"))
	}
	e.waitDeliveries()
	d := e.onlyDelivery(w.ID)
	if d.Status != api.DeliverySuccessful || d.Attempts[0].URL != rc.url("/old") || d.Attempts[1].URL != rc.url("/new") {
		t.Fatalf("delivery = %+v", d)
	}
}

// TestWebhookDeliveriesConcurrent: a hanging receiver does not hold up the
// deliveries to other webhooks.
func TestWebhookDeliveriesConcurrent(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(Config{DataDir: dir, Database: testDatabase(t, dir), PublicURL: testPublicURL, ProcessingDelay: 40 * time.Millisecond, Logger: quietLogger(),
		WebhookTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	demo, _, err := s.EnsureDemo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, s: s, dir: dir, demo: demo}
	slow := newReceiver(t, hang)
	fast := newReceiver(t, http.StatusOK)
	t.Cleanup(func() { s.Close() }) // runs before the receivers close
	e.createWebhook(e.storeHooks(), `{"triggers":["token_created"],"url":"`+slow.url("/")+`"}`)
	e.createWebhook(e.storeHooks(), `{"triggers":["token_created"],"url":"`+fast.url("/")+`"}`)
	e.createToken("4000020000000000", "one_time")
	slow.next()
	fast.next() // arrives while the slow receiver still holds its request
	select {
	case <-s.hooks.whenIdle():
		t.Fatal("the slow delivery finished before its receiver answered")
	default:
	}
}

// TestWebhookDeliveryRestart: the delivery log survives a restart, and a
// retry that came due while the server was down is sent at start.
func TestWebhookDeliveryRestart(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t, http.StatusBadGateway)
	w := e.createWebhook(e.storeHooks(), `{"triggers":["token_created"],"url":"`+rc.url("/")+`","auth_token":"kept"}`)
	e.createToken("4000020000000000", "one_time")
	first := rc.next()
	e.waitDeliveries()
	e.s.Close()

	// While the server is down, its store's clock passes the retry time.
	st, err := openStorage(testConfig(t, e.dir))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewClock(nil, st, nil).Advance(context.Background(), e.demo.StoreID, 2*time.Minute); err != nil {
		t.Fatal(err)
	}
	st.Close()

	rc.set(http.StatusOK)
	e.s = openTest(t, e.dir)
	t.Cleanup(func() { e.s.Close() })
	second := rc.next() // sent by the engine's first pass, without moving the clock
	e.waitDeliveries()
	var p1, p2 api.WebhookPayload
	json.Unmarshal(first.body, &p1)
	json.Unmarshal(second.body, &p2)
	if p1.ID != p2.ID || second.header.Get("Authorization") != "kept" {
		t.Fatalf("after restart: event %s (was %s), Authorization %q", p2.ID, p1.ID, second.header.Get("Authorization"))
	}
	d := e.onlyDelivery(w.ID)
	if d.Status != api.DeliverySuccessful || len(d.Attempts) != 2 || *d.Attempts[0].HTTPStatus != 502 || *d.Attempts[1].HTTPStatus != 200 ||
		*d.Attempts[0].ErrorMessage != "HTTP 502 Bad Gateway" || d.Attempts[1].Number != 2 {
		t.Fatalf("log after restart = %+v", d)
	}
	a1, _ := api.ParseTime(d.Attempts[0].FiredOn)
	a2, _ := api.ParseTime(d.Attempts[1].FiredOn)
	if a2.Sub(a1) < 2*time.Minute {
		t.Fatalf("second attempt %v after the first, want ≥ 2m (store clock)", a2.Sub(a1))
	}

	// A pending retry also survives: fail once more, restart, move the clock.
	rc.set(http.StatusInternalServerError)
	e.createToken("4000020000000000", "one_time")
	rc.next()
	e.waitDeliveries()
	e.s.Close()
	rc.set(http.StatusOK)
	e.s = openTest(t, e.dir)
	t.Cleanup(func() { e.s.Close() })
	e.waitDeliveries()
	rc.none() // not due yet
	e.advance(time.Minute)
	rc.next()
	e.waitDeliveries()
	if l := e.deliveries("?status=successful"); l.TotalHits != 2 {
		t.Fatalf("successful deliveries = %d", l.TotalHits)
	}
}

// TestResendDelivery: a finished delivery is sent again as a new delivery
// of the same event; a pending one, one to a stopped webhook or of
// another store is refused.
func TestResendDelivery(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t, http.StatusFound) // stops the webhook at once
	w := e.createWebhook(e.storeHooks(), `{"triggers":["token_created"],"url":"`+rc.url("/hook")+`"}`)
	e.createToken("4000020000000000", "one_time")
	first := rc.next()
	e.waitDeliveries()
	old := e.onlyDelivery(w.ID)
	if old.Status != api.DeliveryFailed {
		t.Fatalf("delivery %s, want failed", old.Status)
	}
	resend := "/sandbox/webhook_deliveries/" + old.ID + "/resend"
	wantError(t, e.do("POST", resend, e.secretAuth(), ""), http.StatusConflict, api.CodeWebhookInactive)

	e.advance(time.Hour) // the resend is made later on the sandbox clock
	rc.set(http.StatusInternalServerError)
	if r := e.do("PATCH", e.storeHooks()+"/"+w.ID, e.secretAuth(), `{"active":true}`); r.code != http.StatusOK {
		t.Fatalf("re-enable: %d %s", r.code, r.body)
	}
	r := e.do("POST", resend, e.secretAuth(), "")
	if r.code != http.StatusCreated {
		t.Fatalf("resend: %d %s", r.code, r.body)
	}
	var nd api.WebhookDelivery
	r.json(t, &nd)
	if nd.ID == old.ID || nd.EventID != old.EventID || nd.ResentFrom == nil || *nd.ResentFrom != old.ID || nd.Status != api.DeliveryPending {
		t.Fatalf("resent delivery: %s", r.body)
	}
	// The same event: the payload's id and created_on are the first's.
	second := rc.next()
	e.waitDeliveries()
	var p0, p1 api.WebhookPayload
	json.Unmarshal(first.body, &p0)
	json.Unmarshal(second.body, &p1)
	if p1.ID != p0.ID || p1.CreatedOn != p0.CreatedOn || p1.FiredOn == p0.FiredOn || string(p1.Data) != string(p0.Data) {
		t.Fatalf("resent payload %s, first %s", second.body, first.body)
	}
	// While it is retried it cannot be resent; the original can, again.
	wantError(t, e.do("POST", "/sandbox/webhook_deliveries/"+nd.ID+"/resend", e.secretAuth(), ""), http.StatusConflict, api.CodeWebhookDeliveryPending)
	l := e.deliveries("?webhook_id=" + w.ID)
	if l.TotalHits != 2 || l.Items[0].ID != nd.ID || len(l.Items[0].Attempts) != 1 || l.Items[1].ID != old.ID || len(l.Items[1].Attempts) != 1 {
		t.Fatalf("delivery log after the resend: %s", mustJSON(l))
	}
	// Unknown, malformed and other stores' deliveries are not found.
	_, other := e.otherStore("Other shop")
	wantError(t, e.do("POST", resend, other, ""), http.StatusNotFound, api.CodeNotFound)
	wantError(t, e.do("POST", "/sandbox/webhook_deliveries/"+newID()+"/resend", e.secretAuth(), ""), http.StatusNotFound, api.CodeNotFound)
	wantError(t, e.do("POST", "/sandbox/webhook_deliveries/x/resend", e.secretAuth(), ""), http.StatusNotFound, api.CodeNotFound)
}
