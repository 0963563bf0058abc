package server

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// The schedule engine (docs/subscriptions.md, "The schedule engine"),
// driven by the sandbox clock: real time is held still (newEnvAt) and
// e.advance moves the store's clock, so every payment happens at its
// documented time and nothing waits.

// jstTime reads "2006-01-02 15:04" in Asia/Tokyo.
func jstTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, mustZone(t.(*testing.T), api.DefaultZoneID))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// newSchedEnv opens a test server whose store clock starts at a JST time.
func newSchedEnv(t *testing.T, at string) *testEnv {
	t.Helper()
	return newEnvAt(t, jstTime(t, at))
}

// advanceTo moves the store's clock to a JST time and runs the engine.
func (e *testEnv) advanceTo(at string) {
	e.t.Helper()
	e.advance(jstTime(e.t, at).Sub(e.storeNow()))
}

// chargeLog lists a subscription's charges, oldest first, as "date time
// amount status" in zone.
func (e *testEnv) chargeLog(subID, zone string) []string {
	e.t.Helper()
	l := call[api.List[api.Charge]](e, http.StatusOK, "GET", e.subPath(subID)+"/charges?limit=100&cursor_direction=asc", e.secretAuth(), "")
	loc, err := loadZone(zone)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, c := range l.Items {
		created, err := api.ParseTime(c.CreatedOn)
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %d %s", created.In(loc).Format("2006-01-02 15:04"), c.RequestedAmount, c.Status))
	}
	return out
}

// payments lists every payment of a subscription, newest first.
func (e *testEnv) payments(subID string) []api.SubscriptionPayment {
	e.t.Helper()
	return call[api.List[api.SubscriptionPayment]](e, http.StatusOK, "GET", e.subPath(subID)+"/payments?limit=100", e.secretAuth(), "").Items
}

// paymentLog is payments as "due amount paid|unpaid", oldest first.
func (e *testEnv) paymentLog(subID string) []string {
	e.t.Helper()
	var out []string
	for _, p := range slices.Backward(e.payments(subID)) {
		paid := "unpaid"
		if p.IsPaid {
			paid = "paid"
		}
		out = append(out, fmt.Sprintf("%s %d %s", p.DueDate, p.Amount, paid))
	}
	return out
}

// startSub creates a subscription (amount 1000, monthly, plus extra) with
// a subscription token of card, and settles its first charge.
func (e *testEnv) startSub(card, extra string) api.Subscription {
	e.t.Helper()
	sub := e.createSub(e.createToken(card, "subscription").ID, extra)
	e.settleAll()
	return e.getSub(sub.ID, false)
}

func wantLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %s\nwant %s", what, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

// Worked examples of the schedule rules: the charges the engine makes, at
// their documented times, and how the subscription ends.
func TestScheduleWorkedExamples(t *testing.T) {
	for _, tt := range []struct {
		name    string
		created string // JST
		extra   string // fields of POST /subscriptions (amount 1000, monthly by default)
		until   string // JST
		zone    string
		charges []string // "date time amount status" in zone
		status  api.SubscriptionStatus
		next    string // next_payment.due_date ("" for none)
	}{
		{"monthly from the 31st", "2024-01-31 10:00", "", "2024-07-31 10:00", "", []string{
			"2024-01-31 10:00 1000 successful", "2024-02-29 07:00 1000 successful", "2024-03-31 07:00 1000 successful",
			"2024-04-30 07:00 1000 successful", "2024-05-31 07:00 1000 successful", "2024-06-30 07:00 1000 successful",
			"2024-07-31 07:00 1000 successful"}, api.SubscriptionCurrent, "2024-08-31"},
		{"monthly from the 30th of April", "2024-04-30 10:00", "", "2024-07-31 10:00", "", []string{
			"2024-04-30 10:00 1000 successful", "2024-05-30 07:00 1000 successful", "2024-06-30 07:00 1000 successful",
			"2024-07-30 07:00 1000 successful"}, api.SubscriptionCurrent, "2024-08-30"},
		{"monthly from the 30th of April, preserve end of month", "2024-04-30 10:00", `,"schedule_settings":{"preserve_end_of_month":true}`,
			"2024-07-31 10:00", "", []string{
				"2024-04-30 10:00 1000 successful", "2024-05-31 07:00 1000 successful", "2024-06-30 07:00 1000 successful",
				"2024-07-31 07:00 1000 successful"}, api.SubscriptionCurrent, "2024-08-31"},
		{"start_on the 29th of February, preserve end of month", "2024-02-10 10:00",
			`,"schedule_settings":{"start_on":"2024-02-29","preserve_end_of_month":true}`, "2024-05-01 00:00", "", []string{
				"2024-02-10 10:00 1000 successful", "2024-02-29 07:00 1000 successful", "2024-03-31 07:00 1000 successful",
				"2024-04-30 07:00 1000 successful"}, api.SubscriptionCurrent, "2024-05-31"},
		{"start_on the 29th of February", "2024-02-10 10:00", `,"schedule_settings":{"start_on":"2024-02-29"}`, "2024-05-01 00:00", "", []string{
			"2024-02-10 10:00 1000 successful", "2024-02-29 07:00 1000 successful", "2024-03-29 07:00 1000 successful",
			"2024-04-29 07:00 1000 successful"}, api.SubscriptionCurrent, "2024-05-29"},
		{"start_in plus day of month", "2024-01-10 10:00", `,"schedule_settings":{"start_in":"P1M","start_day_of_month":20}`,
			"2024-04-21 00:00", "", []string{
				"2024-01-10 10:00 1000 successful", "2024-02-20 07:00 1000 successful", "2024-03-20 07:00 1000 successful",
				"2024-04-20 07:00 1000 successful"}, api.SubscriptionCurrent, "2024-05-20"},
		{"daily at 09:00", "2024-01-10 10:00", `,"period":"daily"`, "2024-01-13 10:00", "", []string{
			"2024-01-10 10:00 1000 successful", "2024-01-11 09:00 1000 successful", "2024-01-12 09:00 1000 successful",
			"2024-01-13 09:00 1000 successful"}, api.SubscriptionCurrent, "2024-01-14"},
		{"second payment the next day: 09:00", "2024-01-10 10:00", `,"period":"weekly","schedule_settings":{"start_on":"2024-01-11"}`,
			"2024-01-25 10:00", "", []string{
				"2024-01-10 10:00 1000 successful", "2024-01-11 09:00 1000 successful", "2024-01-18 09:00 1000 successful",
				"2024-01-25 09:00 1000 successful"}, api.SubscriptionCurrent, "2024-02-01"},
		{"cyclical period P10D", "2024-01-10 10:00", `,"period":"","cyclical_period":"P10D"`, "2024-02-10 00:00", "", []string{
			"2024-01-10 10:00 1000 successful", "2024-01-20 07:00 1000 successful", "2024-01-30 07:00 1000 successful",
			"2024-02-09 07:00 1000 successful"}, api.SubscriptionCurrent, "2024-02-19"},
		{"another zone", "2024-01-10 10:00", `,"schedule_settings":{"zone_id":"America/New_York"}`, "2024-03-09 20:00", "America/New_York", []string{
			"2024-01-09 20:00 1000 successful", "2024-02-09 07:00 1000 successful"}, api.SubscriptionCurrent, "2024-03-09"},
		{"fixed_cycle_amount with a remainder", "2024-01-10 10:00", `,"subscription_plan":{"plan_type":"fixed_cycle_amount","fixed_cycle_amount":300}`,
			"2025-01-10 10:00", "", []string{
				"2024-01-10 10:00 300 successful", "2024-02-10 07:00 300 successful", "2024-03-10 07:00 300 successful",
				"2024-04-10 07:00 100 successful"}, api.SubscriptionCompleted, ""},
		{"fixed_cycles with an initial amount", "2024-01-10 10:00", `,"initial_amount":100,"subscription_plan":{"plan_type":"fixed_cycles","fixed_cycles":4}`,
			"2025-01-10 10:00", "", []string{
				"2024-01-10 10:00 100 successful", "2024-02-10 07:00 300 successful", "2024-03-10 07:00 300 successful",
				"2024-04-10 07:00 300 successful"}, api.SubscriptionCompleted, ""},
		{"fixed_cycles with a remainder", "2024-01-10 10:00", `,"subscription_plan":{"plan_type":"fixed_cycles","fixed_cycles":3}`,
			"2025-01-10 10:00", "", []string{
				"2024-01-10 10:00 333 successful", "2024-02-10 07:00 333 successful", "2024-03-10 07:00 334 successful"},
			api.SubscriptionCompleted, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newSchedEnv(t, tt.created)
			sub := e.startSub(cardOK, tt.extra)
			e.advanceTo(tt.until)
			zone := cmpOr(tt.zone, api.DefaultZoneID)
			wantLines(t, "charges", e.chargeLog(sub.ID, zone), tt.charges)
			got := e.getSub(sub.ID, false)
			next := ""
			if got.NextPayment != nil {
				next = got.NextPayment.DueDate
			}
			if got.Status != tt.status || next != tt.next {
				t.Errorf("status %s, next payment %q; want %s, %q", got.Status, next, tt.status, tt.next)
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Advancing a year runs a year of payments, in order, each once: in one
// move of the clock, in many, and across a restart of the server.
func TestScheduleYearOfPayments(t *testing.T) {
	want := []string{"2024-01-31 10:00 1000 successful"}
	for _, d := range []string{"02-29", "03-31", "04-30", "05-31", "06-30", "07-31", "08-31", "09-30", "10-31", "11-30", "12-31"} {
		want = append(want, "2024-"+d+" 07:00 1000 successful")
	}
	want = append(want, "2025-01-31 07:00 1000 successful")
	check := func(t *testing.T, e *testEnv, id string) {
		t.Helper()
		wantLines(t, "charges", e.chargeLog(id, api.DefaultZoneID), want)
		pays := e.payments(id)
		if len(pays) != 14 || pays[0].IsPaid || pays[0].DueDate != "2025-02-28" || !pays[1].IsPaid || pays[13].DueDate != "2024-01-31" {
			t.Errorf("payments: %d, newest %+v", len(pays), pays[0])
		}
		st := e.storedSub(id)
		if st.PaymentsPaid != 13 || st.AmountPaid != 13000 || st.Status != api.SubscriptionCurrent {
			t.Errorf("paid %d (%d), status %s", st.PaymentsPaid, st.AmountPaid, st.Status)
		}
	}

	t.Run("one move", func(t *testing.T) {
		e := newSchedEnv(t, "2024-01-31 10:00")
		events := recordEvents(e)
		sub := e.startSub(cardOK, "")
		e.advanceTo("2025-01-31 10:00")
		check(t, e, sub.ID)
		wantEvents := append([]api.WebhookEvent{api.EventSubscriptionCreated}, slices.Repeat([]api.WebhookEvent{api.EventSubscriptionPayment}, 13)...)
		if got := events.of(sub.ID, len(wantEvents)); !slices.Equal(got, wantEvents) {
			t.Errorf("events %v", got)
		}
		// Running the engine again charges nothing more.
		e.advance(time.Hour)
		check(t, e, sub.ID)
	})

	t.Run("day by day", func(t *testing.T) {
		e := newSchedEnv(t, "2024-01-31 10:00")
		sub := e.startSub(cardOK, "")
		for range 366 {
			e.advance(24 * time.Hour)
		}
		check(t, e, sub.ID)
	})

	t.Run("across a restart", func(t *testing.T) {
		e := newSchedEnv(t, "2024-01-31 10:00")
		sub := e.startSub(cardOK, "")
		e.advanceTo("2024-06-15 00:00")
		e = e.reopen()
		e.advanceTo("2025-01-31 10:00")
		check(t, e, sub.ID)
	})
}

// reopen closes e's server and opens another on its data, with the same
// real time (and so the same store clock).
func (e *testEnv) reopen() *testEnv {
	e.t.Helper()
	if err := e.s.Close(); err != nil {
		e.t.Fatal(err)
	}
	cfg := testConfig(e.t, e.dir)
	cfg.Now = e.s.clock.real
	s, err := Open(cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { s.Close() })
	return &testEnv{t: e.t, s: s, dir: e.dir, demo: e.demo}
}

// crashAfter runs f while e's engine cannot run, stops e's server as a
// crash would (its engine never runs again) and opens another on its data.
func (e *testEnv) crashAfter(f func()) *testEnv {
	e.t.Helper()
	e.s.jobMu.Lock()
	f()
	e.s.cancel()
	e.s.jobMu.Unlock()
	return e.reopen()
}

// A payment claimed by a server that stopped before making its charge is
// charged once the claim's lease has run out, with the charge ID the claim
// recorded; one whose charge was made is only followed.
func TestScheduleClaimRecovery(t *testing.T) {
	e := newSchedEnv(t, "2024-01-10 10:00")
	sub := e.startSub(cardOK, "")
	ctx := context.Background()
	// The claim of a server that stops at once.
	claim := func(at string) *domain.Subscription {
		due := jstTime(t, at)
		if _, err := e.s.clock.Set(ctx, e.demo.StoreID, due); err != nil {
			t.Fatal(err)
		}
		claimed, err := e.s.storage.ClaimDueSubscription(ctx, e.demo.StoreID, due, func(sub *domain.Subscription) { claimDue(sub, due) })
		if err != nil || claimed.ID != sub.ID || claimed.NextPayment.ChargeID == nil {
			t.Fatalf("claim: %+v %v", claimed, err)
		}
		return claimed
	}
	var chargeID string
	e = e.crashAfter(func() { chargeID = *claim("2024-02-10 07:00").NextPayment.ChargeID })
	e.advance(claimLease - time.Second)
	if n := len(e.chargeLog(sub.ID, api.DefaultZoneID)); n != 1 {
		t.Fatalf("charged before the lease ran out: %d charges", n)
	}
	e.advance(time.Second)
	wantLines(t, "charges", e.chargeLog(sub.ID, api.DefaultZoneID), []string{"2024-01-10 10:00 1000 successful", "2024-02-10 07:00 1000 successful"})
	if c := e.getCharge(chargeID); c.Status != api.ChargeSuccessful {
		t.Errorf("charge %s", c.Status)
	}
	if st := e.storedSub(sub.ID); st.PaymentsPaid != 2 || st.NextPayment.DueDate != "2024-03-10" || st.LastPayment.Attempts != 1 {
		t.Errorf("after recovery: paid %d, next %s, attempts %d", st.PaymentsPaid, st.NextPayment.DueDate, st.LastPayment.Attempts)
	}

	// A claim whose charge was made, but not followed, before the stop.
	e = e.crashAfter(func() {
		claimed := claim("2024-03-10 07:00")
		tok, err := e.s.storage.GetToken(ctx, claimed.TokenID)
		if err != nil {
			t.Fatal(err)
		}
		due := *claimed.NextPayment.AttemptedAt
		made := &domain.Charge{ID: *claimed.NextPayment.ChargeID, StoreID: tok.StoreID, MerchantID: tok.MerchantID, TokenID: tok.ID, TokenType: tok.Type,
			PaymentType: tok.PaymentType, Mode: tok.Mode, Status: api.ChargeSuccessful, Amount: 1000, Currency: "JPY", ChargedAmount: ptr(int64(1000)),
			ChargedCurrency: ptr("JPY"), Capture: true, Metadata: api.Metadata{}, SubscriptionID: &claimed.ID, LastFour: tok.Card.LastFour,
			CreatedAt: due, UpdatedAt: due}
		if err := e.s.storage.CreateCharge(ctx, made, tok.ID, false); err != nil {
			t.Fatal(err)
		}
	})
	e.advance(claimLease)
	wantLines(t, "charges", e.chargeLog(sub.ID, api.DefaultZoneID), []string{"2024-01-10 10:00 1000 successful",
		"2024-02-10 07:00 1000 successful", "2024-03-10 07:00 1000 successful"})
	if st := e.storedSub(sub.ID); st.PaymentsPaid != 3 || st.NextPayment.DueDate != "2024-04-10" || st.DueAt == nil {
		t.Errorf("after recovery: paid %d, next %s, due %v", st.PaymentsPaid, st.NextPayment.DueDate, st.DueAt)
	}
}

// A failed payment is retried at the retry interval (default: the cycle
// divided by the retry count, 10 days for a monthly subscription), counted
// from the day of the failure; after the third attempt the subscription is
// suspended. A card swapped in before a retry pays it, and the next
// payment follows the cycle.
func TestScheduleRetries(t *testing.T) {
	type step struct {
		at      string // JST: move the clock there
		swap    string // then swap the token for one of this card
		status  api.SubscriptionStatus
		retry   string // next_payment.retry_date
		due     string // next_payment.due_date
		event   api.WebhookEvent
		charges int
	}
	for _, tt := range []struct {
		name  string
		extra string
		steps []step
	}{
		{"the documented example: suspended after three attempts", "", []step{
			{at: "2024-06-01 07:01", status: api.SubscriptionUnpaid, due: "2024-06-01", retry: "2024-06-11", event: api.EventSubscriptionFailure, charges: 2},
			{at: "2024-06-10 23:00", status: api.SubscriptionUnpaid, due: "2024-06-01", retry: "2024-06-11", charges: 2},
			{at: "2024-06-11 07:01", status: api.SubscriptionUnpaid, due: "2024-06-01", retry: "2024-06-21", event: api.EventSubscriptionFailure, charges: 3},
			{at: "2024-06-21 07:01", status: api.SubscriptionSuspended, due: "2024-06-01", retry: "2024-06-21", event: api.EventSubscriptionSuspended, charges: 4},
			{at: "2024-12-01 07:01", status: api.SubscriptionSuspended, due: "2024-06-01", retry: "2024-06-21", charges: 4},
		}},
		{"a new card before the last retry", "", []step{
			{at: "2024-06-01 07:01", status: api.SubscriptionUnpaid, due: "2024-06-01", retry: "2024-06-11", event: api.EventSubscriptionFailure, charges: 2},
			{at: "2024-06-11 07:01", swap: cardOK2, status: api.SubscriptionUnpaid, due: "2024-06-01", retry: "2024-06-21", event: api.EventSubscriptionFailure, charges: 3},
			{at: "2024-06-21 07:01", status: api.SubscriptionCurrent, due: "2024-07-01", event: api.EventSubscriptionPayment, charges: 4},
			{at: "2024-07-01 07:01", status: api.SubscriptionCurrent, due: "2024-08-01", event: api.EventSubscriptionPayment, charges: 5},
		}},
		{"retry_interval P3D", `,"schedule_settings":{"retry_interval":"P3D"}`, []step{
			{at: "2024-06-01 07:01", status: api.SubscriptionUnpaid, due: "2024-06-01", retry: "2024-06-04", event: api.EventSubscriptionFailure, charges: 2},
			{at: "2024-06-04 07:01", swap: cardOK2, status: api.SubscriptionUnpaid, due: "2024-06-01", retry: "2024-06-07", event: api.EventSubscriptionFailure, charges: 3},
			{at: "2024-06-07 07:01", status: api.SubscriptionCurrent, due: "2024-07-01", retry: "2024-07-04", event: api.EventSubscriptionPayment, charges: 4},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newSchedEnv(t, "2024-05-01 10:00")
			events := recordEvents(e)
			sub := e.startSub(cardOK, tt.extra)
			// The card is declined from the second payment on.
			e.patchSub(sub.ID, `{"transaction_token_id":"`+e.createToken(cardDeclined, "subscription").ID+`"}`)
			seen := len(events.of(sub.ID, 2)) // created, payment
			for _, st := range tt.steps {
				e.advanceTo(st.at)
				if st.swap != "" {
					e.patchSub(sub.ID, `{"transaction_token_id":"`+e.createToken(st.swap, "subscription").ID+`"}`)
				}
				got := e.getSub(sub.ID, false)
				retry := ""
				if got.NextPayment.RetryDate != nil {
					retry = *got.NextPayment.RetryDate
				}
				if got.Status != st.status || got.NextPayment.DueDate != st.due || retry != st.retry {
					t.Errorf("at %s: %s, due %s, retry %q; want %s, %s, %q", st.at, got.Status, got.NextPayment.DueDate, retry, st.status, st.due, st.retry)
				}
				if n := len(e.chargeLog(sub.ID, api.DefaultZoneID)); n != st.charges {
					t.Errorf("at %s: %d charges, want %d", st.at, n, st.charges)
				}
				var want []api.WebhookEvent
				if st.event != "" {
					want = append(want, st.event)
				}
				if got := events.of(sub.ID, seen+len(want))[seen:]; !slices.Equal(got, want) {
					t.Errorf("at %s: events %v, want %v", st.at, got, want)
				}
				seen += len(want)
			}
		})
	}
}

// A suspended subscription resumed after its payment date passed waits
// for the next cycle date (unpaid), then pays and is current again; one
// resumed on its payment date is charged that day unless it was charged
// already.
func TestScheduleSuspendResume(t *testing.T) {
	t.Run("after retries", func(t *testing.T) {
		e := newSchedEnv(t, "2024-05-01 10:00")
		sub := e.startSub(cardOK, "")
		e.patchSub(sub.ID, `{"transaction_token_id":"`+e.createToken(cardDeclined, "subscription").ID+`"}`)
		e.advanceTo("2024-06-21 08:00")
		if got := e.getSub(sub.ID, false); got.Status != api.SubscriptionSuspended {
			t.Fatalf("status %s", got.Status)
		}
		e.advanceTo("2024-08-15 12:00")
		e.patchSub(sub.ID, `{"transaction_token_id":"`+e.createToken(cardOK2, "subscription").ID+`"}`)
		got := e.patchSub(sub.ID, `{"status":"unpaid"}`)
		if got.Status != api.SubscriptionUnpaid || got.NextPayment.DueDate != "2024-09-01" {
			t.Fatalf("resumed: %s, due %s", got.Status, got.NextPayment.DueDate)
		}
		e.advanceTo("2024-10-01 08:00")
		wantLines(t, "charges", e.chargeLog(sub.ID, api.DefaultZoneID), []string{"2024-05-01 10:00 1000 successful",
			"2024-06-01 07:00 1000 failed", "2024-06-11 07:00 1000 failed", "2024-06-21 07:00 1000 failed",
			"2024-09-01 07:00 1000 successful", "2024-10-01 07:00 1000 successful"})
		if got := e.getSub(sub.ID, false); got.Status != api.SubscriptionCurrent || got.NextPayment.DueDate != "2024-11-01" {
			t.Errorf("after the payment: %s, due %s", got.Status, got.NextPayment.DueDate)
		}
		// The failed payment stays in the list, unpaid; the resumed one
		// was paid later.
		wantLines(t, "payments", e.paymentLog(sub.ID), []string{"2024-05-01 1000 paid", "2024-09-01 1000 paid",
			"2024-10-01 1000 paid", "2024-11-01 1000 unpaid"})
	})

	t.Run("the documented example: fixed plan resumed later", func(t *testing.T) {
		e := newSchedEnv(t, "2024-08-01 10:00")
		sub := e.startSub(cardOK, `,"amount":5000,"subscription_plan":{"plan_type":"fixed_cycles","fixed_cycles":5}`)
		e.advanceTo("2024-08-15 12:00")
		e.patchSub(sub.ID, `{"status":"suspended"}`)
		e.advanceTo("2024-10-02 12:00")
		e.patchSub(sub.ID, `{"status":"current"}`)
		e.advanceTo("2025-06-01 00:00")
		wantLines(t, "charges", e.chargeLog(sub.ID, api.DefaultZoneID), []string{"2024-08-01 10:00 1000 successful",
			"2024-11-01 07:00 1000 successful", "2024-12-01 07:00 1000 successful", "2025-01-01 07:00 1000 successful",
			"2025-02-01 07:00 1000 successful"})
		if got := e.getSub(sub.ID, false); got.Status != api.SubscriptionCompleted {
			t.Errorf("status %s", got.Status)
		}
	})

	t.Run("resumed on the payment date", func(t *testing.T) {
		e := newSchedEnv(t, "2024-05-01 10:00")
		sub := e.startSub(cardOK, "")
		e.patchSub(sub.ID, `{"status":"suspended"}`)
		e.advanceTo("2024-06-01 12:00")
		e.patchSub(sub.ID, `{"status":"unpaid"}`)
		e.advance(time.Second)
		wantLines(t, "charges", e.chargeLog(sub.ID, api.DefaultZoneID), []string{"2024-05-01 10:00 1000 successful", "2024-06-01 12:00 1000 successful"})
		if got := e.getSub(sub.ID, false); got.Status != api.SubscriptionCurrent || got.NextPayment.DueDate != "2024-07-01" {
			t.Errorf("after the payment: %s, due %s", got.Status, got.NextPayment.DueDate)
		}
		// Suspended and resumed again the same day: not charged twice.
		e.patchSub(sub.ID, `{"status":"suspended"}`)
		e.advanceTo("2024-07-01 12:00")
		got := e.patchSub(sub.ID, `{"status":"unpaid"}`)
		if got.NextPayment.DueDate != "2024-07-01" {
			t.Fatalf("due %s", got.NextPayment.DueDate)
		}
		e.advance(time.Second)
		if n := len(e.chargeLog(sub.ID, api.DefaultZoneID)); n != 3 {
			t.Fatalf("%d charges", n)
		}
		e.patchSub(sub.ID, `{"status":"suspended"}`)
		if got := e.patchSub(sub.ID, `{"status":"unpaid"}`); got.NextPayment.DueDate != "2024-08-01" {
			t.Errorf("resumed the day of a payment: due %s, want the next cycle", got.NextPayment.DueDate)
		}
	})
}

// termination_mode: immediate stops at once; on_next_payment stops just
// before the next payment (its retries included), which is not charged.
func TestScheduleTermination(t *testing.T) {
	for _, tt := range []struct {
		name    string
		extra   string
		do      func(e *testEnv, id string)
		status  api.SubscriptionStatus // at 2024-07-15
		stopped api.SubscriptionStatus // after 2024-08-01
		event   api.WebhookEvent
		charges int // after a year
	}{
		{"cancel, immediate", "", func(e *testEnv, id string) {
			mustStatus(e.t.(*testing.T), e.do("DELETE", e.subPath(id), e.secretAuth(), ""), 204)
		},
			api.SubscriptionCanceled, api.SubscriptionCanceled, api.EventSubscriptionCanceled, 3},
		{"suspend, immediate", "", func(e *testEnv, id string) { e.patchSub(id, `{"status":"suspended"}`) },
			api.SubscriptionSuspended, api.SubscriptionSuspended, api.EventSubscriptionSuspended, 3},
		{"cancel, on the next payment", `,"schedule_settings":{"termination_mode":"on_next_payment"}`,
			func(e *testEnv, id string) {
				mustStatus(e.t.(*testing.T), e.do("DELETE", e.subPath(id), e.secretAuth(), ""), 204)
			},
			api.SubscriptionCurrent, api.SubscriptionCanceled, api.EventSubscriptionCanceled, 3},
		{"suspend, on the next payment", `,"schedule_settings":{"termination_mode":"on_next_payment"}`,
			func(e *testEnv, id string) { e.patchSub(id, `{"status":"suspended"}`) },
			api.SubscriptionCurrent, api.SubscriptionSuspended, api.EventSubscriptionSuspended, 3},
		{"on the next payment, set by PATCH", "", func(e *testEnv, id string) {
			e.patchSub(id, `{"status":"suspended","schedule_settings":{"termination_mode":"on_next_payment"}}`)
		}, api.SubscriptionCurrent, api.SubscriptionSuspended, api.EventSubscriptionSuspended, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newSchedEnv(t, "2024-05-01 10:00")
			events := recordEvents(e)
			sub := e.startSub(cardOK, tt.extra)
			e.advanceTo("2024-07-15 12:00") // two payments made
			events.of(sub.ID, 4)
			tt.do(e, sub.ID)
			if got := e.getSub(sub.ID, false); got.Status != tt.status {
				t.Errorf("after the request: %s, want %s", got.Status, tt.status)
			}
			e.advanceTo("2024-08-01 07:00")
			got := e.getSub(sub.ID, false)
			if got.Status != tt.stopped || (tt.stopped == api.SubscriptionCanceled) != (got.NextPayment == nil) {
				t.Errorf("on the payment date: %s, next %+v; want %s", got.Status, got.NextPayment, tt.stopped)
			}
			want := []api.WebhookEvent{api.EventSubscriptionCreated, api.EventSubscriptionPayment, api.EventSubscriptionPayment,
				api.EventSubscriptionPayment, tt.event}
			if got := events.of(sub.ID, len(want)); !slices.Equal(got, want) {
				t.Errorf("events %v, want %v", got, want)
			}
			e.advanceTo("2025-05-01 12:00")
			if n := len(e.chargeLog(sub.ID, api.DefaultZoneID)); n != tt.charges {
				t.Errorf("%d charges, want %d", n, tt.charges)
			}
		})
	}

	t.Run("on the next payment, while retrying", func(t *testing.T) {
		e := newSchedEnv(t, "2024-05-01 10:00")
		sub := e.startSub(cardOK, `,"schedule_settings":{"termination_mode":"on_next_payment"}`)
		e.patchSub(sub.ID, `{"transaction_token_id":"`+e.createToken(cardDeclined, "subscription").ID+`"}`)
		e.advanceTo("2024-06-05 12:00") // failed on 06-01, retried on 06-11
		mustStatus(t, e.do("DELETE", e.subPath(sub.ID), e.secretAuth(), ""), 204)
		if got := e.getSub(sub.ID, false); got.Status != api.SubscriptionUnpaid {
			t.Fatalf("status %s", got.Status)
		}
		e.advanceTo("2024-06-11 07:00")
		if got := e.getSub(sub.ID, false); got.Status != api.SubscriptionCanceled {
			t.Errorf("status %s", got.Status)
		}
		if n := len(e.chargeLog(sub.ID, api.DefaultZoneID)); n != 2 {
			t.Errorf("%d charges, want 2 (no retry)", n)
		}
		// The failed payment stays in the list.
		wantLines(t, "payments", e.paymentLog(sub.ID), []string{"2024-05-01 1000 paid", "2024-06-01 1000 unpaid"})
	})
}

// Payments the limits refuse are failed attempts: retried, not lost.
func TestSchedulePaymentsRefusedByLimits(t *testing.T) {
	e := newEnvAt(t, jstTime(t, "2024-05-01 10:00"), func(c *Config) { c.LimitsOff = false })
	events := recordEvents(e)
	a := e.startSub(cardOK, "")
	e.advance(time.Minute) // the charge frequency limit: the same card and amount within 30 seconds
	b := e.startSub(cardOK, "")
	e.advanceTo("2024-06-01 08:00")
	// Both are due at 07:00: the second charge of the card is refused.
	wantLines(t, "charges of a", e.chargeLog(a.ID, api.DefaultZoneID), []string{"2024-05-01 10:00 1000 successful", "2024-06-01 07:00 1000 successful"})
	wantLines(t, "charges of b", e.chargeLog(b.ID, api.DefaultZoneID), []string{"2024-05-01 10:01 1000 successful"})
	got := e.getSub(b.ID, false)
	if got.Status != api.SubscriptionUnpaid || got.NextPayment.RetryDate == nil || *got.NextPayment.RetryDate != "2024-06-11" {
		t.Fatalf("refused payment: %s %+v", got.Status, got.NextPayment)
	}
	if ev := events.of(b.ID, 3); !slices.Equal(ev, []api.WebhookEvent{api.EventSubscriptionCreated, api.EventSubscriptionPayment, api.EventSubscriptionFailure}) {
		t.Errorf("events %v", ev)
	}
	e.advanceTo("2024-06-11 08:00")
	wantLines(t, "charges of b", e.chargeLog(b.ID, api.DefaultZoneID), []string{"2024-05-01 10:01 1000 successful", "2024-06-11 07:00 1000 successful"})
	if got := e.getSub(b.ID, false); got.Status != api.SubscriptionCurrent || got.NextPayment.DueDate != "2024-07-01" {
		t.Errorf("after the retry: %s, due %s", got.Status, got.NextPayment.DueDate)
	}
	wantLines(t, "payments of b", e.paymentLog(b.ID), []string{"2024-05-01 1000 paid", "2024-06-01 1000 paid", "2024-07-01 1000 unpaid"})
}
