package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// Test cards (docs/sandbox-api.md, "Test cards").
const (
	cardOK       = "4000020000000000"
	cardDeclined = "4111111111111111"
	cardOK2      = "4242424242424242"
	cardOK3      = "5555555555554444"
	cardAmex     = "378282246310005" // no authorization-only
)

// eventLog records the subscription events of the tests as a webhook
// receiver gets them: a receiver on loopback registered for the
// subscription events (docs/webhooks.md, "Events").
type eventLog struct {
	mu      sync.Mutex
	events  map[string][]api.WebhookEvent // subscription ID → events
	changed chan struct{}                 // closed and replaced at each event
}

func recordEvents(e *testEnv) *eventLog {
	l := &eventLog{events: map[string][]api.WebhookEvent{}, changed: make(chan struct{})}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p struct {
			Event api.WebhookEvent `json:"event"`
			Data  struct {
				ID string `json:"id"`
			} `json:"data"`
		}
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
			e.t.Errorf("webhook payload: %v", err)
		}
		l.mu.Lock()
		l.events[p.Data.ID] = append(l.events[p.Data.ID], p.Event)
		close(l.changed)
		l.changed = make(chan struct{})
		l.mu.Unlock()
	}))
	e.t.Cleanup(srv.Close)
	var triggers []string
	for _, ev := range api.WebhookEvents {
		if strings.HasPrefix(string(ev), "subscription_") {
			triggers = append(triggers, `"`+string(ev)+`"`)
		}
	}
	e.createWebhook(e.storeHooks(), `{"triggers":[`+strings.Join(triggers, ",")+`],"url":"`+srv.URL+`"}`)
	return l
}

// of returns the events of a subscription once there are at least n (an
// event is delivered by the engine just after the change it reports is
// visible), or after 5 seconds.
func (l *eventLog) of(id string, n int) []api.WebhookEvent {
	deadline := time.After(5 * time.Second)
	for {
		l.mu.Lock()
		got, changed := slices.Clone(l.events[id]), l.changed
		l.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-changed:
		case <-deadline:
			return got
		}
	}
}

func subBody(tokenID, extra string) string {
	return `{"transaction_token_id":"` + tokenID + `","amount":1000,"currency":"jpy","period":"monthly","metadata":{"plan":"gold"}` + extra + `}`
}

func (e *testEnv) createSub(tokenID, extra string) api.Subscription {
	e.t.Helper()
	return call[api.Subscription](e, http.StatusCreated, "POST", "/subscriptions", e.secretAuth(), subBody(tokenID, extra))
}

func (e *testEnv) subPath(id string) string {
	return "/stores/" + e.demo.StoreID + "/subscriptions/" + id
}

func (e *testEnv) getSub(id string, polling bool) api.Subscription {
	e.t.Helper()
	path := e.subPath(id)
	if polling {
		path += "?polling=true"
	}
	return call[api.Subscription](e, http.StatusOK, "GET", path, e.secretAuth(), "")
}

func (e *testEnv) patchSub(id, body string) api.Subscription {
	e.t.Helper()
	return call[api.Subscription](e, http.StatusOK, "PATCH", e.subPath(id), e.secretAuth(), body)
}

func (e *testEnv) storedSub(id string) *domain.Subscription {
	e.t.Helper()
	sub, err := e.s.storage.GetSubscription(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return sub
}

func (e *testEnv) subCharges(id string) api.List[api.Charge] {
	e.t.Helper()
	return call[api.List[api.Charge]](e, http.StatusOK, "GET", e.subPath(id)+"/charges", e.secretAuth(), "")
}

// cvvToken creates a subscription token with a CVV authorization and
// waits (on the sandbox clock) until it is current.
func (e *testEnv) cvvToken(number string) api.TransactionToken {
	e.t.Helper()
	body := strings.Replace(cardTokenBody(number, "subscription"), `"cvv":"123"`, `"cvv":"123","cvv_authorize":{"enabled":true}`, 1)
	return e.postToken(e.secretAuth(), body)
}

// The state machine of docs/subscriptions.md: every transition reachable
// without the schedule engine, with the events it fires.
func TestSubscriptionStates(t *testing.T) {
	e := newEnv(t)
	events := recordEvents(e)
	ev := func(names ...api.WebhookEvent) []api.WebhookEvent { return names }
	created, payment, failure := api.EventSubscriptionCreated, api.EventSubscriptionPayment, api.EventSubscriptionFailure

	for _, tt := range []struct {
		name   string
		card   string
		extra  string
		steps  func(t *testing.T, e *testEnv, sub api.Subscription) api.Subscription
		status api.SubscriptionStatus
		events []api.WebhookEvent
		check  func(t *testing.T, sub api.Subscription)
	}{
		{name: "first charge successful: unverified → current", card: cardOK,
			status: api.SubscriptionCurrent, events: ev(created, payment),
			check: func(t *testing.T, sub api.Subscription) {
				np := sub.NextPayment
				if np == nil || np.Amount != 1000 || np.IsLastPayment || np.RetryDate != nil {
					t.Fatalf("next_payment = %+v", np)
				}
			}},
		{name: "first charge failed: unverified → unconfirmed", card: cardDeclined,
			status: api.SubscriptionUnconfirmed, events: ev(created, failure)},
		{name: "initial amount charged first", card: cardOK, extra: `,"initial_amount":5000`,
			status: api.SubscriptionCurrent, events: ev(created, payment),
			check: func(t *testing.T, sub api.Subscription) {
				if *sub.InitialAmount != 5000 || sub.NextPayment.Amount != 1000 {
					t.Errorf("initial %v next %d", sub.InitialAmount, sub.NextPayment.Amount)
				}
			}},
		{name: "authorization only: stays unverified", card: cardOK2, extra: `,"first_charge_authorization_only":true`,
			steps: func(t *testing.T, e *testEnv, sub api.Subscription) api.Subscription {
				cs := e.subCharges(sub.ID)
				if c := e.pollCharge(cs.Items[0].ID); c.Status != api.ChargeAuthorized {
					t.Fatalf("first charge %s", c.Status)
				}
				return e.getSub(sub.ID, false)
			},
			status: api.SubscriptionUnverified, events: ev(created)},
		{name: "authorization captured: unverified → current", card: cardOK2, extra: `,"first_charge_authorization_only":true`,
			steps: func(t *testing.T, e *testEnv, sub api.Subscription) api.Subscription {
				c := e.pollCharge(e.subCharges(sub.ID).Items[0].ID)
				e.setChargeStatus(c.ID, api.ChargeSuccessful)
				return e.getSub(sub.ID, false)
			},
			status: api.SubscriptionCurrent, events: ev(created, payment)},
		{name: "authorization canceled: unverified → unconfirmed", card: cardOK2, extra: `,"first_charge_authorization_only":true`,
			steps: func(t *testing.T, e *testEnv, sub api.Subscription) api.Subscription {
				c := e.pollCharge(e.subCharges(sub.ID).Items[0].ID)
				e.setChargeStatus(c.ID, api.ChargeCanceled)
				return e.getSub(sub.ID, false)
			},
			status: api.SubscriptionUnconfirmed, events: ev(created, failure)},
		{name: "installment: one charge of the whole amount → completed", card: cardOK,
			extra:  `,"installment_plan":{"plan_type":"fixed_cycles","fixed_cycles":3}`,
			status: api.SubscriptionCompleted, events: ev(created, payment, api.EventSubscriptionCompleted),
			check: func(t *testing.T, sub api.Subscription) {
				if sub.NextPayment != nil || sub.InstallmentPlan == nil || *sub.InstallmentPlan.FixedCycles != 3 {
					t.Errorf("completed installment: %+v", sub)
				}
			}},
		{name: "installment declined → unconfirmed", card: cardDeclined,
			extra:  `,"installment_plan":{"plan_type":"revolving"}`,
			status: api.SubscriptionUnconfirmed, events: ev(created, failure)},
		{name: "one fixed cycle → completed", card: cardOK, extra: `,"subscription_plan":{"plan_type":"fixed_cycles","fixed_cycles":1}`,
			status: api.SubscriptionCompleted, events: ev(created, payment, api.EventSubscriptionCompleted)},
		{name: "fixed cycles: total divided, next payment is the second", card: cardOK, extra: `,"subscription_plan":{"plan_type":"fixed_cycles","fixed_cycles":3}`,
			status: api.SubscriptionCurrent, events: ev(created, payment),
			check: func(t *testing.T, sub api.Subscription) {
				if np := sub.NextPayment; np.Amount != 333 || np.IsLastPayment {
					t.Errorf("next payment %+v", np)
				}
			}},
		{name: "current → suspended → unpaid (resume)", card: cardOK,
			steps: func(t *testing.T, e *testEnv, sub api.Subscription) api.Subscription {
				e.getSub(sub.ID, true)
				if s := e.patchSub(sub.ID, `{"status":"suspended"}`); s.Status != api.SubscriptionSuspended {
					t.Fatalf("suspend: %s", s.Status)
				}
				return e.patchSub(sub.ID, `{"status":"unpaid"}`)
			},
			status: api.SubscriptionUnpaid, events: ev(created, payment, api.EventSubscriptionSuspended)},
		{name: "resume with status current", card: cardOK,
			steps: func(t *testing.T, e *testEnv, sub api.Subscription) api.Subscription {
				e.getSub(sub.ID, true)
				e.patchSub(sub.ID, `{"status":"suspended"}`)
				e.patchSub(sub.ID, `{"status":"suspended"}`) // no change, no event
				return e.patchSub(sub.ID, `{"status":"current"}`)
			},
			status: api.SubscriptionUnpaid, events: ev(created, payment, api.EventSubscriptionSuspended)},
		{name: "current → canceled (DELETE)", card: cardOK,
			steps: func(t *testing.T, e *testEnv, sub api.Subscription) api.Subscription {
				e.getSub(sub.ID, true)
				if r := e.do("DELETE", e.subPath(sub.ID), e.secretAuth(), ""); r.code != http.StatusNoContent {
					t.Fatalf("DELETE: %d %s", r.code, r.body)
				}
				return e.getSub(sub.ID, false)
			},
			status: api.SubscriptionCanceled, events: ev(created, payment, api.EventSubscriptionCanceled),
			check: func(t *testing.T, sub api.Subscription) {
				if sub.NextPayment != nil {
					t.Errorf("canceled next_payment %+v", sub.NextPayment)
				}
			}},
		{name: "suspended → canceled", card: cardOK,
			steps: func(t *testing.T, e *testEnv, sub api.Subscription) api.Subscription {
				e.getSub(sub.ID, true)
				e.patchSub(sub.ID, `{"status":"suspended"}`)
				e.do("DELETE", e.subPath(sub.ID), e.secretAuth(), "")
				return e.getSub(sub.ID, false)
			},
			status: api.SubscriptionCanceled, events: ev(created, payment, api.EventSubscriptionSuspended, api.EventSubscriptionCanceled)},
		{name: "unconfirmed → canceled", card: cardDeclined,
			steps: func(t *testing.T, e *testEnv, sub api.Subscription) api.Subscription {
				e.getSub(sub.ID, true)
				e.do("DELETE", e.subPath(sub.ID), e.secretAuth(), "")
				return e.getSub(sub.ID, false)
			},
			status: api.SubscriptionCanceled, events: ev(created, failure, api.EventSubscriptionCanceled)},
		{name: "cancel on the next payment: recorded, status kept", card: cardOK,
			extra: `,"schedule_settings":{"termination_mode":"on_next_payment"}`,
			steps: func(t *testing.T, e *testEnv, sub api.Subscription) api.Subscription {
				e.getSub(sub.ID, true)
				if r := e.do("DELETE", e.subPath(sub.ID), e.secretAuth(), ""); r.code != http.StatusNoContent {
					t.Fatalf("DELETE: %d %s", r.code, r.body)
				}
				st := e.storedSub(sub.ID)
				if st.PendingStatus == nil || *st.PendingStatus != api.SubscriptionCanceled || st.DueAt == nil {
					t.Errorf("pending %v due %v", st.PendingStatus, st.DueAt)
				}
				return e.getSub(sub.ID, false)
			},
			status: api.SubscriptionCurrent, events: ev(created, payment)},
		{name: "suspend on the next payment, then withdrawn by a resume", card: cardOK,
			steps: func(t *testing.T, e *testEnv, sub api.Subscription) api.Subscription {
				e.getSub(sub.ID, true)
				s := e.patchSub(sub.ID, `{"status":"suspended","schedule_settings":{"termination_mode":"on_next_payment"}}`)
				if s.Status != api.SubscriptionCurrent || s.ScheduleSettings.TerminationMode != "on_next_payment" {
					t.Fatalf("after pending suspend: %s %s", s.Status, s.ScheduleSettings.TerminationMode)
				}
				if st := e.storedSub(sub.ID); st.PendingStatus == nil || *st.PendingStatus != api.SubscriptionSuspended {
					t.Fatalf("pending %v", st.PendingStatus)
				}
				s = e.patchSub(sub.ID, `{"status":"current"}`)
				if st := e.storedSub(sub.ID); st.PendingStatus != nil {
					t.Errorf("pending after resume %v", *st.PendingStatus)
				}
				return s
			},
			status: api.SubscriptionCurrent, events: ev(created, payment)},
		{name: "unconfirmed → new token → unverified → current", card: cardDeclined,
			steps: func(t *testing.T, e *testEnv, sub api.Subscription) api.Subscription {
				e.getSub(sub.ID, true)
				tok := e.createToken(cardOK3, "subscription")
				s := e.patchSub(sub.ID, `{"transaction_token_id":"`+tok.ID+`"}`)
				if s.Status != api.SubscriptionUnverified || s.TransactionTokenID != tok.ID || s.NextPayment.Amount != 1000 {
					t.Fatalf("after token swap: %+v", s)
				}
				s = e.getSub(sub.ID, true)
				cs := e.subCharges(sub.ID)
				if cs.TotalHits != 2 || cs.Items[0].Status != api.ChargeSuccessful || cs.Items[0].TransactionTokenID != tok.ID || cs.Items[1].Status != api.ChargeFailed {
					t.Errorf("charges %+v", cs)
				}
				return s
			},
			status: api.SubscriptionCurrent, events: ev(created, failure, payment)},
		{name: "suspended while unverified, first payment made meanwhile", card: cardOK,
			steps: func(t *testing.T, e *testEnv, sub api.Subscription) api.Subscription {
				if s := e.patchSub(sub.ID, `{"status":"suspended"}`); s.Status != api.SubscriptionSuspended {
					t.Fatalf("suspend %s", s.Status)
				}
				e.advance(time.Hour)
				s := e.getSub(sub.ID, false)
				if s.Status != api.SubscriptionSuspended || s.NextPayment.DueDate == sub.NextPayment.DueDate {
					t.Fatalf("after the first payment: %s %+v", s.Status, s.NextPayment)
				}
				return e.patchSub(sub.ID, `{"status":"unpaid"}`)
			},
			status: api.SubscriptionUnpaid, events: ev(created, api.EventSubscriptionSuspended, payment)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e.s.delay = 40 * time.Millisecond
			if strings.HasPrefix(tt.name, "suspended while unverified") {
				e.s.delay = time.Hour
			}
			tok := e.createToken(tt.card, "subscription")
			sub := e.createSub(tok.ID, tt.extra)
			if sub.Status != api.SubscriptionUnverified {
				t.Fatalf("created %s", sub.Status)
			}
			if tt.steps != nil {
				sub = tt.steps(t, e, sub)
			} else {
				sub = e.getSub(sub.ID, true)
			}
			if sub.Status != tt.status {
				t.Fatalf("status = %s, want %s", sub.Status, tt.status)
			}
			if got := events.of(sub.ID, len(tt.events)); !slices.Equal(got, tt.events) {
				t.Errorf("events = %v, want %v", got, tt.events)
			}
			if tt.check != nil {
				tt.check(t, sub)
			}
		})
	}
}

// initial_amount 0 registers the card without a charge: it needs a current
// CVV authorization and the subscription starts current.
func TestSubscriptionFreeFirstPayment(t *testing.T) {
	e := newEnvAt(t, time.Now()) // only e.advance completes the CVV authorization
	events := recordEvents(e)
	tok := e.cvvToken(cardOK)
	wantError(t, e.do("POST", "/subscriptions", e.secretAuth(), subBody(tok.ID, `,"initial_amount":0`)), 400, api.CodeCVVAuthorizationNotCompleted)
	e.advance(time.Second) // the CVV authorization completes
	sub := e.createSub(tok.ID, `,"initial_amount":0`)
	if sub.Status != api.SubscriptionCurrent || *sub.InitialAmount != 0 || string(*sub.InitialAmountFormatted) != "0" {
		t.Fatalf("created %+v", sub.SubscriptionFields)
	}
	today := e.s.clock.Now(e.demo.StoreID).In(mustZone(t, "Asia/Tokyo"))
	if want := dateOf(today).addMonths(1, false).String(); sub.NextPayment.DueDate != want || sub.NextPayment.Amount != 1000 {
		t.Errorf("next payment %+v, want due %s", sub.NextPayment, want)
	}
	if cs := e.subCharges(sub.ID); cs.TotalHits != 0 {
		t.Errorf("charges %+v", cs)
	}
	if st := e.storedSub(sub.ID); st.DueAt == nil {
		t.Error("no due time for the schedule engine")
	}
	if got := events.of(sub.ID, 1); !slices.Equal(got, []api.WebhookEvent{api.EventSubscriptionCreated}) {
		t.Errorf("events %v", got)
	}
	// A failed CVV authorization never completes.
	bad := e.cvvToken(cardDeclined)
	e.advance(time.Second)
	wantError(t, e.do("POST", "/subscriptions", e.secretAuth(), subBody(bad.ID, `,"initial_amount":0`)), 400, api.CodeCVVAuthorizationNotCompleted)
}

func TestSubscriptionCreateErrors(t *testing.T) {
	e := newEnv(t)
	fe := func(field, reason string) api.FieldError { return api.FieldError{Field: field, Reason: reason} }
	tok := e.createToken(cardOK, "subscription")
	id := tok.ID
	soon := dateOf(e.s.clock.Now(e.demo.StoreID)).addDays(10).String()
	body := func(extra string) string { return subBody(id, extra) }
	plain := func(fields string) string {
		return `{"transaction_token_id":"` + id + `","amount":1000,"currency":"JPY"` + fields + `}`
	}
	for _, tt := range []struct {
		name   string
		body   string
		status int
		code   string
		errs   []api.FieldError
	}{
		{"missing fields", `{}`, 400, api.CodeValidationError, []api.FieldError{
			fe("transaction_token_id", api.ReasonRequiredValue), fe("amount", api.ReasonRequiredValue),
			fe("currency", api.ReasonRequiredValue), fe("period", api.ReasonRequiredValue)}},
		{"bad values", `{"transaction_token_id":"x","amount":0,"currency":"YENN","period":"hourly","initial_amount":-1}`, 400, api.CodeValidationError, []api.FieldError{
			fe("transaction_token_id", api.ReasonInvalidFormatUUID), fe("amount", api.ReasonInvalidAmount),
			fe("currency", api.ReasonInvalidFormatCurrency), fe("initial_amount", api.ReasonInvalidAmount), fe("period", api.ReasonInvalidFormat)}},
		{"amount not a number", plain(`,"amount":"ten","period":"monthly"`), 400, api.CodeValidationError, []api.FieldError{fe("amount", api.ReasonInvalidFormat)}},
		{"period and cyclical_period", body(`,"cyclical_period":"P1M"`), 400, api.CodeValidationError, []api.FieldError{fe("cyclical_period", api.ReasonForbiddenParameter)}},
		{"bad cyclical_period", plain(`,"cyclical_period":"PT12H"`), 400, api.CodeValidationError, []api.FieldError{fe("cyclical_period", api.ReasonInvalidFormat)}},
		{"bad zone", body(`,"schedule_settings":{"zone_id":"Mars/Olympus"}`), 400, api.CodeValidationError, []api.FieldError{fe("schedule_settings.zone_id", api.ReasonInvalidFormat)}},
		{"bad start_on", body(`,"schedule_settings":{"start_on":"2024/07/01"}`), 400, api.CodeValidationError, []api.FieldError{fe("schedule_settings.start_on", api.ReasonInvalidFormatDate)}},
		{"start_on in the past", body(`,"schedule_settings":{"start_on":"2020-01-01"}`), 400, api.CodeValidationError, []api.FieldError{fe("schedule_settings.start_on", api.ReasonMustBeFutureTime)}},
		{"start_on too far", body(`,"schedule_settings":{"start_in":"P1000D"}`), 400, api.CodeValidationError, []api.FieldError{fe("schedule_settings.start_on", reasonStartTooFar)}},
		{"start_on with start_in", body(`,"schedule_settings":{"start_on":"` + soon + `","start_in":"P1M"}`), 400, api.CodeValidationError, []api.FieldError{fe("schedule_settings.start_in", api.ReasonForbiddenParameter)}},
		{"bad start_in", body(`,"schedule_settings":{"start_in":"P1H"}`), 400, api.CodeValidationError, []api.FieldError{fe("schedule_settings.start_in", api.ReasonInvalidFormat)}},
		{"bad start_day_of_month", body(`,"schedule_settings":{"start_day_of_month":32}`), 400, api.CodeValidationError, []api.FieldError{fe("schedule_settings.start_day_of_month", api.ReasonInvalidFormat)}},
		{"retry interval as long as the period", body(`,"schedule_settings":{"retry_interval":"P30D"}`), 400, api.CodeValidationError, []api.FieldError{fe("schedule_settings.retry_interval", reasonRetryTooLong)}},
		{"retry interval for daily", plain(`,"period":"daily","schedule_settings":{"retry_interval":"P1D"}`), 400, api.CodeValidationError, []api.FieldError{fe("schedule_settings.retry_interval", reasonRetryTooLong)}},
		{"bad retry interval", body(`,"schedule_settings":{"retry_interval":"P1Y"}`), 400, api.CodeValidationError, []api.FieldError{fe("schedule_settings.retry_interval", api.ReasonInvalidFormat)}},
		{"preserve_end_of_month on a weekly period", plain(`,"period":"weekly","schedule_settings":{"preserve_end_of_month":true}`), 400, api.CodeValidationError, []api.FieldError{fe("schedule_settings.preserve_end_of_month", api.ReasonForbiddenParameter)}},
		{"bad termination mode", body(`,"schedule_settings":{"termination_mode":"later"}`), 400, api.CodeValidationError, []api.FieldError{fe("schedule_settings.termination_mode", api.ReasonInvalidFormat)}},
		{"capture after without authorization only", body(`,"first_charge_capture_after":"P3D"`), 400, api.CodeValidationError, []api.FieldError{fe("first_charge_capture_after", api.ReasonForbiddenParameter)}},
		{"capture after 7 days", body(`,"first_charge_authorization_only":true,"first_charge_capture_after":"P7D"`), 400, api.CodeValidationError, []api.FieldError{fe("first_charge_capture_after", reasonCaptureAfter)}},
		{"nested metadata", plain(`,"period":"monthly","metadata":{"a":{"b":1}}`), 400, api.CodeValidationError, []api.FieldError{fe("metadata.a", api.ReasonNestedJSONNotAllowed)}},
		{"installment not monthly", plain(`,"period":"weekly","installment_plan":{"plan_type":"revolving"}`), 400, api.CodeValidationError, []api.FieldError{fe("period", reasonInstallmentPeriod)}},
		{"installment and subscription plans", body(`,"installment_plan":{"plan_type":"revolving"},"subscription_plan":{"plan_type":"fixed_cycles","fixed_cycles":3}`), 400, api.CodeValidationError, []api.FieldError{fe("subscription_plan", api.ReasonForbiddenParameter)}},
		{"subscription plan without a type", body(`,"subscription_plan":{}`), 400, api.CodeValidationError, []api.FieldError{fe("subscription_plan.plan_type", api.ReasonRequiredValue)}},
		{"subscription plan of an unknown type", body(`,"subscription_plan":{"plan_type":"revolving"}`), 400, api.CodeValidationError, []api.FieldError{fe("subscription_plan.plan_type", api.ReasonInvalidFormat)}},
		{"fixed cycles missing", body(`,"subscription_plan":{"plan_type":"fixed_cycles"}`), 400, api.CodeValidationError, []api.FieldError{fe("subscription_plan.fixed_cycles", api.ReasonRequiredValue)}},
		{"one fixed cycle and an initial amount", body(`,"initial_amount":100,"subscription_plan":{"plan_type":"fixed_cycles","fixed_cycles":1}`), 400, api.CodeValidationError, []api.FieldError{fe("subscription_plan.fixed_cycles", reasonFixedCycles)}},
		{"initial amount above the total", body(`,"initial_amount":2000,"subscription_plan":{"plan_type":"fixed_cycles","fixed_cycles":3}`), 400, api.CodeValidationError, []api.FieldError{fe("initial_amount", api.ReasonInvalidAmount)}},
		{"cycle amount above the total", body(`,"subscription_plan":{"plan_type":"fixed_cycle_amount","fixed_cycle_amount":2000}`), 400, api.CodeValidationError, []api.FieldError{fe("subscription_plan.fixed_cycle_amount", api.ReasonInvalidAmount)}},
		{"installment plan unknown", body(`,"installment_plan":{"plan_type":"fixed_cycle_amount"}`), 400, api.CodeInstallmentInvalidPlan, nil},
		{"installment cycles not allowed", body(`,"installment_plan":{"plan_type":"fixed_cycles","fixed_cycles":4}`), 400, api.CodeInstallmentInvalidCyclesCount, nil},
		{"installment with an initial amount", body(`,"initial_amount":100,"installment_plan":{"plan_type":"revolving"}`), 403, api.CodeInstallmentProcessorInitialAmountsNotSupported, nil},
		{"payout beyond 100 years", plain(`,"cyclical_period":"P2Y","subscription_plan":{"plan_type":"fixed_cycles","fixed_cycles":52}`), 400, api.CodeInstallmentMaxPayoutExceeded, nil},
		{"amount too high", plain(`,"amount":10000000,"period":"monthly"`), 400, api.CodeChargeAmountTooHigh, nil},
		{"initial amount too high", body(`,"initial_amount":10000000`), 400, api.CodeChargeAmountTooHigh, nil},
		{"unknown token", subBody(newID(), ""), 404, api.CodeNotFound, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, e.do("POST", "/subscriptions", e.secretAuth(), tt.body), tt.status, tt.code, tt.errs...)
		})
	}
	// None of these used the token.
	if s := e.createSub(id, ""); s.TransactionTokenID != id {
		t.Fatalf("created %+v", s)
	}

	t.Run("token rules", func(t *testing.T) {
		wantError(t, e.do("POST", "/subscriptions", e.secretAuth(), subBody(id, "")), 400, api.CodeTransactionAlreadyProcessed)
		one := e.createToken(cardOK2, "one_time")
		wantError(t, e.do("POST", "/subscriptions", e.secretAuth(), subBody(one.ID, "")), 400, api.CodeNotSubscriptionToken)
		old := e.createToken(cardOK3, "subscription")
		e.advance(6 * time.Minute)
		for range 2 {
			wantError(t, e.do("POST", "/subscriptions", e.secretAuth(), subBody(old.ID, "")), 400, api.CodeTransactionTokenExpired)
		}
		live, err := e.s.CreateAppToken(context.Background(), AppTokenInput{StoreID: e.demo.StoreID, Mode: "live", Domains: []string{"*"}})
		if err != nil {
			t.Fatal(err)
		}
		fresh := e.createToken(cardOK3, "subscription")
		wantError(t, e.do("POST", "/subscriptions", "Bearer "+live.Secret+"."+live.JWT, subBody(fresh.ID, "")), 400, api.CodeValidationError,
			fe("transaction_token_id", api.ReasonProcessingModeMismatch))
	})

	t.Run("a failed first charge undoes the subscription", func(t *testing.T) {
		amex := e.createToken(cardAmex, "subscription")
		wantError(t, e.do("POST", "/subscriptions", e.secretAuth(), subBody(amex.ID, `,"first_charge_authorization_only":true`)), 400, api.CodeAuthNotSupported)
		var l api.List[api.SubscriptionListItem]
		e.do("GET", "/stores/"+e.demo.StoreID+"/subscriptions?search=gold&limit=100", e.secretAuth(), "").json(t, &l)
		for _, it := range l.Items {
			if it.TransactionTokenID == amex.ID {
				t.Fatalf("undone subscription listed: %+v", it)
			}
		}
		// The token is still usable.
		if s := e.createSub(amex.ID, ""); s.Status != api.SubscriptionUnverified {
			t.Fatalf("retry %s", s.Status)
		}
	})

	t.Run("recurring token stays active", func(t *testing.T) {
		rec := e.createToken(cardOK, "recurring")
		e.getSub(e.createSub(rec.ID, "").ID, true)
		sub := e.getSub(e.createSub(rec.ID, "").ID, true)
		if sub.Status != api.SubscriptionCurrent {
			t.Fatalf("second subscription on a recurring token: %s", sub.Status)
		}
		var tk api.TransactionToken
		e.do("GET", "/stores/"+e.demo.StoreID+"/tokens/"+rec.ID, e.secretAuth(), "").json(t, &tk)
		if !tk.Active || tk.LastUsedOn == nil {
			t.Errorf("recurring token active=%v last_used_on=%v", tk.Active, tk.LastUsedOn)
		}
	})

	t.Run("from the widget without the secret", func(t *testing.T) {
		sub := e.createToken(cardOK2, "subscription")
		r := e.do("POST", "/subscriptions", e.publicAuth(), subBody(sub.ID, ""))
		if r.code != 201 {
			t.Fatalf("%d %s", r.code, r.body)
		}
		var tk api.TransactionToken
		e.do("GET", "/stores/"+e.demo.StoreID+"/tokens/"+sub.ID, e.secretAuth(), "").json(t, &tk)
		if tk.Active || tk.LastUsedOn == nil {
			t.Errorf("subscription token active=%v last_used_on=%v", tk.Active, tk.LastUsedOn)
		}
	})
}

// The fields of the request are kept and shown, and the first charge is
// made of them.
func TestSubscriptionCreateFields(t *testing.T) {
	e := newEnv(t)
	tok := e.createToken(cardOK2, "subscription")
	sub := e.createSub(tok.ID, `,"initial_amount":"1500","only_direct_currency":true,"first_charge_authorization_only":"true","first_charge_capture_after":"p3d",
		"schedule_settings":{"zone_id":"America/New_York","start_in":"P1M","start_day_of_month":31,"preserve_end_of_month":true,"retry_interval":"p5d","termination_mode":"on_next_payment"}`)
	ss := sub.ScheduleSettings
	zone := mustZone(t, "America/New_York")
	now := e.s.clock.Now(e.demo.StoreID)
	month := dateOf(now.In(zone)).addMonths(1, false)
	startOn := date{month.y, month.m, daysIn(month.y, month.m)}.String()
	if ss.ZoneID != "America/New_York" || *ss.StartOn != startOn || !*ss.PreserveEndOfMonth || *ss.RetryInterval != "P5D" || ss.TerminationMode != "on_next_payment" {
		t.Errorf("schedule settings %+v", ss)
	}
	if *sub.SubsequentCyclesStart != startOn || !sub.OnlyDirectCurrency || !sub.FirstChargeAuthorizationOnly || *sub.FirstChargeCaptureAfter != "P3D" || *sub.Period != "monthly" {
		t.Errorf("fields %+v", sub.SubscriptionFields)
	}
	np := sub.NextPayment
	if np.Amount != 1500 || np.DueDate != dateOf(now.In(zone)).String() || np.ZoneID != "America/New_York" || np.RetryDate != nil {
		t.Errorf("next payment %+v", np)
	}
	cs := e.subCharges(sub.ID)
	if cs.TotalHits != 1 {
		t.Fatalf("charges %+v", cs)
	}
	c := cs.Items[0]
	if c.RequestedAmount != 1500 || c.RequestedCurrency != "JPY" || *c.SubscriptionID != sub.ID || c.TransactionTokenType != api.TokenTypeSubscription ||
		!c.OnlyDirectCurrency || c.CaptureAt == nil || string(c.Metadata["plan"]) != `"gold"` {
		t.Errorf("first charge %+v", c)
	}
	if at, _ := api.ParseTime(*c.CaptureAt); at.Sub(now) < 72*time.Hour-time.Minute || at.Sub(now) > 72*time.Hour+time.Minute {
		t.Errorf("capture_at %s, now %s", *c.CaptureAt, now)
	}
	e.setChargeStatus(c.ID, api.ChargeSuccessful) // captured
	got := e.getSub(sub.ID, false)
	if got.Status != api.SubscriptionCurrent || got.NextPayment.DueDate != startOn || got.NextPayment.Amount != 1000 {
		t.Fatalf("after capture %s %+v", got.Status, got.NextPayment)
	}
	retry := mustDate(t, startOn).addDays(5).String()
	if got.NextPayment.RetryDate == nil || *got.NextPayment.RetryDate != retry {
		t.Errorf("retry date %v, want %s", got.NextPayment.RetryDate, retry)
	}
	st := e.storedSub(sub.ID)
	if want := time.Date(month.y, month.m, daysIn(month.y, month.m), 7, 0, 0, 0, zone); st.DueAt == nil || !st.DueAt.Equal(want) {
		t.Errorf("due at %v, want %v", st.DueAt, want)
	}

	cyc := e.createSub(e.createToken(cardOK3, "subscription").ID, `,"period":"","cyclical_period":"p10d"`)
	if cyc.Period != nil || *cyc.CyclicalPeriod != "P10D" {
		t.Errorf("cyclical %v %v", cyc.Period, cyc.CyclicalPeriod)
	}
	cyc = e.getSub(cyc.ID, true)
	today := dateOf(now.In(mustZone(t, "Asia/Tokyo")))
	if cyc.NextPayment.DueDate != today.addDays(10).String() {
		t.Errorf("P10D next %s", cyc.NextPayment.DueDate)
	}
}

func TestSubscriptionUpdate(t *testing.T) {
	e := newEnv(t)
	sub := e.createSub(e.createToken(cardOK, "subscription").ID, `,"metadata":{"plan":"gold","keep":1,"drop":"x"}`)
	e.getSub(sub.ID, true)

	got := e.patchSub(sub.ID, `{"metadata":{"plan":"silver","drop":null,"n":12345678901234567890},"amount":"2000"}`)
	if got.Amount != 2000 || got.NextPayment.Amount != 2000 || string(got.AmountFormatted) != "2000" {
		t.Errorf("amount %d next %d", got.Amount, got.NextPayment.Amount)
	}
	r := e.do("GET", e.subPath(sub.ID), e.secretAuth(), "")
	if !strings.Contains(string(r.body), `"metadata":{"keep":1,"n":12345678901234567890,"plan":"silver"}`) {
		t.Errorf("metadata merge: %s", r.body)
	}
	newTok := e.createToken(cardOK2, "subscription")
	if got := e.patchSub(sub.ID, `{"transaction_token_id":"`+newTok.ID+`"}`); got.TransactionTokenID != newTok.ID || got.Status != api.SubscriptionCurrent {
		t.Errorf("token swap %+v", got.SubscriptionFields)
	}
	// The same token again changes nothing.
	e.patchSub(sub.ID, `{"transaction_token_id":"`+newTok.ID+`"}`)

	fe := func(field, reason string) api.FieldError { return api.FieldError{Field: field, Reason: reason} }
	path := e.subPath(sub.ID)
	for _, tt := range []struct {
		name   string
		body   string
		status int
		code   string
		errs   []api.FieldError
	}{
		{"bad fields", `{"transaction_token_id":"x","amount":0,"status":"canceled","schedule_settings":{"termination_mode":"never"},"metadata":{"a":[1]}}`, 400, api.CodeValidationError,
			[]api.FieldError{fe("transaction_token_id", api.ReasonInvalidFormatUUID), fe("amount", api.ReasonInvalidAmount), fe("status", api.ReasonInvalidFormat),
				fe("schedule_settings.termination_mode", api.ReasonInvalidFormat), fe("metadata.a", api.ReasonNestedJSONNotAllowed)}},
		{"one_time token", `{"transaction_token_id":"` + e.createToken(cardOK3, "one_time").ID + `"}`, 400, api.CodeNotSubscriptionToken, nil},
		{"used token", `{"transaction_token_id":"` + sub.TransactionTokenID + `"}`, 400, api.CodeTransactionAlreadyProcessed, nil},
		{"unknown token", `{"transaction_token_id":"` + newID() + `"}`, 404, api.CodeNotFound, nil},
		{"amount too high", `{"amount":10000000}`, 400, api.CodeChargeAmountTooHigh, nil},
		{"empty body", ``, 400, api.CodeValidationError, []api.FieldError{{Reason: api.ReasonRequiredValue}}},
		{"not an object", `[1]`, 400, api.CodeValidationError, []api.FieldError{{Reason: api.ReasonInvalidFormat}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, e.do("PATCH", path, e.secretAuth(), tt.body), tt.status, tt.code, tt.errs...)
		})
	}

	t.Run("token of another store", func(t *testing.T) {
		other := e.addStore(e.demoStore().MerchantID, "other", "test")
		otherAuth := secretAuthOf(other)
		r := e.do("POST", "/tokens", otherAuth, cardTokenBody("4012888888881881", "subscription"))
		if r.code != 201 {
			t.Fatalf("token of the other store: %d %s", r.code, r.body)
		}
		var foreign api.TransactionToken
		r.json(t, &foreign)
		wantError(t, e.do("PATCH", path, e.secretAuth(), `{"transaction_token_id":"`+foreign.ID+`"}`), 400, api.CodeTokenForWrongStore)
		// The other store sees none of this store's subscriptions.
		wantError(t, e.do("GET", "/stores/"+other.StoreID+"/subscriptions/"+sub.ID, otherAuth, ""), 404, api.CodeNotFound)
		wantError(t, e.do("PATCH", "/stores/"+other.StoreID+"/subscriptions/"+sub.ID, otherAuth, `{"amount":1}`), 404, api.CodeNotFound)
		wantError(t, e.do("DELETE", "/stores/"+other.StoreID+"/subscriptions/"+sub.ID, otherAuth, ""), 404, api.CodeNotFound)
		wantError(t, e.do("GET", "/stores/"+other.StoreID+"/subscriptions/"+sub.ID+"/charges", otherAuth, ""), 404, api.CodeNotFound)
		var l api.List[api.SubscriptionListItem]
		e.do("GET", "/subscriptions", otherAuth, "").json(t, &l)
		if l.TotalHits != 0 {
			t.Errorf("other store lists %d", l.TotalHits)
		}
	})

	t.Run("without the secret only the token", func(t *testing.T) {
		wantError(t, e.do("PATCH", path, e.publicAuth(), `{"metadata":{"a":"b"}}`), 403, api.CodeInvalidPermissions)
		tk := e.createToken(cardOK3, "subscription")
		wantError(t, e.do("PATCH", path, e.publicAuth(), `{"transaction_token_id":"`+tk.ID+`","amount":1}`), 403, api.CodeInvalidPermissions)
		r := e.do("PATCH", path, e.publicAuth(), `{"transaction_token_id":"`+tk.ID+`"}`)
		if r.code != 200 {
			t.Fatalf("%d %s", r.code, r.body)
		}
		wantError(t, e.do("DELETE", path, e.publicAuth(), ""), 403, api.CodeInvalidPermissions)
		wantError(t, e.do("GET", "/stores/"+e.demo.StoreID+"/subscriptions", e.publicAuth(), ""), 403, api.CodeInvalidPermissions)
	})

	t.Run("status rules", func(t *testing.T) {
		e.s.delay = time.Hour
		defer func() { e.s.delay = 40 * time.Millisecond }()
		pending := e.createSub(e.createToken(cardDeclined, "subscription").ID, "")
		tk := e.createToken(cardOK2, "subscription")
		wantError(t, e.do("PATCH", e.subPath(pending.ID), e.secretAuth(), `{"transaction_token_id":"`+tk.ID+`"}`), 400, api.CodeCannotChangeToken)
		e.advance(time.Hour)
		if s := e.getSub(pending.ID, false); s.Status != api.SubscriptionUnconfirmed {
			t.Fatalf("status %s", s.Status)
		}
		for _, st := range []string{"suspended", "unpaid", "current"} {
			wantError(t, e.do("PATCH", e.subPath(pending.ID), e.secretAuth(), `{"status":"`+st+`"}`), 400, api.CodeValidationError,
				fe("status", api.ReasonInvalidStatusTransition))
		}
		fixed := e.createSub(e.createToken(cardOK3, "subscription").ID, `,"subscription_plan":{"plan_type":"fixed_cycles","fixed_cycles":3}`)
		wantError(t, e.do("PATCH", e.subPath(fixed.ID), e.secretAuth(), `{"amount":500}`), 400, api.CodeValidationError, fe("amount", api.ReasonForbiddenParameter))
	})

	t.Run("ended subscriptions", func(t *testing.T) {
		done := e.getSub(e.createSub(e.createToken(cardOK3, "subscription").ID, `,"installment_plan":{"plan_type":"revolving"}`).ID, true)
		if done.Status != api.SubscriptionCompleted {
			t.Fatalf("status %s", done.Status)
		}
		wantError(t, e.do("PATCH", e.subPath(done.ID), e.secretAuth(), `{"metadata":{"a":"b"}}`), 400, api.CodeSubscriptionAlreadyEnded)
		wantError(t, e.do("DELETE", e.subPath(done.ID), e.secretAuth(), ""), 400, api.CodeSubscriptionAlreadyEnded)
		if r := e.do("DELETE", path, e.secretAuth(), ""); r.code != 204 {
			t.Fatalf("DELETE %d %s", r.code, r.body)
		}
		wantError(t, e.do("DELETE", path, e.secretAuth(), ""), 400, api.CodeCannotChangeCanceledSub)
		wantError(t, e.do("PATCH", path, e.secretAuth(), `{"status":"unpaid"}`), 400, api.CodeCannotChangeCanceledSub)
		wantError(t, e.do("PATCH", path, e.secretAuth(), `{"metadata":{"a":"b"}}`), 400, api.CodeCannotChangeCanceledSub)
		wantError(t, e.do("GET", e.subPath(newID()), e.secretAuth(), ""), 404, api.CodeNotFound)
		wantError(t, e.do("DELETE", e.subPath("not-a-uuid"), e.secretAuth(), ""), 404, api.CodeNotFound)
		wantError(t, e.do("GET", e.subPath(sub.ID)+"?polling=yes", e.secretAuth(), ""), 400, api.CodeValidationError, fe("polling", api.ReasonInvalidFormat))
	})
}

// Resuming after the next payment date has passed moves the next payment
// to the nearest cycle date from today; the schedule engine charges it.
func TestSubscriptionResumeAfterMissedDate(t *testing.T) {
	e := newEnv(t)
	sub := e.getSub(e.createSub(e.createToken(cardOK, "subscription").ID, `,"cyclical_period":"P1W","period":""`).ID, true)
	e.patchSub(sub.ID, `{"status":"suspended"}`)
	if st := e.storedSub(sub.ID); st.DueAt != nil {
		t.Errorf("suspended subscription due at %v", st.DueAt)
	}
	e.advance(17 * 24 * time.Hour) // two payment dates missed
	got := e.patchSub(sub.ID, `{"status":"unpaid"}`)
	first := mustDate(t, sub.NextPayment.DueDate)
	if want := first.addDays(14).String(); got.Status != api.SubscriptionUnpaid || got.NextPayment.DueDate != want || got.NextPayment.ID != sub.NextPayment.ID {
		t.Errorf("resumed: %s %+v, want due %s", got.Status, got.NextPayment, want)
	}
	if st := e.storedSub(sub.ID); st.DueAt == nil || st.Skipped != 2 {
		t.Errorf("due %v skipped %d", st.DueAt, st.Skipped)
	}
}

// The Node SDK's suspend, unsuspend and token routes.
func TestSubscriptionSDKRoutes(t *testing.T) {
	e := newEnv(t)
	sub := e.getSub(e.createSub(e.createToken(cardOK, "subscription").ID, "").ID, true)
	var v api.Subscription
	r := e.do("PATCH", e.subPath(sub.ID)+"/suspend", e.secretAuth(), "")
	if r.json(t, &v); r.code != 200 || v.Status != api.SubscriptionSuspended {
		t.Fatalf("suspend: %d %s", r.code, r.body)
	}
	r = e.do("PATCH", e.subPath(sub.ID)+"/unsuspend", e.secretAuth(), "")
	if r.json(t, &v); r.code != 200 || v.Status != api.SubscriptionUnpaid {
		t.Fatalf("unsuspend: %d %s", r.code, r.body)
	}
	tok := e.createToken(cardOK2, "subscription")
	r = e.do("PATCH", e.subPath(sub.ID)+"/token", e.publicAuth(), `{"transaction_token_id":"`+tok.ID+`"}`)
	if r.json(t, &v); r.code != 200 || v.TransactionTokenID != tok.ID {
		t.Fatalf("token: %d %s", r.code, r.body)
	}
	wantError(t, e.do("PATCH", e.subPath(sub.ID)+"/token", e.secretAuth(), `{}`), 400, api.CodeValidationError,
		api.FieldError{Field: "transaction_token_id", Reason: api.ReasonRequiredValue})
	wantError(t, e.do("PATCH", e.subPath(sub.ID)+"/suspend", e.publicAuth(), ""), 403, api.CodeInvalidPermissions)
}

func TestSubscriptionLists(t *testing.T) {
	e := newEnv(t)
	a := e.getSub(e.createSub(e.createToken(cardOK, "subscription").ID, `,"metadata":{"customer":"Yamada Taro","n":42}`).ID, true)
	b := e.getSub(e.createSub(e.createToken(cardDeclined, "subscription").ID, `,"metadata":{"customer":"Suzuki"}`).ID, true)
	c := e.getSub(e.createSub(e.createToken(cardOK2, "subscription").ID, `,"metadata":{"customer":"yamada hanako"}`).ID, true)
	e.patchSub(c.ID, `{"status":"suspended"}`)

	ids := func(query string) []string {
		t.Helper()
		for _, path := range []string{"/stores/" + e.demo.StoreID + "/subscriptions", "/subscriptions"} {
			r := e.do("GET", path+query, e.secretAuth(), "")
			if r.code != 200 {
				t.Fatalf("GET %s%s: %d %s", path, query, r.code, r.body)
			}
			var l api.List[api.SubscriptionListItem]
			r.json(t, &l)
			var out []string
			for _, it := range l.Items {
				out = append(out, it.ID)
			}
			if l.TotalHits != len(out) {
				t.Errorf("%s: total_hits %d, %d items", query, l.TotalHits, len(out))
			}
			if path == "/subscriptions" {
				return out
			}
		}
		return nil
	}
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"", []string{c.ID, b.ID, a.ID}},
		{"?cursor_direction=asc", []string{a.ID, b.ID, c.ID}},
		{"?search=YAMADA", []string{c.ID, a.ID}},
		{"?search=42", []string{a.ID}},
		{"?status=current", []string{a.ID}},
		{"?status=unconfirmed&mode=test", []string{b.ID}},
		{"?statuses[]=current&statuses[]=suspended", []string{c.ID, a.ID}},
		{"?status=suspended&search=yamada", []string{c.ID}},
		{"?mode=live", nil},
		{"?metadata=customer:Suzuki", []string{b.ID}},
	} {
		if got := ids(tt.query); !slices.Equal(got, tt.want) {
			t.Errorf("%q: %v, want %v", tt.query, got, tt.want)
		}
	}
	wantError(t, e.do("GET", "/subscriptions?status=running", e.secretAuth(), ""), 400, api.CodeValidationError,
		api.FieldError{Field: "status", Reason: api.ReasonInvalidFormat})
	wantError(t, e.do("GET", "/stores/"+newID()+"/subscriptions", e.secretAuth(), ""), 404, api.CodeNotFound)

	var l api.List[api.SubscriptionListItem]
	e.do("GET", "/subscriptions?status=current", e.secretAuth(), "").json(t, &l)
	it := l.Items[0]
	if it.MerchantName != DemoMerchantName || it.StoreName != DemoStoreName || it.PaymentType != api.PaymentTypeCard ||
		*it.NextPaymentDate != a.NextPayment.DueDate || *it.UserData.CardholderName != "TARO YAMADA" || *it.UserData.Email != "taro@example.com" ||
		*it.UserData.Brand != "visa" || it.UserData.Type != "charge" {
		t.Errorf("list item %+v", it)
	}

	// The charges of a subscription.
	r := e.do("GET", e.subPath(a.ID)+"/charges?limit=10&currency=jpy", e.secretAuth(), "")
	var cs api.List[api.Charge]
	r.json(t, &cs)
	if r.code != 200 || cs.TotalHits != 1 || *cs.Items[0].SubscriptionID != a.ID || cs.HasMore {
		t.Fatalf("charges %d %s", r.code, r.body)
	}
	for q, n := range map[string]int{"?currency=USD": 0, "?amount_from=999&amount_to=1001": 1, "?amount_from=1000": 0, "?transaction_token_id=" + a.TransactionTokenID: 1, "?transaction_token_id=" + newID(): 0} {
		var l api.List[api.Charge]
		e.do("GET", e.subPath(a.ID)+"/charges"+q, e.secretAuth(), "").json(t, &l)
		if l.TotalHits != n {
			t.Errorf("charges%s: %d, want %d", q, l.TotalHits, n)
		}
	}
	wantError(t, e.do("GET", e.subPath(a.ID)+"/charges?amount_from=x&currency=yenn&transaction_token_id=1", e.secretAuth(), ""), 400, api.CodeValidationError,
		api.FieldError{Field: "transaction_token_id", Reason: api.ReasonInvalidFormatUUID},
		api.FieldError{Field: "currency", Reason: api.ReasonInvalidFormatCurrency},
		api.FieldError{Field: "amount_from", Reason: api.ReasonInvalidFormat})
	wantError(t, e.do("GET", e.subPath(newID())+"/charges", e.secretAuth(), ""), 404, api.CodeNotFound)
}

// Only one active subscription token per card in 5 minutes.
func TestNonUniqueActiveSubscriptionToken(t *testing.T) {
	e := newEnv(t)
	first := e.createToken(cardOK, "subscription")
	wantError(t, e.do("POST", "/tokens", e.secretAuth(), cardTokenBody(cardOK, "subscription")), 409, api.CodeNonUniqueActiveToken)
	e.createToken(cardOK2, "subscription") // another card
	e.createToken(cardOK, "recurring")     // another type
	e.createToken(cardOK, "one_time")
	e.createSub(first.ID, "") // the token is used: a new one may be made
	second := e.createToken(cardOK, "subscription")
	wantError(t, e.do("POST", "/tokens", e.secretAuth(), cardTokenBody(cardOK, "subscription")), 409, api.CodeNonUniqueActiveToken)
	e.advance(5*time.Minute + time.Second) // second expired unused
	e.createToken(cardOK, "subscription")
	if b := e.do("POST", "/subscriptions", e.secretAuth(), subBody(second.ID, "")).errBody(t); b.Code != api.CodeTransactionTokenExpired {
		t.Errorf("expired token: %+v", b)
	}
}

// Polling waits for the first charge; GET without polling may still show
// unverified.
func TestSubscriptionPolling(t *testing.T) {
	e := newEnv(t)
	e.s.delay = 200 * time.Millisecond
	sub := e.createSub(e.createToken(cardOK, "subscription").ID, "")
	if got := e.getSub(sub.ID, false); got.Status != api.SubscriptionUnverified {
		t.Fatalf("before settlement: %s", got.Status)
	}
	start := time.Now()
	got := e.getSub(sub.ID, true)
	if got.Status != api.SubscriptionCurrent || time.Since(start) > 2*time.Second {
		t.Fatalf("polled %s after %v", got.Status, time.Since(start))
	}
	// A subscription past unverified answers at once.
	start = time.Now()
	e.getSub(sub.ID, true)
	if d := time.Since(start); d > time.Second {
		t.Errorf("final poll took %v", d)
	}
	if r := e.do("GET", e.subPath(sub.ID)+"?polling=true", e.publicAuth(), ""); r.code != 200 {
		t.Errorf("public GET: %d %s", r.code, r.body)
	}
}

// seedSubscription is the response of the POST /subscriptions example of
// the UnivaPay documentation.
const seedSubscription = `{
    "id": "11ef335e-9aa5-c54a-8313-7f9847da313a",
    "store_id": "11edf541-c42d-653c-8c3d-dfe0a55f95c0",
    "transaction_token_id": "11ef32a7-3a71-8662-803f-1bc27702eeec",
    "amount": 1250,
    "currency": "USD",
    "amount_formatted": 12.50,
    "initial_amount": null,
    "initial_amount_formatted": null,
    "subsequent_cycles_start": null,
    "schedule_settings": {
        "start_on": null,
        "zone_id": "Asia/Tokyo",
        "preserve_end_of_month": null,
        "retry_interval": null,
        "termination_mode": "immediate"
    },
    "only_direct_currency": false,
    "first_charge_capture_after": null,
    "first_charge_authorization_only": false,
    "status": "unverified",
    "metadata": {
        "ServiceId": 78435694
    },
    "mode": "test",
    "created_on": "2024-06-26T01:51:28.627023Z",
    "period": "monthly",
    "next_payment": {
        "id": "11ef335e-9aad-7470-8314-03ee2f51b9cd",
        "due_date": "2024-06-26",
        "zone_id": "Asia/Tokyo",
        "amount": 1250,
        "currency": "USD",
        "amount_formatted": 12.50,
        "is_paid": false,
        "is_last_payment": false,
        "created_on": "2024-06-26T01:51:28.627023Z",
        "updated_on": "2024-06-26T01:51:28.627023Z",
        "retry_date": null
    }
}`

// The subscription object as the UnivaPay documentation shows it (the
// example of POST /subscriptions, its GET once current, a list item).
func TestSubscriptionGolden(t *testing.T) {
	e := newEnv(t)
	at := time.Date(2099, 6, 26, 1, 51, 28, 627023000, time.UTC)
	if _, err := e.s.clock.Set(context.Background(), e.demo.StoreID, at); err != nil {
		t.Fatal(err)
	}
	tok := e.createToken(cardOK, "subscription")
	r := e.do("POST", "/subscriptions", e.secretAuth(), `{
		"transaction_token_id": "`+tok.ID+`",
		"amount": 1250,
		"currency": "USD",
		"period": "daily",
		"metadata":{
			"ServiceId": 78435694
		}
	}`)
	if r.code != 201 {
		t.Fatalf("%d %s", r.code, r.body)
	}
	assertGolden(t, "subscription", r.body)

	keys := func(body []byte) []string {
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		var out []string
		for k, v := range m {
			out = append(out, k)
			if sub, ok := v.(map[string]any); ok && k != "metadata" {
				for k2 := range sub {
					out = append(out, k+"."+k2)
				}
			}
		}
		slices.Sort(out)
		return out
	}
	if got, want := keys(r.body), keys([]byte(seedSubscription)); !slices.Equal(got, want) {
		t.Errorf("fields = %v\nseed example %v", got, want)
	}

	r = e.do("POST", "/subscriptions", e.secretAuth(), `{"transaction_token_id":"`+e.createToken(cardOK2, "subscription").ID+
		`","amount":1250,"currency":"USD","period":"monthly","metadata":{"ServiceId":78435694}}`)
	var monthly api.Subscription
	r.json(t, &monthly)
	e.getSub(monthly.ID, true)
	r = e.do("GET", e.subPath(monthly.ID), e.secretAuth(), "")
	assertGolden(t, "subscription_current", r.body)
	r = e.do("GET", "/stores/"+e.demo.StoreID+"/subscriptions?status=current", e.secretAuth(), "")
	assertGolden(t, "subscription_list", r.body)
}

// The storage keeps what the schedule engine needs.
func TestSubscriptionDueForEngine(t *testing.T) {
	e := newEnv(t)
	sub := e.getSub(e.createSub(e.createToken(cardOK, "subscription").ID, "").ID, true)
	st := e.storedSub(sub.ID)
	ctx := context.Background()
	due, err := e.s.storage.ListDueSubscriptions(ctx, e.demo.StoreID, st.DueAt.Add(-time.Second))
	if err != nil || len(due) != 0 {
		t.Fatalf("due early: %v %v", due, err)
	}
	due, _ = e.s.storage.ListDueSubscriptions(ctx, e.demo.StoreID, *st.DueAt)
	if len(due) != 1 || due[0].ID != sub.ID || due[0].NextPayment.Index != 1 {
		t.Fatalf("due = %+v", due)
	}
}

// DELETE answers 204 with no body over a real connection.
func TestSubscriptionDeleteNoContent(t *testing.T) {
	e := newEnv(t)
	sub := e.createSub(e.createToken(cardOK, "subscription").ID, "")
	srv := httptest.NewServer(e.s.Handler())
	defer srv.Close()
	req, _ := http.NewRequest("DELETE", srv.URL+e.subPath(sub.ID), nil)
	req.Header.Set("Authorization", e.secretAuth())
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("DELETE: %d %q", res.StatusCode, body)
	}
	if got := e.getSub(sub.ID, false); got.Status != api.SubscriptionCanceled {
		t.Errorf("status %s", got.Status)
	}
}
