package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// idemCall is what a client sees of one request through the idempotency
// layer.
type idemCall struct {
	code   int
	status string // Idempotency-Status
	body   string
}

// countingHandler answers 201 with the number of times it ran, or the
// status in the X-Status request header.
type countingHandler struct{ runs atomic.Int32 }

func (c *countingHandler) serve(w http.ResponseWriter, r *http.Request, p *principal) {
	n := c.runs.Add(1)
	code := http.StatusCreated
	if s := r.Header.Get("X-Status"); s != "" {
		code, _ = strconv.Atoi(s)
	}
	writeJSON(w, code, map[string]any{"run": n, "path": r.URL.Path})
}

func idemRequest(h apiHandler, p *principal, method, path, key string, hdr ...string) idemCall {
	req := httptest.NewRequest(method, path, nil)
	if key != "" {
		req.Header.Set(api.HeaderIdempotencyKey, key)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h(rec, req, p)
	return idemCall{rec.Code, rec.Header().Get(api.HeaderIdempotencyStatus), rec.Body.String()}
}

func (e *testEnv) principal(merchant string, mode api.Mode) *principal {
	return &principal{app: &domain.AppToken{ID: newID(), MerchantID: merchant, StoreID: e.demo.StoreID, Mode: mode}, withSecret: true}
}

func TestIdempotencyRules(t *testing.T) {
	const created = `{"path":"/charges","run":1}`
	type req struct {
		method, path, key string
		merchant          string   // default "m"
		mode              api.Mode // default test
		hdr               []string
		want              idemCall
	}
	tests := []struct {
		name string
		reqs []req
		runs int32
	}{
		{"no key: runs every time", []req{
			{method: "POST", path: "/charges", want: idemCall{201, "", created}},
			{method: "POST", path: "/charges", want: idemCall{201, "", `{"path":"/charges","run":2}`}},
		}, 2},
		{"POST: stored, then replayed", []req{
			{method: "POST", path: "/charges", key: "k", want: idemCall{201, "successfully_stored", created}},
			{method: "POST", path: "/charges", key: "k", want: idemCall{201, "retrieved_idempotent_response", created}},
			{method: "POST", path: "/charges", key: "k", want: idemCall{201, "retrieved_idempotent_response", created}},
		}, 1},
		{"PATCH: stored, then replayed", []req{
			{method: "PATCH", path: "/stores/s/charges/c", key: "k", want: idemCall{201, "successfully_stored", `{"path":"/stores/s/charges/c","run":1}`}},
			{method: "PATCH", path: "/stores/s/charges/c", key: "k", want: idemCall{201, "retrieved_idempotent_response", `{"path":"/stores/s/charges/c","run":1}`}},
		}, 1},
		{"GET and DELETE: disabled", []req{
			{method: "GET", path: "/charges", key: "k", want: idemCall{201, "disabled", created}},
			{method: "GET", path: "/charges", key: "k", want: idemCall{201, "disabled", `{"path":"/charges","run":2}`}},
			{method: "DELETE", path: "/charges", key: "k", want: idemCall{201, "disabled", `{"path":"/charges","run":3}`}},
		}, 3},
		{"a 4xx response is stored with its status", []req{
			{method: "POST", path: "/charges", key: "k", hdr: []string{"X-Status", "400"}, want: idemCall{400, "successfully_stored", created}},
			{method: "POST", path: "/charges", key: "k", want: idemCall{400, "retrieved_idempotent_response", created}},
		}, 1},
		{"a 5xx response is not stored", []req{
			{method: "POST", path: "/charges", key: "k", hdr: []string{"X-Status", "503"}, want: idemCall{503, "error", created}},
			{method: "POST", path: "/charges", key: "k", want: idemCall{201, "successfully_stored", `{"path":"/charges","run":2}`}},
		}, 2},
		{"the key on another path conflicts", []req{
			{method: "POST", path: "/charges", key: "k", want: idemCall{201, "successfully_stored", created}},
			{method: "POST", path: "/tokens", key: "k", want: idemCall{409, "conflicting_key", `{"status":"error","code":"IDEMPOTENCY_KEY_CONFLICT","errors":[]}`}},
		}, 1},
		{"the key with another method conflicts", []req{
			{method: "POST", path: "/stores/s/charges/c", key: "k", want: idemCall{201, "successfully_stored", `{"path":"/stores/s/charges/c","run":1}`}},
			{method: "PATCH", path: "/stores/s/charges/c", key: "k", want: idemCall{409, "conflicting_key", `{"status":"error","code":"IDEMPOTENCY_KEY_CONFLICT","errors":[]}`}},
		}, 1},
		{"keys are per merchant and mode", []req{
			{method: "POST", path: "/charges", key: "k", want: idemCall{201, "successfully_stored", created}},
			{method: "POST", path: "/charges", key: "k", merchant: "other", want: idemCall{201, "successfully_stored", `{"path":"/charges","run":2}`}},
			{method: "POST", path: "/charges", key: "k", mode: api.ModeLive, want: idemCall{201, "successfully_stored", `{"path":"/charges","run":3}`}},
			{method: "POST", path: "/charges", key: "k2", want: idemCall{201, "successfully_stored", `{"path":"/charges","run":4}`}},
			{method: "POST", path: "/charges", key: "k", mode: api.ModeLive, want: idemCall{201, "retrieved_idempotent_response", `{"path":"/charges","run":3}`}},
		}, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			var h countingHandler
			chain := e.s.idempotent(h.serve)
			for i, r := range tc.reqs {
				if r.merchant == "" {
					r.merchant = "m"
				}
				if r.mode == "" {
					r.mode = api.ModeTest
				}
				got := idemRequest(chain, e.principal(r.merchant, r.mode), r.method, r.path, r.key, r.hdr...)
				if got != r.want {
					t.Errorf("request %d (%s %s key %q) = %+v, want %+v", i+1, r.method, r.path, r.key, got, r.want)
				}
			}
			if n := h.runs.Load(); n != tc.runs {
				t.Errorf("the handler ran %d times, want %d", n, tc.runs)
			}
			if n := e.s.idemLocks.len(); n != 0 {
				t.Errorf("%d key locks left after the requests", n)
			}
		})
	}
}

// A stored response is replayed for 24 hours of the store's sandbox clock.
func TestIdempotencyRetention(t *testing.T) {
	e := newEnv(t)
	var h countingHandler
	chain := e.s.idempotent(h.serve)
	p := e.principal("m", api.ModeTest)
	call := func() idemCall { return idemRequest(chain, p, "POST", "/charges", "k") }
	if got := call(); got.status != api.IdempotencyStored {
		t.Fatalf("first: %+v", got)
	}
	e.advance(24*time.Hour - time.Minute)
	if got := call(); got.status != api.IdempotencyRetrieved || got.body != `{"path":"/charges","run":1}` {
		t.Fatalf("after 23h59m: %+v", got)
	}
	e.advance(time.Minute)
	if got := call(); got.status != api.IdempotencyStored || got.body != `{"path":"/charges","run":2}` {
		t.Fatalf("after 24h the key is new: %+v", got)
	}
	if got := call(); got.status != api.IdempotencyRetrieved || got.body != `{"path":"/charges","run":2}` {
		t.Fatalf("the new response is replayed: %+v", got)
	}
}

func TestIdempotencyUnreadableResult(t *testing.T) {
	e := newEnv(t)
	var h countingHandler
	chain := e.s.idempotent(h.serve)
	p := e.principal("m", api.ModeTest)
	for _, bad := range []*domain.IdempotentResponse{
		{Key: "garbled", Status: 201, Body: []byte(`{"id":`)},
		{Key: "no status", Status: 0, Body: []byte(`{}`)},
	} {
		bad.Scope, bad.Method, bad.Path, bad.CreatedAt = "m:test", "POST", "/charges", e.s.clock.Now(e.demo.StoreID)
		if err := e.s.storage.PutIdempotentResponse(context.Background(), bad); err != nil {
			t.Fatal(err)
		}
		got := idemRequest(chain, p, "POST", "/charges", bad.Key)
		want := idemCall{500, "error", `{"status":"error","code":"UNABLE_TO_GET_IDEMPOTENT_RESULT","errors":[]}`}
		if got != want {
			t.Errorf("%s: %+v, want %+v", bad.Key, got, want)
		}
	}
	if n := h.runs.Load(); n != 0 {
		t.Errorf("the request ran %d times", n)
	}
}

// failingStorage makes the idempotency store fail on demand.
type failingStorage struct {
	domain.Storage
	mu             sync.Mutex
	getErr, putErr error
}

func (f *failingStorage) GetIdempotentResponse(ctx context.Context, scope, key string) (*domain.IdempotentResponse, error) {
	f.mu.Lock()
	err := f.getErr
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return f.Storage.GetIdempotentResponse(ctx, scope, key)
}

func (f *failingStorage) PutIdempotentResponse(ctx context.Context, r *domain.IdempotentResponse) error {
	f.mu.Lock()
	err := f.putErr
	f.mu.Unlock()
	if err != nil {
		return err
	}
	return f.Storage.PutIdempotentResponse(ctx, r)
}

func (f *failingStorage) fail(get, put error) {
	f.mu.Lock()
	f.getErr, f.putErr = get, put
	f.mu.Unlock()
}

// When the store cannot be read or written the request still runs, and
// its response says "error", never "successfully_stored".
func TestIdempotencyStoreFailures(t *testing.T) {
	db, err := openStorage(testConfig(t, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	st := &failingStorage{Storage: db}
	s, err := New(Config{PublicURL: testPublicURL, Logger: quietLogger(), LimitsOff: true}, st)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	demo, _, err := s.EnsureDemo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, s: s, demo: demo}
	var h countingHandler
	chain := s.idempotent(h.serve)
	p := e.principal("m", api.ModeTest)
	boom := errors.New("disk on fire")

	st.fail(nil, boom)
	if got := idemRequest(chain, p, "POST", "/charges", "k"); got != (idemCall{201, "error", `{"path":"/charges","run":1}`}) {
		t.Errorf("write failure: %+v", got)
	}
	st.fail(nil, nil)
	if got := idemRequest(chain, p, "POST", "/charges", "k"); got != (idemCall{201, "successfully_stored", `{"path":"/charges","run":2}`}) {
		t.Errorf("after a write failure nothing is replayed: %+v", got)
	}
	st.fail(boom, nil)
	if got := idemRequest(chain, p, "POST", "/charges", "k"); got != (idemCall{201, "error", `{"path":"/charges","run":3}`}) {
		t.Errorf("read failure: %+v", got)
	}
	st.fail(nil, nil)
	if got := idemRequest(chain, p, "POST", "/charges", "k"); got != (idemCall{201, "retrieved_idempotent_response", `{"path":"/charges","run":2}`}) {
		t.Errorf("a read failure stores nothing: %+v", got)
	}
}

// Concurrent requests with one key: exactly one runs, the others wait for
// it and get its response.
func TestIdempotencyConcurrentCharges(t *testing.T) {
	e := newEnv(t)
	tok := e.createToken("4000020000000000", "recurring") // reusable: every run would charge
	body := `{"transaction_token_id":"` + tok.ID + `","amount":1000,"currency":"JPY"}`
	const n = 8
	results := make(chan resp, n)
	start := make(chan struct{})
	for range n {
		go func() {
			<-start
			results <- e.do("POST", "/charges", e.secretAuth(), body, "Idempotency-Key", "same")
		}()
	}
	close(start)
	var first resp
	statuses := map[string]int{}
	for i := range n {
		var r resp
		select {
		case r = <-results:
		case <-time.After(10 * time.Second):
			t.Fatalf("only %d of %d requests answered", i, n)
		}
		if r.code != http.StatusCreated {
			t.Fatalf("POST /charges: %d %s", r.code, r.body)
		}
		if i == 0 {
			first = r
		} else if string(r.body) != string(first.body) {
			t.Errorf("different responses:\n%s\n%s", first.body, r.body)
		}
		statuses[r.header.Get(api.HeaderIdempotencyStatus)]++
	}
	if statuses[api.IdempotencyStored] != 1 || statuses[api.IdempotencyRetrieved] != n-1 {
		t.Errorf("Idempotency-Status counts = %v", statuses)
	}
	charges, err := e.s.storage.CountCharges(context.Background(), domain.ChargeCount{TokenID: tok.ID})
	if err != nil || charges != 1 {
		t.Errorf("charges created = %d, %v; want 1", charges, err)
	}
	if l := e.s.idemLocks.len(); l != 0 {
		t.Errorf("%d key locks left", l)
	}
}

// A request waiting for another with its key gives up when its client
// leaves; the key lock is freed.
func TestIdempotencyWaiterLeaves(t *testing.T) {
	e := newEnv(t)
	release := make(chan struct{})
	entered := make(chan struct{})
	var runs atomic.Int32
	slow := e.s.idempotent(func(w http.ResponseWriter, r *http.Request, p *principal) {
		if runs.Add(1) == 1 {
			close(entered)
			<-release
		}
		writeJSON(w, 201, struct{}{})
	})
	p := e.principal("m", api.ModeTest)
	done := make(chan idemCall)
	go func() { done <- idemRequest(slow, p, "POST", "/charges", "k") }()
	<-entered

	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequestWithContext(ctx, "POST", "/charges", nil)
	req.Header.Set(api.HeaderIdempotencyKey, "k")
	waiter := make(chan struct{})
	go func() { slow(httptest.NewRecorder(), req, p); close(waiter) }()
	cancel()
	select {
	case <-waiter:
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting request did not give up")
	}
	close(release)
	if got := <-done; got.status != api.IdempotencyStored {
		t.Errorf("first request: %+v", got)
	}
	if runs.Load() != 1 || e.s.idemLocks.len() != 0 {
		t.Errorf("runs = %d, locks left = %d", runs.Load(), e.s.idemLocks.len())
	}
}
