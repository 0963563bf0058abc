package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// The consequences of a change survive a process killed right after it
// (docs/architecture.md, "Crashes"): a storage that "dies" after a chosen
// write refuses every later write of that server, as a killed process
// would make none, and another server opened on the same data must do
// what was left, once.

var errKilled = errors.New("test: the process was killed")

// faultStorage is a Storage whose process dies after the first write
// that killAfter picks: that write is stored, no later one is.
type faultStorage struct {
	domain.Storage
	killAfter func(op string, v any) bool
	mu        sync.Mutex
	dead      bool
}

func (f *faultStorage) killed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dead
}

func (f *faultStorage) write(op string, v any, do func() error) error {
	if f.killed() {
		return errKilled
	}
	if err := do(); err != nil {
		return err
	}
	f.mu.Lock()
	if f.killAfter(op, v) {
		f.dead = true
	}
	f.mu.Unlock()
	return nil
}

func (f *faultStorage) CreateCharge(ctx context.Context, c *domain.Charge, tokenID string, consume bool, guards ...domain.ChargeGuard) error {
	return f.write("CreateCharge", c, func() error { return f.Storage.CreateCharge(ctx, c, tokenID, consume, guards...) })
}
func (f *faultStorage) UpdateCharge(ctx context.Context, c *domain.Charge) error {
	return f.write("UpdateCharge", c, func() error { return f.Storage.UpdateCharge(ctx, c) })
}
func (f *faultStorage) CreateRefund(ctx context.Context, r *domain.Refund, max int64) error {
	return f.write("CreateRefund", r, func() error { return f.Storage.CreateRefund(ctx, r, max) })
}
func (f *faultStorage) UpdateRefund(ctx context.Context, r *domain.Refund) error {
	return f.write("UpdateRefund", r, func() error { return f.Storage.UpdateRefund(ctx, r) })
}
func (f *faultStorage) CreateCancel(ctx context.Context, cn *domain.Cancel) error {
	return f.write("CreateCancel", cn, func() error { return f.Storage.CreateCancel(ctx, cn) })
}
func (f *faultStorage) UpdateCancel(ctx context.Context, cn *domain.Cancel, c *domain.Charge) error {
	return f.write("UpdateCancel", cn, func() error { return f.Storage.UpdateCancel(ctx, cn, c) })
}
func (f *faultStorage) CreateSubscription(ctx context.Context, sub *domain.Subscription, consume bool) error {
	return f.write("CreateSubscription", sub, func() error { return f.Storage.CreateSubscription(ctx, sub, consume) })
}
func (f *faultStorage) UpdateSubscription(ctx context.Context, sub *domain.Subscription) error {
	return f.write("UpdateSubscription", sub, func() error { return f.Storage.UpdateSubscription(ctx, sub) })
}
func (f *faultStorage) ClaimDueSubscription(ctx context.Context, storeID string, t time.Time, claim func(*domain.Subscription)) (*domain.Subscription, error) {
	var sub *domain.Subscription
	err := f.write("ClaimDueSubscription", nil, func() (err error) {
		sub, err = f.Storage.ClaimDueSubscription(ctx, storeID, t, claim)
		return err
	})
	return sub, err
}
func (f *faultStorage) CreateToken(ctx context.Context, tok *domain.TxToken) error {
	return f.write("CreateToken", tok, func() error { return f.Storage.CreateToken(ctx, tok) })
}
func (f *faultStorage) UpdateToken(ctx context.Context, tok *domain.TxToken) error {
	return f.write("UpdateToken", tok, func() error { return f.Storage.UpdateToken(ctx, tok) })
}
func (f *faultStorage) CreateWebhookDeliveries(ctx context.Context, ds []*domain.WebhookDelivery) error {
	return f.write("CreateWebhookDeliveries", ds, func() error { return f.Storage.CreateWebhookDeliveries(ctx, ds) })
}
func (f *faultStorage) UpdateWebhookDelivery(ctx context.Context, d *domain.WebhookDelivery) error {
	return f.write("UpdateWebhookDelivery", d, func() error { return f.Storage.UpdateWebhookDelivery(ctx, d) })
}
func (f *faultStorage) ClearFollowUps(ctx context.Context, ref domain.FollowUpRef, mark string) error {
	return f.write("ClearFollowUps", ref, func() error { return f.Storage.ClearFollowUps(ctx, ref, mark) })
}

// newFaultEnv opens a test server (real time held at now) on a storage
// that dies after the write killAfter picks.
func newFaultEnv(t *testing.T, now time.Time, killAfter func(op string, v any) bool) (*testEnv, *faultStorage) {
	t.Helper()
	cfg := testConfig(t, t.TempDir())
	cfg.Now = func() time.Time { return now }
	st, err := openStorage(cfg)
	if err != nil {
		t.Fatal(err)
	}
	fs := &faultStorage{Storage: st, killAfter: killAfter}
	s, err := New(cfg, fs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	demo, _, err := s.EnsureDemo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{t: t, s: s, dir: cfg.DataDir, demo: demo}, fs
}

// restart opens another server on the data of e, whose process was
// killed, and runs its engine once.
func (e *testEnv) restart(fs *faultStorage) *testEnv {
	e.t.Helper()
	if !fs.killed() {
		e.t.Fatal("the process was not killed")
	}
	e = e.reopen()
	e.s.runJobs(context.Background())
	return e
}

// eventsOf counts the deliveries of event whose data is the resource id.
func (e *testEnv) eventsOf(event api.WebhookEvent, id string) int {
	e.t.Helper()
	n := 0
	for _, d := range e.deliveries("?limit=100&event=" + string(event)).Items {
		var res struct{ ID string }
		if err := json.Unmarshal(d.Data, &res); err != nil {
			e.t.Fatal(err)
		}
		if res.ID == id {
			n++
		}
	}
	return n
}

// wantEvents checks that each event of the resource id was recorded once.
func (e *testEnv) wantEvents(id string, events ...api.WebhookEvent) {
	e.t.Helper()
	for _, ev := range events {
		if n := e.eventsOf(ev, id); n != 1 {
			e.t.Errorf("%s of %s recorded %d times, want once", ev, id, n)
		}
	}
}

// hookAll creates a webhook of every event, to a receiver that answers 200.
func (e *testEnv) hookAll() {
	e.t.Helper()
	rc := newReceiver(e.t.(*testing.T), http.StatusOK)
	evs, _ := json.Marshal(api.WebhookEvents)
	e.createWebhook(e.storeHooks(), `{"triggers":`+string(evs)+`,"url":"`+rc.url("/")+`"}`)
}

// finalCharge picks the write that makes a charge final.
func finalCharge(op string, v any) bool {
	c, ok := v.(*domain.Charge)
	return op == "UpdateCharge" && ok && c.Status.Final()
}

// A charge's webhook event is recorded after a process killed right after
// the charge's change, or right after recording the event (then it is
// not recorded twice).
func TestKilledAfterChargeChange(t *testing.T) {
	for name, killAfter := range map[string]func(string, any) bool{
		"change": finalCharge,
		"event": func(op string, v any) bool {
			ds, ok := v.([]*domain.WebhookDelivery)
			return op == "CreateWebhookDeliveries" && ok && ds[0].Event == api.EventChargeFinished
		},
	} {
		t.Run(name, func(t *testing.T) {
			e, fs := newFaultEnv(t, time.Now(), killAfter)
			e.hookAll()
			tok := e.createToken(cardOK, "one_time")
			c := e.createCharge(tok.ID, "")
			e.settleAll()
			e = e.restart(fs)
			if got := e.getCharge(c.ID); got.Status != api.ChargeSuccessful {
				t.Fatalf("charge %s", got.Status)
			}
			e.wantEvents(c.ID, api.EventChargeFinished)
			// Again, by yet another server: nothing is recorded twice.
			e = e.reopen()
			e.s.runJobs(context.Background())
			e.wantEvents(c.ID, api.EventChargeFinished)
		})
	}
}

// The events of refunds and cancels, and of the charge a cancel cancels,
// are recorded after a process killed right after their change.
func TestKilledAfterRefundAndCancel(t *testing.T) {
	t.Run("refund", func(t *testing.T) {
		e, fs := newFaultEnv(t, time.Now(), func(op string, v any) bool {
			r, ok := v.(*domain.Refund)
			return op == "UpdateRefund" && ok && r.Status.Final()
		})
		e.hookAll()
		c := e.createCharge(e.createToken(cardOK, "one_time").ID, "")
		e.settleAll()
		ref := e.refund(c.ID, `{"amount":1000,"currency":"JPY"}`)
		e.settleAll()
		e = e.restart(fs)
		if got, _ := e.getRefund(c.ID, ref.ID, ""); got.Status != api.RefundSuccessful {
			t.Fatalf("refund %s", got.Status)
		}
		e.wantEvents(ref.ID, api.EventRefundFinished)
	})
	t.Run("cancel", func(t *testing.T) {
		e, fs := newFaultEnv(t, time.Now(), func(op string, v any) bool {
			cn, ok := v.(*domain.Cancel)
			return op == "UpdateCancel" && ok && cn.Status.Final()
		})
		e.hookAll()
		c := e.createCharge(e.createToken(cardOK, "one_time").ID, `,"capture":false`)
		e.settleAll()
		cn := e.cancel(c.ID, "")
		e.settleAll()
		e = e.restart(fs)
		if got := e.getCharge(c.ID); got.Status != api.ChargeCanceled {
			t.Fatalf("charge %s", got.Status)
		}
		e.wantEvents(cn.ID, api.EventCancelFinished)
		e.wantEvents(c.ID, api.EventChargeUpdated, api.EventChargeFinished)
	})
}

// A token's event is recorded after a process killed right after its
// creation.
func TestKilledAfterTokenCreated(t *testing.T) {
	e, fs := newFaultEnv(t, time.Now(), func(op string, _ any) bool { return op == "CreateToken" })
	e.hookAll()
	tok := e.createToken(cardOK, "recurring")
	e = e.restart(fs)
	e.wantEvents(tok.ID, api.EventTokenCreated)
}

// A subscription follows its charge after a process killed right after
// the charge's change, or right after the subscription's: it is paid once,
// its event is recorded once, and its next payment is charged once.
func TestKilledAfterSubscriptionCharge(t *testing.T) {
	for name, killAfter := range map[string]func(string, any) bool{
		"charge": func(op string, v any) bool {
			c, ok := v.(*domain.Charge)
			return finalCharge(op, v) && ok && c.SubscriptionID != nil
		},
		"subscription": func(op string, v any) bool {
			sub, ok := v.(*domain.Subscription)
			return op == "UpdateSubscription" && ok && sub.PaymentsPaid == 1
		},
	} {
		t.Run(name, func(t *testing.T) {
			e, fs := newFaultEnv(t, jstTime(t, "2024-01-10 10:00"), killAfter)
			e.hookAll()
			sub := e.createSub(e.createToken(cardOK, "subscription").ID, "")
			e.settleAll()
			e = e.restart(fs)
			st := e.storedSub(sub.ID)
			if st.Status != api.SubscriptionCurrent || st.PaymentsPaid != 1 || st.NextPayment == nil || st.NextPayment.DueDate != "2024-02-10" || st.DueAt == nil {
				t.Fatalf("after the restart: %s, paid %d, next %+v, due %v", st.Status, st.PaymentsPaid, st.NextPayment, st.DueAt)
			}
			e.wantEvents(sub.ID, api.EventSubscriptionCreated, api.EventSubscriptionPayment)
			e = e.reopen()
			e.s.runJobs(context.Background())
			e.wantEvents(sub.ID, api.EventSubscriptionPayment)
			e.advanceTo("2024-02-11 10:00")
			wantLines(t, "charges", e.chargeLog(sub.ID, api.DefaultZoneID), []string{"2024-01-10 10:00 1000 successful", "2024-02-10 07:00 1000 successful"})
		})
	}
}

// Following a change of a subscription's charge again, late (two
// processes doing the same follow-up), changes nothing: the payment is
// not paid twice and the next one stays scheduled.
func TestChargeFollowedAgain(t *testing.T) {
	e := newSchedEnv(t, "2024-01-10 10:00")
	sub := e.startSub(cardOK, "")
	first := e.chargeOf(sub.ID)
	ctx := context.Background()
	for _, ch := range []*domain.ChargeChange{
		{ChargeID: first, Status: api.ChargePending, New: true},
		{ChargeID: first, Status: api.ChargeSuccessful, PrevStatus: api.ChargePending},
	} {
		if err := e.s.followChargeChange(ctx, ch); err != nil {
			t.Fatal(err)
		}
	}
	if st := e.storedSub(sub.ID); st.PaymentsPaid != 1 || st.DueAt == nil || st.NextPayment.ChargeID != nil || st.NextPayment.DueDate != "2024-02-10" {
		t.Fatalf("after following again: paid %d, due %v, next %+v", st.PaymentsPaid, st.DueAt, st.NextPayment)
	}
	e.advanceTo("2024-02-11 10:00")
	wantLines(t, "charges", e.chargeLog(sub.ID, api.DefaultZoneID), []string{"2024-01-10 10:00 1000 successful", "2024-02-10 07:00 1000 successful"})
}

// chargeOf returns the ID of a subscription's only charge.
func (e *testEnv) chargeOf(subID string) string {
	e.t.Helper()
	l := call[api.List[api.Charge]](e, http.StatusOK, "GET", e.subPath(subID)+"/charges", e.secretAuth(), "")
	if len(l.Items) != 1 {
		e.t.Fatalf("%d charges, want 1", len(l.Items))
	}
	return l.Items[0].ID
}
