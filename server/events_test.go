package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"kessai/api"
)

// The webhook events of docs/webhooks.md ("Events"), end to end: a merchant
// drives the API, a receiver on loopback registered for every trigger gets
// the deliveries, and each step of a flow must deliver exactly the events
// it lists, in order, each carrying its resource as GET returns it.

// eventSink is a webhook receiver on loopback, registered as a store
// webhook with every trigger; it records the payloads in arrival order.
type eventSink struct {
	e         *testEnv
	webhookID string

	mu  sync.Mutex
	got []api.WebhookPayload
}

func newEventSink(e *testEnv) *eventSink {
	sk := &eventSink{e: e}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var p api.WebhookPayload
		if err := json.Unmarshal(body, &p); err != nil {
			e.t.Errorf("webhook payload %s: %v", body, err)
		}
		sk.mu.Lock()
		sk.got = append(sk.got, p)
		sk.mu.Unlock()
	}))
	e.t.Cleanup(srv.Close)
	var triggers []string
	for _, ev := range api.WebhookEvents {
		triggers = append(triggers, string(ev))
	}
	w := e.createWebhook(e.storeHooks(), `{"triggers":"`+strings.Join(triggers, ",")+`","url":"`+srv.URL+`/events"}`)
	sk.webhookID = w.ID
	return sk
}

// take waits until the store has no pending delivery (every event fired
// so far was received: the receiver records a payload before answering
// 200, and a delivery leaves pending only after the answer) and returns
// the payloads received since the last take.
func (sk *eventSink) take() []api.WebhookPayload {
	e := sk.e
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for e.deliveries("?status=pending").TotalHits > 0 {
		if time.Now().After(deadline) {
			e.t.Fatal("webhook deliveries still pending after 10 s")
		}
		time.Sleep(2 * time.Millisecond)
	}
	e.waitDeliveries()
	sk.mu.Lock()
	defer sk.mu.Unlock()
	got := sk.got
	sk.got = nil
	return got
}

// evWant is an expected event: its name, the flow's name of the resource
// its data must be, and (optionally) the resource's status in it.
type evWant struct {
	event  api.WebhookEvent
	res    string
	status string
}

func want(event api.WebhookEvent, res string, status ...string) evWant {
	w := evWant{event: event, res: res}
	if len(status) > 0 {
		w.status = status[0]
	}
	return w
}

// evStep is one thing a merchant does (or a move of the clock) and the
// events it must deliver, in order; none for an empty want.
type evStep struct {
	name string
	do   func(f *evFlow)
	want []evWant
}

// evFlow drives the API for a flow and names the resources it creates.
type evFlow struct {
	t    *testing.T
	e    *testEnv
	ids  map[string]string // name → ID
	path map[string]string // name → GET path
	kind map[string]string // name → token, charge, refund, cancel, subscription
}

func (f *evFlow) add(name, kind, id, path string) {
	f.ids[name], f.kind[name], f.path[name] = id, kind, path
}

func (f *evFlow) tokenPath(id string) string { return "/stores/" + f.e.demo.StoreID + "/tokens/" + id }

// token creates a card token; cvvAuth asks for a CVV authorization.
func (f *evFlow) token(name, number, typ string, cvvAuth bool) {
	f.t.Helper()
	body := cardTokenBody(number, typ)
	if cvvAuth {
		body = strings.Replace(body, `"cvv":"123"`, `"cvv":"123","cvv_authorize":{"enabled":true}`, 1)
	}
	var tok api.TransactionToken
	f.call("POST", "/tokens", body, http.StatusCreated).json(f.t, &tok)
	f.add(name, "token", tok.ID, f.tokenPath(tok.ID))
}

// charge charges 1000 JPY on the token named tokenName.
func (f *evFlow) charge(name, tokenName, extra string) {
	f.t.Helper()
	c := f.e.createCharge(f.ids[tokenName], extra)
	f.add(name, "charge", c.ID, f.e.chargePath(c.ID))
}

func (f *evFlow) refund(name, chargeName, body string) {
	f.t.Helper()
	ref := f.e.refund(f.ids[chargeName], body)
	f.add(name, "refund", ref.ID, f.e.refundsPath(ref.ChargeID)+"/"+ref.ID)
}

func (f *evFlow) cancel(name, chargeName string) {
	f.t.Helper()
	cn := f.e.cancel(f.ids[chargeName], "")
	f.add(name, "cancel", cn.ID, f.e.cancelsPath(cn.ChargeID)+"/"+cn.ID)
}

// sub creates a subscription on the token named tokenName and names its
// first charge chargeName.
func (f *evFlow) sub(name, tokenName, extra, chargeName string) {
	f.t.Helper()
	s := f.e.createSub(f.ids[tokenName], extra)
	f.add(name, "subscription", s.ID, f.e.subPath(s.ID))
	if cs := f.e.subCharges(s.ID); len(cs.Items) == 1 {
		f.add(chargeName, "charge", cs.Items[0].ID, f.e.chargePath(cs.Items[0].ID))
	}
}

// call sends a request with the secret and checks its status.
func (f *evFlow) call(method, path, body string, code int) resp {
	f.t.Helper()
	r := f.e.do(method, path, f.e.secretAuth(), body)
	if r.code != code {
		f.t.Fatalf("%s %s %s: %d %s, want %d", method, path, body, r.code, r.body, code)
	}
	return r
}

// get reads a named resource: its JSON and HTTP status.
func (f *evFlow) get(name string) (any, int) {
	f.t.Helper()
	r := f.e.do("GET", f.path[name], f.e.secretAuth(), "")
	var v any
	if r.code == http.StatusOK {
		r.json(f.t, &v)
	}
	return v, r.code
}

// statusOf is the status the event's data reports: a token's CVV
// authorization status, any other resource's status.
func statusOf(kind string, data any) string {
	m, _ := data.(map[string]any)
	if kind == "token" {
		d, _ := m["data"].(map[string]any)
		m, _ = d["cvv_authorize"].(map[string]any)
	}
	s, _ := m["status"].(string)
	return s
}

func (f *evFlow) run(sk *eventSink, steps []evStep) {
	f.t.Helper()
	seen := map[string]bool{} // event IDs
	for _, st := range steps {
		// What the resources looked like before the step: a deleted token
		// is sent as it was.
		before := map[string]any{}
		for _, w := range st.want {
			if _, ok := f.path[w.res]; ok {
				before[w.res], _ = f.get(w.res)
			}
		}
		st.do(f)
		at := api.FormatTime(f.e.storeNow())
		got := sk.take()

		names := func(ws []evWant) []string {
			var out []string
			for _, w := range ws {
				out = append(out, string(w.event)+" "+w.res)
			}
			return out
		}
		var gotW []evWant
		for _, p := range got {
			var d struct {
				ID string `json:"id"`
			}
			json.Unmarshal(p.Data, &d)
			res := "?" + d.ID
			for n, id := range f.ids {
				if id == d.ID {
					res = n
				}
			}
			gotW = append(gotW, evWant{event: p.Event, res: res})
		}
		if !slices.Equal(names(gotW), names(st.want)) {
			f.t.Fatalf("%s: events %q, want %q", st.name, names(gotW), names(st.want))
		}
		for i, p := range got {
			w := st.want[i]
			if seen[p.ID] || p.WebhookID != sk.webhookID || !p.Successful || p.CreatedOn != at {
				f.t.Errorf("%s: %s: payload id %s (seen %v) webhook %s successful %v created_on %s, want at %s",
					st.name, p.Event, p.ID, seen[p.ID], p.WebhookID, p.Successful, p.CreatedOn, at)
			}
			seen[p.ID] = true
			var data any
			if err := json.Unmarshal(p.Data, &data); err != nil {
				f.t.Fatalf("%s: %s data: %v", st.name, p.Event, err)
			}
			cur, code := f.get(w.res)
			if code == http.StatusNotFound {
				cur = before[w.res]
			}
			if !reflect.DeepEqual(data, cur) {
				gb, _ := json.Marshal(cur)
				f.t.Errorf("%s: %s data\n%s\nGET %s (%d)\n%s", st.name, p.Event, p.Data, f.path[w.res], code, gb)
			}
			if w.status != "" {
				if s := statusOf(f.kind[w.res], data); s != w.status {
					f.t.Errorf("%s: %s status %q, want %q", st.name, p.Event, s, w.status)
				}
			}
		}
	}
}

func TestWebhookEvents(t *testing.T) {
	var (
		tokenCreated  = api.EventTokenCreated
		tokenUpdated  = api.EventTokenUpdated
		cvvUpdated    = api.EventTokenCVVAuthUpdated
		tokenDeleted  = api.EventRecurringTokenDeleted
		tokenReplaced = api.EventTokenReplaced
		chUpdated     = api.EventChargeUpdated
		chFinished    = api.EventChargeFinished
		refFinished   = api.EventRefundFinished
		cnFinished    = api.EventCancelFinished
		subCreated    = api.EventSubscriptionCreated
		subPayment    = api.EventSubscriptionPayment
		subFailure    = api.EventSubscriptionFailure
		subSuspended  = api.EventSubscriptionSuspended
		subCanceled   = api.EventSubscriptionCanceled
		subCompleted  = api.EventSubscriptionCompleted
	)
	const (
		cardRefundFails = "4242424242424242"
		cardCancelFails = "4012888888881881"
	)
	// settle moves the clock past the processing delay: what is pending
	// reaches its outcome, through the engine.
	settle := evStep{name: "processing delay", do: func(f *evFlow) { f.e.advance(time.Second) }}
	after := func(s evStep, ws ...evWant) evStep { s.want = ws; return s }
	step := func(name string, do func(f *evFlow), ws ...evWant) evStep { return evStep{name, do, ws} }
	patchToken := func(name, body string, code int) func(f *evFlow) {
		return func(f *evFlow) { f.call("PATCH", f.path[name], body, code) }
	}
	tokenOf := func(name, number, typ string, cvvAuth bool) func(f *evFlow) {
		return func(f *evFlow) { f.token(name, number, typ, cvvAuth) }
	}
	// newToken is the step creating the token "t" of a flow.
	newToken := func(number, typ string) evStep {
		return step(typ+" token", tokenOf("t", number, typ, false), want(tokenCreated, "t"))
	}
	chargeOn := func(name, extra string) func(f *evFlow) {
		return func(f *evFlow) { f.charge(name, "t", extra) }
	}
	subOn := func(extra string) func(f *evFlow) {
		return func(f *evFlow) { f.sub("s", "t", extra, "c") }
	}

	for _, tt := range []struct {
		name  string
		steps []evStep
	}{
		{"token_created", []evStep{
			step("one-time token", tokenOf("t1", cardOK, "one_time", false), want(tokenCreated, "t1")),
			step("recurring token", tokenOf("t2", cardOK, "recurring", false), want(tokenCreated, "t2")),
			step("subscription token", tokenOf("t3", cardOK, "subscription", false), want(tokenCreated, "t3")),
			step("a refused token fires nothing", func(f *evFlow) {
				f.call("POST", "/tokens", cardTokenBody("4000020000000001", "one_time"), http.StatusBadRequest)
			}),
		}},
		{"token_updated", []evStep{
			step("recurring token", tokenOf("t", cardOK, "recurring", false), want(tokenCreated, "t")),
			step("PATCH email", patchToken("t", `{"email":"hanako@example.com"}`, 200), want(tokenUpdated, "t")),
			step("PATCH the same email", patchToken("t", `{"email":"hanako@example.com"}`, 200)),
			step("PATCH deleting a missing metadata key", patchToken("t", `{"metadata":{"nope":null}}`, 200)),
			step("PATCH repeating the card", patchToken("t", `{"data":{"card_number":"`+cardOK+`","exp_month":"12","exp_year":"2099"}}`, 200)),
			step("PATCH refused", patchToken("t", `{"email":"not an address"}`, 400)),
			step("PATCH metadata and billing", patchToken("t", `{"metadata":{"plan":"gold"},"data":{"line1":"1-2-3 Shibuya"}}`, 200),
				want(tokenUpdated, "t")),
			step("PATCH a CVV (opens the CVV window)", patchToken("t", `{"data":{"cvv":"456"}}`, 200), want(tokenUpdated, "t")),
			step("a charge uses the token: no token event", func(f *evFlow) { f.charge("c", "t", "") }),
		}},
		{"token_cvv_auth_updated: pending → current", []evStep{
			step("recurring token with CVV authorization", tokenOf("t", cardOK, "recurring", true), want(tokenCreated, "t")),
			step("nothing before the processing time", func(f *evFlow) {
				f.e.advance(f.e.s.delay / 2)
				f.get("t")
			}),
			after(settle, want(cvvUpdated, "t", string(api.CVVAuthCurrent))),
			step("reads change nothing", func(f *evFlow) { f.get("t"); f.charge("c", "t", "") }),
			step("a CVV on a current authorization does not re-run it", patchToken("t", `{"data":{"cvv":"456"}}`, 200),
				want(tokenUpdated, "t")),
		}},
		{"token_cvv_auth_updated: failed, re-run by a CVV", []evStep{
			step("recurring token with CVV authorization", tokenOf("t", cardDeclined, "recurring", true), want(tokenCreated, "t")),
			after(settle, want(cvvUpdated, "t", string(api.CVVAuthFailed))),
			step("PATCH a CVV", patchToken("t", `{"data":{"cvv":"456"}}`, 200),
				want(tokenUpdated, "t"), want(cvvUpdated, "t", string(api.CVVAuthPending))),
			after(settle, want(cvvUpdated, "t", string(api.CVVAuthFailed))),
		}},
		{"token_cvv_auth_updated: concurrent reads settle once", []evStep{
			step("recurring token with CVV authorization", tokenOf("t", cardOK, "recurring", true), want(tokenCreated, "t")),
			step("the clock moves; readers race the engine", func(f *evFlow) {
				if _, err := f.e.s.clock.Advance(t.Context(), f.e.demo.StoreID, time.Second); err != nil {
					f.t.Fatal(err)
				}
				var wg sync.WaitGroup
				for range 8 {
					wg.Go(func() { f.e.do("GET", f.path["t"], f.e.secretAuth(), "") })
				}
				wg.Wait()
				f.e.s.runJobs(t.Context())
			}, want(cvvUpdated, "t", string(api.CVVAuthCurrent))),
		}},
		{"recurring_token_deleted", []evStep{
			step("recurring token", tokenOf("r", cardOK, "recurring", false), want(tokenCreated, "r")),
			step("one-time token", tokenOf("o", cardOK, "one_time", false), want(tokenCreated, "o")),
			step("DELETE the one-time token", func(f *evFlow) { f.call("DELETE", f.path["o"], "", 204) }),
			step("DELETE the recurring token", func(f *evFlow) { f.call("DELETE", f.path["r"], "", 204) }, want(tokenDeleted, "r")),
		}},
		{"token_replaced", []evStep{
			step("recurring token", tokenOf("r", cardOK, "recurring", false), want(tokenCreated, "r")),
			step("renew", func(f *evFlow) {
				var tok api.TransactionToken
				f.call("POST", f.path["r"]+"/renew", `{"data":{"cardholder":"HANAKO YAMADA","exp_month":"01","exp_year":"2100"}}`, 201).json(f.t, &tok)
				f.add("n", "token", tok.ID, f.tokenPath(tok.ID))
			}, want(tokenReplaced, "n")),
			step("renewing the replaced token is refused", func(f *evFlow) {
				f.call("POST", f.path["r"]+"/renew", `{"data":{"cardholder":"X","exp_month":"01","exp_year":"2100"}}`, 400)
			}),
		}},
		{"charge_finished: successful", []evStep{
			newToken(cardOK, "one_time"),
			step("charge (pending)", chargeOn("c", "")),
			after(settle, want(chFinished, "c", string(api.ChargeSuccessful))),
			step("metadata PATCH: no event", func(f *evFlow) { f.call("PATCH", f.path["c"], `{"metadata":{"a":"b"}}`, 200) }),
			after(settle),
		}},
		{"charge_finished: failed", []evStep{
			newToken(cardDeclined, "one_time"),
			step("charge (pending)", chargeOn("c", "")),
			after(settle, want(chFinished, "c", string(api.ChargeFailed))),
		}},
		{"charge_updated, then charge_finished on capture", []evStep{
			newToken(cardOK, "one_time"),
			step("authorization (pending)", chargeOn("c", `,"capture":false`)),
			after(settle, want(chUpdated, "c", string(api.ChargeAuthorized))),
			step("capture (pending)", func(f *evFlow) { f.call("POST", f.path["c"]+"/capture", `{"amount":600,"currency":"JPY"}`, 200) }),
			after(settle, want(chFinished, "c", string(api.ChargeSuccessful))),
		}},
		{"charge_finished at capture_at", []evStep{
			newToken(cardOK, "one_time"),
			step("authorization with capture_at", func(f *evFlow) {
				chargeOn("c", `,"capture":false,"capture_at":"`+api.FormatTime(f.e.storeNow().Add(time.Hour))+`"`)(f)
			}),
			after(settle, want(chUpdated, "c", string(api.ChargeAuthorized))),
			step("capture_at", func(f *evFlow) { f.e.advance(time.Hour) }, want(chFinished, "c", string(api.ChargeSuccessful))),
		}},
		{"charge_finished: canceled; cancel_finished", []evStep{
			newToken(cardOK, "one_time"),
			step("authorization", chargeOn("c", `,"capture":false`)),
			after(settle, want(chUpdated, "c", string(api.ChargeAuthorized))),
			step("cancel (pending)", func(f *evFlow) { f.cancel("x", "c") }),
			after(settle, want(chFinished, "c", string(api.ChargeCanceled)), want(cnFinished, "x", string(api.CancelSuccessful))),
		}},
		{"cancel_finished: failed (…1881)", []evStep{
			newToken(cardCancelFails, "one_time"),
			step("authorization", chargeOn("c", `,"capture":false`)),
			after(settle, want(chUpdated, "c", string(api.ChargeAuthorized))),
			step("cancel (pending)", func(f *evFlow) { f.cancel("x", "c") }),
			after(settle, want(cnFinished, "x", string(api.CancelFailed))),
		}},
		{"refund_finished: successful", []evStep{
			newToken(cardOK, "one_time"),
			step("charge", chargeOn("c", "")),
			after(settle, want(chFinished, "c", string(api.ChargeSuccessful))),
			step("refund (pending)", func(f *evFlow) { f.refund("r", "c", `{"amount":400,"currency":"JPY","reason":"customer_request"}`) }),
			after(settle, want(refFinished, "r", string(api.RefundSuccessful))),
		}},
		{"refund_finished: failed (…4242)", []evStep{
			newToken(cardRefundFails, "one_time"),
			step("charge", chargeOn("c", "")),
			after(settle, want(chFinished, "c", string(api.ChargeSuccessful))),
			step("refund (pending)", func(f *evFlow) { f.refund("r", "c", `{"amount":1000,"currency":"JPY"}`) }),
			after(settle, want(refFinished, "r", string(api.RefundFailed))),
		}},
		{"subscription_created, subscription_payment", []evStep{
			newToken(cardOK, "subscription"),
			step("subscription (first charge pending)", subOn(""), want(subCreated, "s", string(api.SubscriptionUnverified))),
			after(settle, want(chFinished, "c", string(api.ChargeSuccessful)), want(subPayment, "s", string(api.SubscriptionCurrent))),
			step("metadata PATCH: no event", func(f *evFlow) { f.call("PATCH", f.path["s"], `{"metadata":{"a":"b"}}`, 200) }),
		}},
		{"subscription_failure", []evStep{
			newToken(cardDeclined, "subscription"),
			step("subscription", subOn(""), want(subCreated, "s")),
			after(settle, want(chFinished, "c", string(api.ChargeFailed)), want(subFailure, "s", string(api.SubscriptionUnconfirmed))),
		}},
		{"subscription_suspended", []evStep{
			newToken(cardOK, "subscription"),
			step("subscription", subOn(""), want(subCreated, "s")),
			after(settle, want(chFinished, "c"), want(subPayment, "s")),
			step("PATCH suspended", func(f *evFlow) { f.call("PATCH", f.path["s"], `{"status":"suspended"}`, 200) },
				want(subSuspended, "s", string(api.SubscriptionSuspended))),
			step("PATCH suspended again", func(f *evFlow) { f.call("PATCH", f.path["s"], `{"status":"suspended"}`, 200) }),
			step("resume", func(f *evFlow) { f.call("PATCH", f.path["s"]+"/unsuspend", "", 200) }),
			step("the SDK's suspend", func(f *evFlow) { f.call("PATCH", f.path["s"]+"/suspend", "", 200) },
				want(subSuspended, "s", string(api.SubscriptionSuspended))),
		}},
		{"subscription_canceled", []evStep{
			newToken(cardOK, "subscription"),
			step("subscription", subOn(`,"schedule_settings":{"termination_mode":"on_next_payment"}`), want(subCreated, "s")),
			after(settle, want(chFinished, "c"), want(subPayment, "s")),
			step("DELETE on the next payment: recorded, no event yet", func(f *evFlow) { f.call("DELETE", f.path["s"], "", 204) }),
			step("termination mode immediate, DELETE", func(f *evFlow) {
				f.call("PATCH", f.path["s"], `{"schedule_settings":{"termination_mode":"immediate"}}`, 200)
				f.call("DELETE", f.path["s"], "", 204)
			}, want(subCanceled, "s", string(api.SubscriptionCanceled))),
			step("DELETE again is refused", func(f *evFlow) { f.call("DELETE", f.path["s"], "", 400) }),
		}},
		{"subscription_completed (installments)", []evStep{
			newToken(cardOK, "subscription"),
			step("installment subscription", subOn(`,"installment_plan":{"plan_type":"fixed_cycles","fixed_cycles":3}`),
				want(subCreated, "s")),
			after(settle, want(chFinished, "c", string(api.ChargeSuccessful)), want(subPayment, "s", string(api.SubscriptionCompleted)),
				want(subCompleted, "s", string(api.SubscriptionCompleted))),
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newClockEnv(t)
			f := &evFlow{t: t, e: e, ids: map[string]string{}, path: map[string]string{}, kind: map[string]string{}}
			f.run(newEventSink(e), tt.steps)
		})
	}
}
