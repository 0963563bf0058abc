package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"syscall"
	"testing"
	"time"

	"kessai/api"
)

// A server under a load of checkouts is killed with SIGKILL and started
// again on its data (docs/threat-model.md, "Crashes"). Every request that
// was answered with success is readable afterwards and a retry of it with
// its Idempotency-Key answers the same; nothing half-written is visible (a
// charge without its token); the scheduled work of before the crash
// (captures at a time, subscription payments) runs once each when the clock
// reaches it; and the webhook deliveries owed resume, one event per charge.
func TestKilledServerLosesNothing(t *testing.T) {
	data := t.TempDir()
	a := startServe(t, "server-crash-a.log", true, data, "--limits=off")

	var mu sync.Mutex
	finished := map[string]map[string]bool{} // charge ID -> charge_finished event IDs
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p api.WebhookPayload
		json.NewDecoder(r.Body).Decode(&p)
		var c struct {
			ID string `json:"id"`
		}
		json.Unmarshal(p.Data, &c)
		mu.Lock()
		if p.Event == api.EventChargeFinished {
			if finished[c.ID] == nil {
				finished[c.ID] = map[string]bool{}
			}
			finished[c.ID][p.ID] = true
		}
		mu.Unlock()
	}))
	defer receiver.Close()
	mustCall(t, a, "POST", "/stores/"+a.storeID+"/webhooks", `{"triggers":["charge_finished"],"url":"`+receiver.URL+`"}`, "", 201, nil)

	// The load: workers paying in a loop, one in three authorising only
	// with a capture tomorrow, one in five starting a monthly subscription.
	type acked struct {
		key, path, body, id string
		captureAt           bool
		subscription        bool
	}
	var acks []acked
	stop := make(chan struct{})
	var wg sync.WaitGroup
	captureAt := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	for w := range 12 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				kind := (w*7 + i) % 15
				typ := "one_time"
				if kind%5 == 0 {
					typ = "subscription"
				}
				code, b := call(a, "POST", "/tokens", `{"payment_type":"card","type":"`+typ+`","email":"taro@example.com",
				  "data":{"cardholder":"TARO YAMADA","card_number":"4000020000000000","exp_month":"12","exp_year":"2099","cvv":"123"}}`,
					fmt.Sprintf("tok-%d-%d", w, i))
				if code != 201 {
					continue
				}
				var tok api.TransactionToken
				json.Unmarshal(b, &tok)
				ack := acked{key: fmt.Sprintf("pay-%d-%d", w, i), path: "/charges"}
				switch {
				case typ == "subscription":
					ack.path, ack.subscription = "/subscriptions", true
					ack.body = `{"transaction_token_id":"` + tok.ID + `","amount":1000,"currency":"JPY","period":"monthly"}`
				case kind%3 == 0:
					ack.captureAt = true
					ack.body = `{"transaction_token_id":"` + tok.ID + `","amount":1000,"currency":"JPY","capture":false,"capture_at":"` + captureAt + `"}`
				default:
					ack.body = `{"transaction_token_id":"` + tok.ID + `","amount":1000,"currency":"JPY"}`
				}
				code, b = call(a, "POST", ack.path, ack.body, ack.key)
				if code != 201 {
					continue
				}
				var res struct {
					ID string `json:"id"`
				}
				json.Unmarshal(b, &res)
				ack.id = res.ID
				mu.Lock()
				acks = append(acks, ack)
				mu.Unlock()
			}
		})
	}
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		n := len(acks)
		mu.Unlock()
		if n >= 150 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d checkouts answered in two minutes", n)
		}
	}
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	a.cmd.Wait()
	close(stop)
	wg.Wait()

	b := startServe(t, "server-crash-b.log", false, data, "--limits=off")
	b.jwt, b.secret, b.storeID = a.jwt, a.secret, a.storeID
	store := "/stores/" + b.storeID

	// Every answered request is there, and its retry answers the same.
	charges := map[string]acked{}
	for _, ack := range acks {
		var res struct {
			ID string `json:"id"`
		}
		mustCall(t, b, "POST", ack.path, ack.body, ack.key, 201, &res)
		if res.ID != ack.id {
			t.Fatalf("a retry of %s after the crash made %s, first answered %s", ack.key, res.ID, ack.id)
		}
		if ack.subscription {
			mustCall(t, b, "GET", store+"/subscriptions/"+ack.id, "", "", 200, nil)
		} else {
			mustCall(t, b, "GET", store+"/charges/"+ack.id, "", "", 200, nil)
			charges[ack.id] = ack
		}
	}
	// Nothing half-written: every stored charge has its token.
	for cursor := ""; ; {
		var page api.List[api.Charge]
		mustCall(t, b, "GET", store+"/charges?limit=100"+cursor, "", "", 200, &page)
		for _, c := range page.Items {
			mustCall(t, b, "GET", store+"/tokens/"+c.TransactionTokenID, "", "", 200, nil)
		}
		if !page.HasMore {
			break
		}
		cursor = "&cursor=" + page.Items[len(page.Items)-1].ID
	}

	// The scheduled work: tomorrow's captures, next month's payments.
	mustCall(t, b, "POST", "/sandbox/clock/advance", `{"duration":"P2D"}`, "", 200, nil)
	for id, ack := range charges {
		var c api.Charge
		mustCall(t, b, "GET", store+"/charges/"+id+"?polling=true", "", "", 200, &c)
		if c.Status != api.ChargeSuccessful {
			t.Errorf("charge %s (capture at a time: %v) is %s after the clock passed its time", id, ack.captureAt, c.Status)
		}
	}
	mustCall(t, b, "POST", "/sandbox/clock/advance", `{"duration":"P1M3D"}`, "", 200, nil)
	for _, ack := range acks {
		if !ack.subscription {
			continue
		}
		var l api.List[api.Charge]
		mustCall(t, b, "GET", store+"/subscriptions/"+ack.id+"/charges?limit=100", "", "", 200, &l)
		if len(l.Items) != 2 {
			var sub api.Subscription
			mustCall(t, b, "GET", store+"/subscriptions/"+ack.id, "", "", 200, &sub)
			var st []string
			for _, c := range l.Items {
				st = append(st, string(c.Status)+" "+c.CreatedOn)
			}
			t.Errorf("subscription %s (%s, next payment %v) has %d charges a month and days after it started, want 2: %v", ack.id, sub.Status, sub.NextPayment, len(l.Items), st)
		}
		for _, c := range l.Items {
			charges[c.ID] = ack
		}
	}

	// The deliveries owed: one charge_finished event per charge (a
	// receiver may see an event twice; never two events for one charge).
	deadline := time.Now().Add(time.Minute)
	for {
		mu.Lock()
		missing, doubled, one := 0, "", ""
		for id := range charges {
			switch n := len(finished[id]); {
			case n == 0:
				missing++
				one = id
			case n > 1:
				doubled = id
			}
		}
		mu.Unlock()
		if doubled != "" {
			t.Fatalf("charge %s finished twice (two charge_finished events)", doubled)
		}
		if missing == 0 {
			break
		}
		if time.Now().After(deadline) {
			var c api.Charge
			mustCall(t, b, "GET", store+"/charges/"+one, "", "", 200, &c)
			t.Fatalf("%d of %d charges never had their charge_finished delivered after the restart, e.g. %s (%s, created %s)", missing, len(charges), one, c.Status, c.CreatedOn)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("%d requests answered before SIGKILL, %d charges checked after the restart", len(acks), len(charges))
}
