package server

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"kessai/api"
)

// requests reads the request log of the demo store.
func (e *testEnv) requests(query string) api.List[api.RequestLogEntry] {
	e.t.Helper()
	return call[api.List[api.RequestLogEntry]](e, http.StatusOK, "GET", "/sandbox/requests"+query, e.secretAuth(), "")
}

// TestRequestLog: the requests that touched a charge are listed for it,
// newest first, with their status, idempotency key and replays.
func TestRequestLog(t *testing.T) {
	e := newEnv(t)
	tok := e.createToken("4000020000000000", "one_time")
	body := `{"transaction_token_id":"` + tok.ID + `","amount":1000,"currency":"JPY"}`
	r := e.do("POST", "/charges", e.secretAuth(), body, "Idempotency-Key", "order-1")
	var c api.Charge
	r.json(t, &c)
	e.do("POST", "/charges", e.secretAuth(), body, "Idempotency-Key", "order-1") // replayed
	e.advance(time.Minute)
	e.do("GET", "/stores/"+e.demo.StoreID+"/charges/"+c.ID, e.secretAuth(), "")
	r = e.do("POST", "/stores/"+e.demo.StoreID+"/charges/"+c.ID+"/refunds", e.secretAuth(), `{"amount":100,"currency":"JPY","reason":"fraud"}`)
	var rf api.Refund
	r.json(t, &rf)
	e.do("POST", "/stores/"+e.demo.StoreID+"/charges/"+c.ID+"/refunds", e.secretAuth(), `{"amount":999999,"currency":"JPY"}`) // refused
	// The dashboard's own reads are left out.
	e.do("GET", "/stores/"+e.demo.StoreID+"/charges/"+c.ID, e.secretAuth(), "", HeaderNoRequestLog, "1")

	all := e.requests("?resource_id=" + c.ID)
	// The charge's status changes are in its log: created pending, then
	// successful.
	var changes []string
	l := api.List[api.RequestLogEntry]{}
	for _, it := range all.Items {
		if it.Kind == "status_change" {
			from := ""
			if it.FromStatus != nil {
				from = *it.FromStatus
			}
			changes = append(changes, from+">"+*it.ToStatus)
			continue
		}
		l.Items = append(l.Items, it)
	}
	l.TotalHits = len(l.Items)
	if want := []string{"pending>successful", ">pending"}; !slices.Equal(changes, want) {
		t.Errorf("status changes %v, want %v", changes, want)
	}
	type row struct {
		method, path string
		status       int
		key          string
		replay       bool
	}
	var got []row
	for _, it := range l.Items {
		k := ""
		if it.IdempotencyKey != nil {
			k = *it.IdempotencyKey
		}
		got = append(got, row{it.Method, it.Path, it.Status, k, it.Replay})
		if !it.Secret || it.CreatedOn == "" {
			t.Errorf("entry %+v", it)
		}
	}
	base := "/stores/" + e.demo.StoreID + "/charges/" + c.ID
	want := []row{
		{"POST", base + "/refunds", 400, "", false},
		{"POST", base + "/refunds", 201, "", false},
		{"GET", base, 200, "", false},
		{"POST", "/charges", 201, "order-1", true},
		{"POST", "/charges", 201, "order-1", false},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("requests of the charge:\n got %v\nwant %v", got, want)
	}
	// The bodies of the writes, never of the token routes.
	if b := string(l.Items[4].Body); b != body {
		t.Errorf("the charge's creation body %s, want %s", b, body)
	}
	if string(l.Items[2].Body) != "null" {
		t.Errorf("a GET with a body %s", l.Items[2].Body)
	}
	for _, it := range e.requests("?resource_id=" + tok.ID).Items {
		if strings.HasPrefix(it.Path, "/tokens") && string(it.Body) != "null" {
			t.Errorf("the token's creation was kept with its body %s", it.Body)
		}
	}
	// The refund's creation touched the refund, the charge and the token
	// the charge's; the charge's creation its token.
	if ids := l.Items[1].ResourceIDs; !slices.Contains(ids, rf.ID) || !slices.Contains(ids, c.ID) {
		t.Errorf("refund request resources %v", ids)
	}
	if l := e.requests("?resource_id=" + strings.ToUpper(tok.ID)); l.TotalHits != 3 { // created, and two charge requests
		t.Errorf("requests of the token: %d, want 3", l.TotalHits)
	}
	// The sandbox times: the refund after the minute the clock moved.
	c0, _ := api.ParseTime(l.Items[4].CreatedOn)
	r0, _ := api.ParseTime(l.Items[1].CreatedOn)
	if r0.Sub(c0) < time.Minute {
		t.Errorf("charge at %s, refund at %s: the sandbox clock moved a minute", l.Items[4].CreatedOn, l.Items[1].CreatedOn)
	}
	// The refund's settlement is in the charge's log and in the refund's.
	e.advance(time.Minute)
	var settled *api.RequestLogEntry
	for _, it := range e.requests("?resource_id=" + rf.ID).Items {
		if it.Kind == "status_change" {
			settled = &it
		}
	}
	if settled == nil || *settled.ResourceType != "refund" || *settled.FromStatus != "pending" || !slices.Contains(settled.ResourceIDs, c.ID) {
		t.Errorf("the refund's settlement: %s", mustJSON(settled))
	}
	// A clock move touched the charges it settled.
	held := e.createCharge(e.createToken("4000020000000000", "one_time").ID, "")
	e.do("POST", "/sandbox/clock/advance", e.secretAuth(), `{"duration":"PT1H"}`)
	if l := e.requests("?resource_id=" + held.ID); len(l.Items) < 2 || l.Items[0].Kind != "request" || l.Items[0].Path != "/sandbox/clock/advance" {
		t.Errorf("the clock move is not among the requests of the charge it settled: %s", mustJSON(l.Items))
	}
	// The whole log, and another store's is its own.
	if all := e.requests(""); all.TotalHits < 7 {
		t.Errorf("the store's log has %d entries", all.TotalHits)
	}
	_, other := e.otherStore("Other shop")
	if l := call[api.List[api.RequestLogEntry]](e, http.StatusOK, "GET", "/sandbox/requests?resource_id="+c.ID, other, ""); l.TotalHits != 0 {
		t.Errorf("another store sees %d requests of the charge", l.TotalHits)
	}
	wantError(t, e.do("GET", "/sandbox/requests?resource_id=x", e.secretAuth(), ""), 400, api.CodeValidationError,
		api.FieldError{Field: "resource_id", Reason: api.ReasonInvalidFormatUUID})
	wantError(t, e.do("GET", "/sandbox/requests", e.publicAuth(), ""), 403, api.CodeInvalidPermissions)
}
