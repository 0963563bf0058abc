package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"kessai/api"
	"kessai/internal/serve"
	"kessai/server/postgres/pgtest"
)

// TestSeveralProcesses is the proof of docs/postgres.md, "Several
// processes": two `kessai serve` processes on one PostgreSQL database
// behave as one server.
func TestSeveralProcesses(t *testing.T) {
	t.Cleanup(func() { pgtest.Stop() }) // runs last, after the database is dropped
	db := pgtest.Database(t)
	a := startOnDatabase(t, db, "server-a.log", true)
	b := startOnDatabase(t, db, "server-b.log", false)
	b.jwt, b.secret, b.storeID = a.jwt, a.secret, a.storeID

	// A webhook receiver counting each event it gets.
	var mu sync.Mutex
	events := map[string]int{}      // event id → deliveries
	finished := map[string]string{} // charge id → event id of charge_finished
	received := make(chan struct{}, 1)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p struct {
			ID    string          `json:"id"`
			Event string          `json:"event"`
			Data  json.RawMessage `json:"data"`
		}
		json.NewDecoder(r.Body).Decode(&p)
		var c struct {
			ID string `json:"id"`
		}
		json.Unmarshal(p.Data, &c)
		mu.Lock()
		events[p.ID]++
		if p.Event == string(api.EventChargeFinished) {
			finished[c.ID] = p.ID
		}
		mu.Unlock()
		select {
		case received <- struct{}{}:
		default:
		}
	}))
	defer receiver.Close()
	mustCall(t, a, "POST", "/stores/"+a.storeID+"/webhooks", `{"triggers":["charge_finished"],"url":"`+receiver.URL+`"}`, "", 201, nil)

	// A token on one, a charge on the other, read back on both.
	var tok api.TransactionToken
	mustCall(t, a, "POST", "/tokens", `{"payment_type":"card","type":"recurring","email":"taro@example.com",
	  "data":{"cardholder":"TARO YAMADA","card_number":"4242424242424242","exp_month":"12","exp_year":"2099","cvv":"123"}}`, "", 201, &tok)
	var ch api.Charge
	mustCall(t, b, "POST", "/charges", `{"transaction_token_id":"`+tok.ID+`","amount":1000,"currency":"JPY"}`, "", 201, &ch)
	for _, srv := range []*kessaiServer{a, b, a} {
		var got api.Charge
		mustCall(t, srv, "GET", "/stores/"+a.storeID+"/charges/"+ch.ID+"?polling=true", "", "", 200, &got)
		if got.Status != api.ChargeSuccessful {
			t.Fatalf("charge read on %s: status %s, want successful", srv.widget, got.Status)
		}
	}

	// The rate limits hold across processes (docs/postgres.md, "Several
	// processes"): two more, with the limits on, share the exact path's
	// burst of 10 (refilled at 2 a second). 20 quick requests alternating
	// between them would all pass with a bucket per process (10 each); a
	// shared bucket refuses some as long as they take under 4.5 s.
	c := startOnDatabase(t, db, "server-c.log", false, "--limits=on")
	d := startOnDatabase(t, db, "server-d.log", false, "--limits=on")
	c.jwt, c.secret, c.storeID = a.jwt, a.secret, a.storeID
	d.jwt, d.secret, d.storeID = a.jwt, a.secret, a.storeID
	limited := 0
	start := time.Now()
	for i := range 20 {
		srv := []*kessaiServer{c, d}[i%2]
		switch code, body := call(srv, "GET", "/checkout_info?e2e=shared-burst", "", ""); code {
		case http.StatusOK:
		case http.StatusTooManyRequests:
			limited++
		default:
			t.Fatalf("request %d on %s: %d %s", i+1, srv.widget, code, body)
		}
	}
	if elapsed := time.Since(start); elapsed >= 4500*time.Millisecond {
		t.Fatalf("20 requests took %v: too slow to tell a shared bucket from two", elapsed)
	} else if limited == 0 {
		t.Errorf("20 requests in %v alternating between two processes: no 429, so each process has its own bucket", elapsed)
	}

	// 200 concurrent identical idempotent charges split over both: one
	// charge.
	before := chargeCount(t, a)
	ids := make([]string, 200)
	var wg sync.WaitGroup
	for i := range ids {
		srv := []*kessaiServer{a, b}[i%2]
		wg.Go(func() {
			var c api.Charge
			code, body := call(srv, "POST", "/charges", `{"transaction_token_id":"`+tok.ID+`","amount":700,"currency":"JPY"}`, "same-key")
			if code != 201 || json.Unmarshal(body, &c) != nil {
				t.Errorf("idempotent charge %d: %d %s", i, code, body)
			}
			ids[i] = c.ID
		})
	}
	wg.Wait()
	for i, id := range ids {
		if id != ids[0] {
			t.Fatalf("idempotent charge %d is %s, want %s", i, id, ids[0])
		}
	}
	if n := chargeCount(t, b); n != before+1 {
		t.Fatalf("%d charges after 200 identical idempotent requests, want %d", n, before+1)
	}

	// Load on both; one process is killed with SIGKILL in the middle, the
	// other finishes the work.
	var created sync.Map // charge id → true
	var made atomic.Int32
	midLoad := make(chan struct{})
	load := func(srv *kessaiServer, n int) {
		for range n {
			var c api.Charge
			code, body := call(srv, "POST", "/charges", `{"transaction_token_id":"`+tok.ID+`","amount":100,"currency":"JPY"}`, "")
			if code == 201 && json.Unmarshal(body, &c) == nil {
				created.Store(c.ID, true)
				if made.Add(1) == 20 {
					close(midLoad)
				}
			}
		}
	}
	var lw sync.WaitGroup
	for range 4 {
		lw.Go(func() { load(a, 10) })
		lw.Go(func() { load(b, 10) })
	}
	<-midLoad
	a.cmd.Process.Signal(syscall.SIGKILL)
	lw.Wait()
	created.Store(ch.ID, true)
	created.Store(ids[0], true)
	n := 0
	created.Range(func(k, _ any) bool {
		n++
		var got api.Charge
		id := k.(string)
		deadline := time.Now().Add(time.Minute)
		for {
			mustCall(t, b, "GET", "/stores/"+a.storeID+"/charges/"+id+"?polling=true", "", "", 200, &got)
			if got.Status != api.ChargePending || time.Now().After(deadline) {
				break
			}
		}
		if got.Status != api.ChargeSuccessful {
			t.Errorf("charge %s after the kill: %s, want successful", id, got.Status)
		}
		return true
	})
	if n < 10 {
		t.Fatalf("only %d charges were made under load", n)
	}

	// Each event reached the receiver once; the charges made before the
	// load got theirs.
	timeout := time.After(time.Minute)
wait:
	for {
		mu.Lock()
		_, ok1 := finished[ch.ID]
		_, ok2 := finished[ids[0]]
		mu.Unlock()
		if ok1 && ok2 {
			break
		}
		select {
		case <-received:
		case <-timeout:
			break wait
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, id := range []string{ch.ID, ids[0]} {
		if finished[id] == "" {
			t.Errorf("no charge_finished for charge %s", id)
		}
	}
	for ev, n := range events {
		if n != 1 {
			t.Errorf("event %s was delivered %d times", ev, n)
		}
	}
}

// startOnDatabase starts `kessai serve` on the database dbURL; the first
// start (demo) prints the demo app token, which it reads.
func startOnDatabase(t *testing.T, dbURL, logName string, demo bool, args ...string) *kessaiServer {
	t.Helper()
	return startServe(t, logName, demo, t.TempDir(), append([]string{"--database", dbURL, "--limits=off"}, args...)...)
}

// startServe starts `kessai serve` on the data directory data with args,
// logging to logName, and waits until it answers; with demo it reads the
// demo app token the first start prints. The process is stopped when the
// test ends (if it is still running).
func startServe(t *testing.T, logName string, demo bool, data string, args ...string) *kessaiServer {
	t.Helper()
	logFile, err := os.Create(logName)
	if err != nil {
		t.Fatal(err)
	}
	p, err := serve.Start(env.bin, serve.Options{Data: data, Args: args, Log: logFile, Demo: demo})
	if err != nil {
		logFile.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Stop(); logFile.Close() })
	return &kessaiServer{widget: p.URL, shop: p.Shop, jwt: p.JWT, secret: p.Secret, storeID: p.StoreID, cmd: p.Cmd, stop: p.Stop}
}

// call sends an API request with the secret (and an Idempotency-Key
// unless key is "") and returns the status and body; 0 when no answer
// came.
func call(srv *kessaiServer, method, path, body, key string) (int, []byte) {
	req, _ := http.NewRequest(method, srv.widget+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+srv.secret+"."+srv.jwt)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set(api.HeaderIdempotencyKey, key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// mustCall is call that fails t unless the status is want, decoding the
// body into out (when not nil).
func mustCall(t *testing.T, srv *kessaiServer, method, path, body, key string, want int, out any) {
	t.Helper()
	code, b := call(srv, method, path, body, key)
	if code != want {
		t.Fatalf("%s %s on %s: %d %s", method, path, srv.widget, code, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

// chargeCount is the number of charges of the store.
func chargeCount(t *testing.T, srv *kessaiServer) int {
	t.Helper()
	var l struct {
		TotalHits int `json:"total_hits"`
	}
	mustCall(t, srv, "GET", "/stores/"+srv.storeID+"/charges", "", "", 200, &l)
	return l.TotalHits
}
