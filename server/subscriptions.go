package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// Subscriptions (docs/subscriptions.md): creation with its first charge,
// the state machine that follows the charges of its payments, reads,
// lists, updates (metadata, amount, suspend/resume, token swap,
// termination mode) and cancel. Later payments are charged by the schedule
// engine (subscription_engine.go) from the state kept in
// domain.Subscription (NextPayment, DueAt, PendingStatus).

func (s *Server) subscriptionRoutes(m *apiMux) {
	s.handle(m, "POST /subscriptions", true, "Create a subscription with a subscription or recurring token; its first payment is charged at once.", s.handleCreateSubscription)
	s.handle(m, "GET /stores/{storeId}/subscriptions/{id}", true, "Get a subscription; ?polling=true waits up to 3 s for it to leave unverified.", s.handleGetSubscription)
	s.handle(m, "GET /stores/{storeId}/subscriptions", false, "List the store's subscriptions (search in metadata values, status, mode).", s.handleListSubscriptions)
	s.handle(m, "GET /subscriptions", false, "List the subscriptions of every store the app token sees.", s.handleListSubscriptions)
	s.handle(m, "PATCH /stores/{storeId}/subscriptions/{id}", true, "Update a subscription: metadata, amount, status (suspend/resume), token, termination mode. Without the secret: the token only.", s.handleUpdateSubscription)
	s.handle(m, "DELETE /stores/{storeId}/subscriptions/{id}", false, "Cancel a subscription (before its next payment with termination_mode on_next_payment).", s.handleDeleteSubscription)
	s.handle(m, "GET /stores/{storeId}/subscriptions/{id}/charges", false, "List the charges of a subscription.", s.handleListSubscriptionCharges)
	s.handle(m, "PATCH /stores/{storeId}/subscriptions/{id}/suspend", false, "Suspend a subscription (the Node SDK's suspend).", s.handleSubscriptionAction(api.SubscriptionSuspended))
	s.handle(m, "PATCH /stores/{storeId}/subscriptions/{id}/unsuspend", false, "Resume a suspended subscription (the Node SDK's unsuspend).", s.handleSubscriptionAction(api.SubscriptionUnpaid))
	s.handle(m, "PATCH /stores/{storeId}/subscriptions/{id}/token", true, "Replace a subscription's transaction token (the Node SDK's updateToken).", s.handleSubscriptionToken)
	s.subscriptionPaymentRoutes(m)
}

// subscriptionEvents adds events of sub (its view now) to its Outbox, to
// be stored with its change (followups.go).
func (s *Server) subscriptionEvents(sub *domain.Subscription, events []api.WebhookEvent) {
	if len(events) == 0 {
		return
	}
	v := subscriptionView(sub)
	for _, ev := range events {
		s.event(&sub.Outbox, sub.StoreID, ev, v)
	}
}

// maxStartDays is how far ahead the second payment may be.
const maxStartDays = 999

// Sentences of the bound errors of POST /subscriptions.
const (
	reasonStartTooFar       = "Start date must be within 999 days"
	reasonRetryTooLong      = "Retry interval must be at least one day and shorter than the period"
	reasonCaptureAfter      = "First charge capture must be after 1 to 6 days (P1D to P6D)"
	reasonInstallmentPeriod = "Installments must use the monthly period"
	reasonFixedCycles       = "Fixed cycles must be at least 1, and at least 2 with an initial amount"
	maxPayoutMonths         = 1200   // max_payout_period P100Y of checkout_info
	maxPayoutDays           = 36_525 // the same in days
)

func (s *Server) handleCreateSubscription(r *http.Request, p *principal) (int, any, error) {
	var req api.SubscriptionCreateRequest
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	now := s.clock.Now(p.app.StoreID)
	sub, err := buildSubscription(&req, now)
	if err != nil {
		return 0, nil, err
	}
	tok, err := s.loadToken(r, sub.TokenID, p)
	if err != nil {
		return 0, nil, err
	}
	if tok.Type != api.TokenTypeSubscription && tok.Type != api.TokenTypeRecurring {
		return 0, nil, api.NewError(http.StatusBadRequest, api.CodeNotSubscriptionToken)
	}
	if tok.Mode != p.app.Mode {
		return 0, nil, api.ValidationError(api.FieldError{Field: "transaction_token_id", Reason: api.ReasonProcessingModeMismatch})
	}
	if err := s.tokenUsable(ctx, tok); err != nil {
		return 0, nil, err
	}
	if sub.InstallmentPlan != nil && tok.PaymentType != api.PaymentTypeCard {
		return 0, nil, api.NewError(http.StatusBadRequest, api.CodeInstallmentPaymentTypeNotAllowed)
	}
	if paidLater(tok.PaymentType) { // docs/payment-methods.md, "Statuses"
		return 0, nil, api.NewError(http.StatusBadRequest, api.CodeNotSubscriptionToken)
	}
	if err := s.settleCVVAuth(ctx, tok); err != nil {
		return 0, nil, err
	}
	free := sub.InitialAmount != nil && *sub.InitialAmount == 0
	if free && (!tok.CVVAuth.Enabled || tok.CVVAuth.Status == nil || *tok.CVVAuth.Status != api.CVVAuthCurrent) {
		return 0, nil, api.NewError(http.StatusBadRequest, api.CodeCVVAuthorizationNotCompleted)
	}

	sub.ID = newID()
	sub.StoreID = p.app.StoreID
	sub.MerchantID = p.app.MerchantID
	sub.Mode = p.app.Mode
	sub.PaymentType = tok.PaymentType
	sub.Status = api.SubscriptionUnverified
	sub.CreatedAt, sub.UpdatedAt = now, now
	sc, err := scheduleOf(sub)
	if err != nil {
		return 0, nil, err
	}
	sub.NextPayment = newPayment(sc, sub, 0, now)
	if free {
		// No first charge: the card is registered, the subscription runs.
		sub.Status = api.SubscriptionCurrent
		advance(sc, sub, now)
	}
	before := *tok
	// subscription_created carries the subscription as it is when the
	// event is recorded: after its first charge started.
	s.event(&sub.Outbox, sub.StoreID, api.EventSubscriptionCreated, nil)
	if err := s.storage.CreateSubscription(ctx, sub, tok.Type == api.TokenTypeSubscription); err != nil {
		if errors.Is(err, domain.ErrTokenInactive) {
			return 0, nil, api.NewError(http.StatusBadRequest, api.CodeTransactionAlreadyProcessed)
		}
		return 0, nil, err
	}
	if !free {
		if err := s.startFirstCharge(ctx, sub, tok); err != nil {
			// Undo the subscription: the request failed as a whole.
			uctx := context.WithoutCancel(ctx)
			if derr := s.storage.DeleteSubscription(uctx, sub.ID); derr != nil {
				s.log.Error("undo subscription", "subscription_id", sub.ID, "err", derr)
			}
			if uerr := s.storage.UpdateToken(uctx, &before); uerr != nil {
				s.log.Error("restore token", "token_id", before.ID, "err", uerr)
			}
			return 0, nil, err
		}
		if sub, err = s.storage.GetSubscription(ctx, sub.ID); err != nil {
			return 0, nil, err
		}
	}
	s.followUp(ctx, domain.KindSubscription, sub.ID, &sub.Outbox)
	s.notifyChange()
	return http.StatusCreated, subscriptionView(sub), nil
}

// buildSubscription validates a POST /subscriptions request and returns the
// subscription it describes (without store, token state or schedule state).
func buildSubscription(req *api.SubscriptionCreateRequest, now time.Time) (*domain.Subscription, error) {
	var errs []api.FieldError
	add := func(field, reason string) { errs = append(errs, api.FieldError{Field: field, Reason: reason}) }
	sub := &domain.Subscription{Metadata: req.Metadata}
	if sub.Metadata == nil {
		sub.Metadata = api.Metadata{}
	}

	sub.TokenID = strings.TrimSpace(req.TransactionTokenID)
	if sub.TokenID == "" {
		add("transaction_token_id", api.ReasonRequiredValue)
	} else if !validUUID(sub.TokenID) {
		add("transaction_token_id", api.ReasonInvalidFormatUUID)
	}
	switch {
	case req.Amount == nil:
		add("amount", api.ReasonRequiredValue)
	case *req.Amount <= 0:
		add("amount", api.ReasonInvalidAmount)
	default:
		sub.Amount = int64(*req.Amount)
	}
	sub.Currency = checkCurrency(req.Currency, add)
	if req.InitialAmount != nil {
		if *req.InitialAmount < 0 {
			add("initial_amount", api.ReasonInvalidAmount)
		} else {
			sub.InitialAmount = ptr(int64(*req.InitialAmount))
		}
	}

	var cyc cycle
	period, cyclical := strings.ToLower(strings.TrimSpace(req.Period)), strings.TrimSpace(req.CyclicalPeriod)
	switch {
	case period != "" && cyclical != "":
		add("cyclical_period", api.ReasonForbiddenParameter)
	case period != "":
		c, ok := periodCycles[period]
		if !ok {
			add("period", api.ReasonInvalidFormat)
		}
		cyc, sub.Period = c, period
	case cyclical != "":
		c, ok := parseCycle(cyclical, "DWMY")
		if !ok {
			add("cyclical_period", api.ReasonInvalidFormat)
		}
		cyc, sub.CyclicalPeriod = c, strings.ToUpper(cyclical)
	default:
		add("period", api.ReasonRequiredValue)
	}

	ss := req.ScheduleSettings
	if ss == nil {
		ss = &api.ScheduleSettingsInput{}
	}
	sub.Schedule = domain.ScheduleSettings{ZoneID: strings.TrimSpace(ss.ZoneID), TerminationMode: strings.TrimSpace(ss.TerminationMode)}
	if sub.Schedule.ZoneID == "" {
		sub.Schedule.ZoneID = api.DefaultZoneID
	}
	zone, err := loadZone(sub.Schedule.ZoneID)
	if err != nil {
		add("schedule_settings.zone_id", api.ReasonInvalidFormat)
		zone = time.UTC
	}
	today := dateOf(now.In(zone))
	var start *date
	if ss.StartOn != "" {
		if d, ok := parseDate(ss.StartOn); !ok {
			add("schedule_settings.start_on", api.ReasonInvalidFormatDate)
		} else {
			start = &d
		}
		if ss.StartIn != "" {
			add("schedule_settings.start_in", api.ReasonForbiddenParameter)
		}
		if ss.StartDayOfMonth != nil {
			add("schedule_settings.start_day_of_month", api.ReasonForbiddenParameter)
		}
	} else if ss.StartIn != "" || ss.StartDayOfMonth != nil {
		d, ok := startFrom(today, ss.StartIn, ss.StartDayOfMonth)
		switch {
		case ok:
			start = &d
		case ss.StartIn != "" && !validStartIn(ss.StartIn):
			add("schedule_settings.start_in", api.ReasonInvalidFormat)
		default:
			add("schedule_settings.start_day_of_month", api.ReasonInvalidFormat)
		}
	}
	if start != nil {
		switch {
		case !today.before(*start):
			add("schedule_settings.start_on", api.ReasonMustBeFutureTime)
		case today.daysUntil(*start) > maxStartDays:
			add("schedule_settings.start_on", reasonStartTooFar)
		default:
			sub.Schedule.StartOn = ptr(start.String())
		}
	}
	if ss.PreserveEndOfMonth != nil {
		v := bool(*ss.PreserveEndOfMonth)
		if v && cyc.months == 0 && (cyc.days > 0) {
			add("schedule_settings.preserve_end_of_month", api.ReasonForbiddenParameter)
		}
		sub.Schedule.PreserveEndOfMonth = &v
	}
	if ri := strings.TrimSpace(ss.RetryInterval); ri != "" {
		c, ok := parseCycle(ri, "DWM")
		switch {
		case !ok:
			add("schedule_settings.retry_interval", api.ReasonInvalidFormat)
		case (cyc != cycle{}) && c.approxDays() >= cyc.approxDays():
			add("schedule_settings.retry_interval", reasonRetryTooLong)
		default:
			sub.Schedule.RetryInterval = ptr(strings.ToUpper(ri))
		}
	}
	switch sub.Schedule.TerminationMode {
	case "":
		sub.Schedule.TerminationMode = api.TerminationImmediate
	case api.TerminationImmediate, api.TerminationOnNextPayment:
	default:
		add("schedule_settings.termination_mode", api.ReasonInvalidFormat)
	}

	sub.FirstChargeAuthorizationOnly = req.FirstChargeAuthorizationOnly.Bool(false)
	sub.OnlyDirectCurrency = req.OnlyDirectCurrency.Bool(false)
	if ca := strings.TrimSpace(req.FirstChargeCaptureAfter); ca != "" {
		c, ok := parseCycle(ca, "D")
		switch {
		case !ok || c.days > 6:
			add("first_charge_capture_after", reasonCaptureAfter)
		case !sub.FirstChargeAuthorizationOnly:
			add("first_charge_capture_after", api.ReasonForbiddenParameter)
		default:
			sub.FirstChargeCaptureAfter = ptr(strings.ToUpper(ca))
		}
	}

	if req.InstallmentPlan != nil && req.SubscriptionPlan != nil {
		add("subscription_plan", api.ReasonForbiddenParameter)
	}
	if ip := req.InstallmentPlan; ip != nil && sub.Period != api.PeriodMonthly {
		field := "period"
		if sub.CyclicalPeriod != "" {
			field = "cyclical_period"
		}
		add(field, reasonInstallmentPeriod)
	}
	if sp := req.SubscriptionPlan; sp != nil && req.InstallmentPlan == nil {
		plan := &domain.SubscriptionPlan{PlanType: strings.TrimSpace(sp.PlanType)}
		switch plan.PlanType {
		case "":
			add("subscription_plan.plan_type", api.ReasonRequiredValue)
		case api.PlanFixedCycles:
			switch {
			case sp.FixedCycles == nil:
				add("subscription_plan.fixed_cycles", api.ReasonRequiredValue)
			case *sp.FixedCycles < 1 || (sub.InitialAmount != nil && *sp.FixedCycles < 2):
				add("subscription_plan.fixed_cycles", reasonFixedCycles)
			default:
				plan.FixedCycles = *sp.FixedCycles
			}
		case api.PlanFixedCycleAmount:
			switch {
			case sp.FixedCycleAmount == nil:
				add("subscription_plan.fixed_cycle_amount", api.ReasonRequiredValue)
			case *sp.FixedCycleAmount <= 0 || (sub.Amount > 0 && int64(*sp.FixedCycleAmount) > sub.Amount):
				add("subscription_plan.fixed_cycle_amount", api.ReasonInvalidAmount)
			default:
				plan.FixedCycleAmount = int64(*sp.FixedCycleAmount)
			}
		default:
			add("subscription_plan.plan_type", api.ReasonInvalidFormat)
		}
		if sub.InitialAmount != nil && sub.Amount > 0 && *sub.InitialAmount > sub.Amount {
			add("initial_amount", api.ReasonInvalidAmount)
		}
		sub.SubscriptionPlan = plan
	}
	flatMetadata(req.Metadata, &errs)
	if len(errs) > 0 {
		return nil, api.ValidationError(errs...)
	}

	// Rules of the plans, after field validation.
	if ip := req.InstallmentPlan; ip != nil {
		plan := &api.InstallmentPlan{PlanType: strings.TrimSpace(ip.PlanType)}
		switch plan.PlanType {
		case api.PlanRevolving:
		case api.PlanFixedCycles:
			if ip.FixedCycles == nil || !slices.Contains(api.InstallmentCycles, *ip.FixedCycles) {
				return nil, api.NewError(http.StatusBadRequest, api.CodeInstallmentInvalidCyclesCount)
			}
			plan.FixedCycles = ip.FixedCycles
		default:
			return nil, api.NewError(http.StatusBadRequest, api.CodeInstallmentInvalidPlan)
		}
		if sub.InitialAmount != nil {
			return nil, api.NewError(http.StatusForbidden, api.CodeInstallmentProcessorInitialAmountsNotSupported)
		}
		sub.InstallmentPlan = plan
	}
	pl := planOf(sub)
	if span := pl.count() - 1; span > 0 && ((cyc.months > 0 && span > maxPayoutMonths/cyc.months) || (cyc.days > 0 && span > maxPayoutDays/cyc.days)) {
		return nil, api.NewError(http.StatusBadRequest, api.CodeInstallmentMaxPayoutExceeded)
	}
	if limit, ok := maxAmounts[sub.Currency]; ok {
		first, _, _ := pl.payment(0)
		second, _, _ := pl.payment(1)
		if first > limit || second > limit {
			return nil, api.NewError(http.StatusBadRequest, api.CodeChargeAmountTooHigh)
		}
	}
	return sub, nil
}

// validStartIn reports whether a start_in duration is well formed.
func validStartIn(s string) bool {
	_, ok := parseCycle(s, "DWMY")
	return ok
}

// startFrom turns the widget's start_in / start_day_of_month into the
// date of the second payment: today + start_in, on start_day_of_month of
// that month when given (clamped to the month's length); with a day but
// no start_in, this month if the day is still ahead, else next month.
func startFrom(today date, startIn string, day *int) (date, bool) {
	d := today
	if startIn != "" {
		c, ok := parseCycle(startIn, "DWMY")
		if !ok {
			return date{}, false
		}
		d = today.add(c, false)
	}
	if day == nil {
		return d, true
	}
	if *day < 1 || *day > 31 {
		return date{}, false
	}
	at := func(base date) date { return date{base.y, base.m, min(*day, daysIn(base.y, base.m))} }
	out := at(d)
	if startIn == "" && !today.before(out) {
		out = at(d.addMonths(1, false))
	}
	return out, true
}

// newPayment returns scheduled payment index of sub, created at now:
// payment 0 on the creation date, later ones on their cycle dates.
func newPayment(sc schedule, sub *domain.Subscription, index int, now time.Time) *domain.ScheduledPayment {
	amount, last, _ := planOf(sub).payment(index)
	p := &domain.ScheduledPayment{ID: newID(), Index: index, Amount: amount, IsLast: last, CreatedAt: now, UpdatedAt: now}
	d := sc.firstDate()
	if index > 0 {
		d = sc.cycleDate(index + sub.Skipped)
		if r := retryDate(d, sub.Schedule.RetryInterval); r != nil {
			p.RetryDate = ptr(r.String())
		}
	}
	p.DueDate = d.String()
	return p
}

// advance moves sub past its next payment (paid, or free): the plan's next
// payment becomes due, or, when there is none, the plan is complete
// (reported true) and sub has no next payment.
func advance(sc schedule, sub *domain.Subscription, now time.Time) (complete bool) {
	next := 0
	if sub.NextPayment != nil {
		next = sub.NextPayment.Index + 1
	}
	if _, _, ok := planOf(sub).payment(next); !ok {
		sub.NextPayment = nil
		setDueAt(sc, sub)
		return true
	}
	sub.NextPayment = newPayment(sc, sub, next, now)
	setDueAt(sc, sub)
	return false
}

// setDueAt sets when the schedule engine must next act on sub: the charge
// time of its next payment while it runs (current, unpaid), on its retry
// date after a failed attempt; a pending termination applies just before
// it. While an attempt is in progress (NextPayment.ChargeID) DueAt is left
// as it is: nil once the charge runs (its outcome decides what follows),
// the engine's lease before.
func setDueAt(sc schedule, sub *domain.Subscription) {
	np := sub.NextPayment
	if np == nil || np.Index == 0 || (sub.Status != api.SubscriptionCurrent && sub.Status != api.SubscriptionUnpaid) {
		sub.DueAt = nil
		return
	}
	if np.ChargeID != nil {
		return
	}
	sub.DueAt = nil
	if d, ok := payDate(sub); ok {
		sub.DueAt = ptr(sc.dueTime(d))
	}
}

// payDate is the date sub's next payment is attempted: its due date, or
// while it is being retried the later of its retry date and its due date
// (a date set by PATCH …/payments/{id} after the failure).
func payDate(sub *domain.Subscription) (date, bool) {
	np := sub.NextPayment
	d, ok := parseDate(np.DueDate)
	if ok && sub.Retries > 0 && np.RetryDate != nil {
		if r, rok := parseDate(*np.RetryDate); rok && d.before(r) {
			d = r
		}
	}
	return d, ok
}

// subscriptionChargeChanged lets a subscription follow one of its charges
// (prev is nil for a new charge): the charge paying the next payment is
// recorded on it; its success pays the payment (unverified or unpaid →
// current, or completed at the end of a plan); the failure or cancel of
// the first payment leaves the subscription unconfirmed, that of a later
// payment is a failed attempt (retry, or suspension after the last one).
// An authorization (first charge authorization only) keeps it unverified
// until captured. It is a follow-up of the charge's change (followups.go):
// a change followed again changes nothing.
func (s *Server) subscriptionChargeChanged(ctx context.Context, prev, c *domain.Charge) error {
	if prev != nil && prev.Status == c.Status {
		return nil
	}
	// Events are recorded under the lock too, so that they are in the
	// order of the changes. The change is followed even if the request
	// that made it ends meanwhile.
	ctx = context.WithoutCancel(ctx)
	unlock, err := s.lockSubscriptions(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	sub, err := s.followCharge(ctx, prev, c)
	if err != nil || sub == nil {
		return err
	}
	s.followUp(ctx, domain.KindSubscription, sub.ID, &sub.Outbox)
	return nil
}

// followCharge applies a change of charge c to its subscription (under
// subMu) and stores it with its events; it returns the subscription (nil
// when there is none).
func (s *Server) followCharge(ctx context.Context, prev, c *domain.Charge) (*domain.Subscription, error) {
	sub, err := s.storage.GetSubscription(ctx, *c.SubscriptionID)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, nil // a creation undone
	}
	if err != nil {
		return nil, err
	}
	np := sub.NextPayment
	switch {
	case np == nil:
		return sub, nil // canceled or completed: not recorded
	case prev == nil && np.ChargeID != nil && *np.ChargeID != c.ID,
		prev != nil && (np.ChargeID == nil || *np.ChargeID != c.ID):
		return sub, nil // not the charge of the payment due
	case prev == nil && np.ChargeID == nil && (np.Index != 0 || c.CreatedAt.Before(np.CreatedAt)):
		// Only a first payment's charge is recorded when it is made (the
		// engine records the others when it claims them); a new charge
		// followed again after its payment moved on is not the next one's.
		return sub, nil
	}
	sc, err := scheduleOf(sub)
	if err != nil {
		return nil, err
	}
	// at is when the change happened on the store's clock: a new charge
	// when it was created, a settlement at the time it was due (the engine
	// may run it later, after a clock move), so that the schedule follows
	// the payments' own times (docs/subscriptions.md, "Catching up").
	at := s.clock.Now(sub.StoreID)
	switch {
	case prev == nil:
		at = c.CreatedAt
	case prev.DueAt != nil && prev.DueAt.Before(at):
		at = *prev.DueAt
	}
	var events []api.WebhookEvent
	switch {
	case prev == nil:
		if np.ChargeID == nil {
			// A first payment's charge (the engine records its attempts
			// when it claims them).
			np.ChargeID = &c.ID
			np.Attempts++
			np.AttemptedAt = &at
		}
		np.UpdatedAt = at
		sub.DueAt = nil // the charge runs; its outcome schedules what follows
	case c.Status == api.ChargeSuccessful:
		events = paymentPaid(sc, sub, at)
	case !chargeFailed(c.Status):
		// Authorized or awaiting.
		return sub, nil
	case np.Index == 0:
		if sub.Status == api.SubscriptionCanceled {
			return sub, nil
		}
		sub.Status = api.SubscriptionUnconfirmed
		sub.DueAt = nil
		sub.PendingStatus = nil
		np.UpdatedAt = at
		events = append(events, api.EventSubscriptionFailure)
	default:
		events = failPayment(sc, sub, at, defaultRetryCount)
	}
	if at.After(sub.UpdatedAt) {
		sub.UpdatedAt = at
	}
	s.subscriptionEvents(sub, events)
	if err := s.storage.UpdateSubscription(ctx, sub); err != nil {
		return nil, err
	}
	return sub, nil
}

func (s *Server) handleGetSubscription(r *http.Request, p *principal) (int, any, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return 0, nil, err
	}
	polling, err := pollParam(r)
	if err != nil {
		return 0, nil, err
	}
	id := r.PathValue("id")
	ctx := r.Context()
	sub, err := poll(ctx, s, polling, func() (*domain.Subscription, pollState, error) {
		sub, due, err := s.loadSubscription(ctx, p, id)
		if err != nil {
			return nil, pollState{}, err
		}
		return sub, pollState{Status: string(sub.Status), Final: sub.Status.Final(), StoreID: sub.StoreID, Due: due}, nil
	})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, subscriptionView(sub), nil
}

// loadSubscription returns a subscription of the caller's store (404
// otherwise) after settling its first charge if that is due, and when the
// sandbox next acts on that charge.
func (s *Server) loadSubscription(ctx context.Context, p *principal, id string) (*domain.Subscription, *time.Time, error) {
	sub, err := s.getSubscription(ctx, p, id)
	if err != nil || sub.Status != api.SubscriptionUnverified || sub.NextPayment == nil || sub.NextPayment.ChargeID == nil {
		return sub, nil, err
	}
	c, err := s.storage.GetCharge(ctx, *sub.NextPayment.ChargeID)
	if err != nil {
		return nil, nil, err
	}
	if c.DueAt == nil || s.clock.Now(c.StoreID).Before(*c.DueAt) {
		return sub, c.DueAt, nil
	}
	if c, err = s.settle(ctx, c.ID); err != nil {
		return nil, nil, err
	}
	sub, err = s.getSubscription(ctx, p, id)
	return sub, c.DueAt, err
}

// getSubscription returns a subscription of the caller's store, 404
// otherwise.
func (s *Server) getSubscription(ctx context.Context, p *principal, id string) (*domain.Subscription, error) {
	if !validUUID(id) {
		return nil, errNotFound
	}
	sub, err := s.storage.GetSubscription(ctx, id)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && sub.StoreID != p.app.StoreID) {
		return nil, errNotFound
	}
	return sub, err
}

func (s *Server) handleListSubscriptions(r *http.Request, p *principal) (int, any, error) {
	if storeID := r.PathValue("storeId"); storeID != "" {
		if err := storeScoped(p, storeID); err != nil {
			return 0, nil, err
		}
	}
	q := r.URL.Query()
	pg, f, err := listParams(q)
	if err != nil {
		return 0, nil, err
	}
	query := domain.SubscriptionQuery{Scope: listScope(p), Page: pg, Filters: f, Search: strings.TrimSpace(q.Get("search"))}
	var statuses []string
	statuses = append(statuses, q["status"]...)
	for _, k := range []string{"statuses", "statuses[]"} {
		for _, v := range q[k] {
			statuses = append(statuses, strings.Split(v, ",")...)
		}
	}
	for _, v := range statuses {
		st := api.SubscriptionStatus(strings.TrimSpace(v))
		if !slices.Contains(api.SubscriptionStatuses, st) {
			return 0, nil, api.ValidationError(api.FieldError{Field: "status", Reason: api.ReasonInvalidFormat})
		}
		query.Statuses = append(query.Statuses, st)
	}
	ctx := r.Context()
	list, err := s.storage.ListSubscriptions(ctx, query)
	if err != nil {
		return 0, nil, listError(err)
	}
	names := s.storeNames(ctx)
	out := api.List[*api.SubscriptionListItem]{Items: []*api.SubscriptionListItem{}, HasMore: list.HasMore, TotalHits: list.TotalHits}
	for _, sub := range list.Items {
		n, _ := names.of(sub.StoreID) // a name that cannot be read stays empty
		item := &api.SubscriptionListItem{
			SubscriptionFields: subscriptionFields(sub),
			StoreNames:         n,
			PaymentType:        sub.PaymentType,
			UserData:           api.SubscriptionUserData{Type: "charge"},
		}
		if sub.NextPayment != nil {
			item.NextPaymentDate = ptr(sub.NextPayment.DueDate)
		}
		if tok, err := s.storage.GetToken(ctx, sub.TokenID); err == nil {
			item.UserData.Email = ptr(tok.Email)
			if tok.Card != nil {
				item.UserData.CardholderName = ptr(tok.Card.Cardholder)
				item.UserData.Brand = ptr(tok.Card.Brand)
			}
		}
		out.Items = append(out.Items, item)
	}
	return http.StatusOK, out, nil
}

func (s *Server) handleListSubscriptionCharges(r *http.Request, p *principal) (int, any, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	sub, err := s.getSubscription(ctx, p, r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	q := r.URL.Query()
	pg, f, err := listParams(q)
	if err != nil {
		return 0, nil, err
	}
	cq := domain.ChargeQuery{Scope: listScope(p), Page: pg, Filters: f, SubscriptionID: sub.ID}
	var errs []api.FieldError
	if v := strings.TrimSpace(q.Get("transaction_token_id")); v != "" {
		if !validUUID(v) {
			errs = append(errs, api.FieldError{Field: "transaction_token_id", Reason: api.ReasonInvalidFormatUUID})
		}
		cq.TransactionTokenID = v
	}
	if v := strings.TrimSpace(q.Get("currency")); v != "" {
		if !currencyRe.MatchString(v) {
			errs = append(errs, api.FieldError{Field: "currency", Reason: api.ReasonInvalidFormatCurrency})
		}
		cq.Currency = strings.ToUpper(v)
	}
	for _, k := range []string{"amount_from", "amount_to"} {
		v := strings.TrimSpace(q.Get(k))
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			errs = append(errs, api.FieldError{Field: k, Reason: api.ReasonInvalidFormat})
			continue
		}
		if k == "amount_from" {
			cq.AmountFrom = &n
		} else {
			cq.AmountTo = &n
		}
	}
	if len(errs) > 0 {
		return 0, nil, api.ValidationError(errs...)
	}
	list, err := s.storage.ListCharges(ctx, cq)
	if err != nil {
		return 0, nil, listError(err)
	}
	return http.StatusOK, listView(list, chargeView), nil
}

func (s *Server) handleUpdateSubscription(r *http.Request, p *principal) (int, any, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return 0, nil, err
	}
	var raw map[string]json.RawMessage
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return 0, nil, api.ValidationError(api.FieldError{Reason: api.ReasonInvalidFormat})
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err := decodeBody(r, &raw); err != nil {
		return 0, nil, err
	}
	// Without the secret (the widget's card change) only the token.
	if !p.withSecret && (len(raw) != 1 || raw["transaction_token_id"] == nil) {
		return 0, nil, errPermissions
	}
	var upd api.SubscriptionUpdateBody
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err := decodeBody(r, &upd); err != nil {
		return 0, nil, err
	}
	return s.updateSubscription(r.Context(), p, r.PathValue("id"), &upd)
}

// handleSubscriptionAction is PATCH …/suspend and …/unsuspend: a status
// change without a body.
func (s *Server) handleSubscriptionAction(status api.SubscriptionStatus) handlerFunc {
	return func(r *http.Request, p *principal) (int, any, error) {
		if err := storeScoped(p, r.PathValue("storeId")); err != nil {
			return 0, nil, err
		}
		return s.updateSubscription(r.Context(), p, r.PathValue("id"), &api.SubscriptionUpdateBody{Status: &status})
	}
}

// handleSubscriptionToken is PATCH …/token: {"transaction_token_id": …}.
func (s *Server) handleSubscriptionToken(r *http.Request, p *principal) (int, any, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return 0, nil, err
	}
	var req struct {
		TransactionTokenID *string `json:"transaction_token_id"`
	}
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	if req.TransactionTokenID == nil {
		return 0, nil, api.ValidationError(api.FieldError{Field: "transaction_token_id", Reason: api.ReasonRequiredValue})
	}
	return s.updateSubscription(r.Context(), p, r.PathValue("id"), &api.SubscriptionUpdateBody{TransactionTokenID: req.TransactionTokenID})
}

// updateSubscription applies a PATCH to a subscription of the caller's
// store and returns the response.
func (s *Server) updateSubscription(ctx context.Context, p *principal, id string, upd *api.SubscriptionUpdateBody) (int, any, error) {
	var errs []api.FieldError
	add := func(field, reason string) { errs = append(errs, api.FieldError{Field: field, Reason: reason}) }
	if upd.TransactionTokenID != nil && !validUUID(strings.TrimSpace(*upd.TransactionTokenID)) {
		add("transaction_token_id", api.ReasonInvalidFormatUUID)
	}
	if upd.Amount != nil && *upd.Amount <= 0 {
		add("amount", api.ReasonInvalidAmount)
	}
	if upd.Status != nil {
		switch *upd.Status {
		case api.SubscriptionSuspended, api.SubscriptionUnpaid, api.SubscriptionCurrent:
		default:
			add("status", api.ReasonInvalidFormat)
		}
	}
	var termination string
	if ss := upd.ScheduleSettings; ss != nil && ss.TerminationMode != nil {
		termination = *ss.TerminationMode
		if termination != api.TerminationImmediate && termination != api.TerminationOnNextPayment {
			add("schedule_settings.termination_mode", api.ReasonInvalidFormat)
		}
	}
	flatMetadata(upd.Metadata, &errs)
	if len(errs) > 0 {
		return 0, nil, api.ValidationError(errs...)
	}

	unlock, err := s.lockSubscriptions(ctx)
	if err != nil {
		return 0, nil, err
	}
	res, err := s.applyUpdate(ctx, p, id, upd, termination)
	if err == nil {
		s.followUp(ctx, domain.KindSubscription, res.sub.ID, &res.sub.Outbox)
	}
	unlock()
	if err != nil {
		return 0, nil, err
	}
	sub := res.sub
	s.notifyChange()
	if res.retry != nil {
		// unconfirmed + a new token: the first payment again, at once.
		if err := s.startFirstCharge(ctx, sub, res.retry); err != nil {
			uctx := context.WithoutCancel(ctx)
			unlock, uerr := s.lockSubscriptions(uctx)
			if uerr == nil {
				uerr = s.storage.UpdateSubscription(uctx, res.prev)
				unlock()
			}
			if uerr != nil {
				s.log.Error("restore subscription", "subscription_id", sub.ID, "err", uerr)
			}
			if uerr := s.storage.UpdateToken(context.WithoutCancel(ctx), res.tokBefore); uerr != nil {
				s.log.Error("restore token", "token_id", res.tokBefore.ID, "err", uerr)
			}
			return 0, nil, err
		}
		if sub, err = s.storage.GetSubscription(ctx, sub.ID); err != nil {
			return 0, nil, err
		}
	}
	return http.StatusOK, subscriptionView(sub), nil
}

// startFirstCharge charges the first payment of sub with tok.
func (s *Server) startFirstCharge(ctx context.Context, sub *domain.Subscription, tok *domain.TxToken) error {
	c := &domain.Charge{
		Amount:             sub.NextPayment.Amount,
		Currency:           sub.Currency,
		Capture:            !sub.FirstChargeAuthorizationOnly,
		OnlyDirectCurrency: sub.OnlyDirectCurrency,
		Metadata:           maps.Clone(sub.Metadata),
		SubscriptionID:     &sub.ID,
	}
	if sub.FirstChargeCaptureAfter != nil {
		if cyc, ok := parseCycle(*sub.FirstChargeCaptureAfter, "D"); ok {
			c.CaptureAt = ptr(s.clock.Now(sub.StoreID).AddDate(0, 0, cyc.days))
		}
	}
	return s.startCharge(ctx, tok, c)
}

// updateResult is what applyUpdate did.
type updateResult struct {
	sub       *domain.Subscription
	suspended bool            // the status became suspended
	retry     *domain.TxToken // the first payment is to be charged again with this token
	prev      *domain.Subscription
	tokBefore *domain.TxToken
}

// applyUpdate checks and stores an update (under lockSubscriptions).
func (s *Server) applyUpdate(ctx context.Context, p *principal, id string, upd *api.SubscriptionUpdateBody, termination string) (*updateResult, error) {
	sub, err := s.getSubscription(ctx, p, id)
	if err != nil {
		return nil, err
	}
	switch sub.Status {
	case api.SubscriptionCanceled:
		return nil, api.NewError(http.StatusBadRequest, api.CodeCannotChangeCanceledSub)
	case api.SubscriptionCompleted:
		return nil, api.NewError(http.StatusBadRequest, api.CodeSubscriptionAlreadyEnded)
	}
	if upd.Amount != nil {
		if sub.SubscriptionPlan != nil || sub.InstallmentPlan != nil {
			return nil, api.ValidationError(api.FieldError{Field: "amount", Reason: api.ReasonForbiddenParameter})
		}
		if limit, ok := maxAmounts[sub.Currency]; ok && int64(*upd.Amount) > limit {
			return nil, api.NewError(http.StatusBadRequest, api.CodeChargeAmountTooHigh)
		}
	}
	cur := sub.Status
	if upd.Status != nil && cur == api.SubscriptionUnconfirmed {
		// Not running: neither suspended nor resumed (a new token retries it).
		return nil, api.ValidationError(api.FieldError{Field: "status", Reason: api.ReasonInvalidStatusTransition})
	}
	now := s.clock.Now(sub.StoreID)
	res := &updateResult{prev: cloneSubscription(sub)}
	var tok *domain.TxToken
	if upd.TransactionTokenID != nil && strings.TrimSpace(*upd.TransactionTokenID) != sub.TokenID {
		if cur == api.SubscriptionUnverified {
			return nil, api.NewError(http.StatusBadRequest, api.CodeCannotChangeToken)
		}
		tok, err = s.storage.GetToken(ctx, strings.TrimSpace(*upd.TransactionTokenID))
		if errors.Is(err, domain.ErrNotFound) {
			return nil, errNotFound
		}
		if err != nil {
			return nil, err
		}
		switch {
		case tok.StoreID != sub.StoreID:
			return nil, api.NewError(http.StatusBadRequest, api.CodeTokenForWrongStore)
		case tok.Type != api.TokenTypeSubscription && tok.Type != api.TokenTypeRecurring:
			return nil, api.NewError(http.StatusBadRequest, api.CodeNotSubscriptionToken)
		case tok.Mode != sub.Mode:
			return nil, api.ValidationError(api.FieldError{Field: "transaction_token_id", Reason: api.ReasonProcessingModeMismatch})
		}
		if err := s.tokenUsable(ctx, tok); err != nil {
			return nil, err
		}
		before := *tok
		res.tokBefore = &before
		if err := s.storage.UseToken(ctx, tok.ID, now, tok.Type == api.TokenTypeSubscription); err != nil {
			if errors.Is(err, domain.ErrTokenInactive) {
				return nil, api.NewError(http.StatusBadRequest, api.CodeTransactionAlreadyProcessed)
			}
			return nil, err
		}
		sub.TokenID = tok.ID
		sub.PaymentType = tok.PaymentType
	}

	sc, err := scheduleOf(sub)
	if err != nil {
		return nil, err
	}
	if upd.Metadata != nil {
		sub.Metadata = sub.Metadata.Merge(upd.Metadata)
	}
	if termination != "" {
		sub.Schedule.TerminationMode = termination
	}
	if upd.Amount != nil {
		sub.Amount = int64(*upd.Amount)
		// Not the first payment, nor one being charged (the payments after
		// it have the new amount).
		if np := sub.NextPayment; np != nil && np.Index > 0 && np.ChargeID == nil {
			np.Amount = sub.Amount
			np.UpdatedAt = now
		}
	}
	if upd.Status != nil {
		switch {
		case *upd.Status == api.SubscriptionSuspended && cur == api.SubscriptionSuspended:
		case *upd.Status == api.SubscriptionSuspended && sub.Schedule.TerminationMode == api.TerminationOnNextPayment && sub.DueAt != nil:
			// Before the next payment (the schedule engine applies it).
			if sub.PendingStatus == nil {
				sub.PendingStatus = ptr(api.SubscriptionSuspended)
			}
		case *upd.Status == api.SubscriptionSuspended:
			sub.Status = api.SubscriptionSuspended
			sub.PendingStatus = nil
			res.suspended = true
		case cur == api.SubscriptionSuspended:
			resume(sc, sub, now)
		default:
			// Resume of a running subscription: only withdraws a pending
			// suspension.
			if sub.PendingStatus != nil && *sub.PendingStatus == api.SubscriptionSuspended {
				sub.PendingStatus = nil
			}
		}
	}
	if tok != nil && sub.Status == api.SubscriptionUnconfirmed {
		sub.Status = api.SubscriptionUnverified
		sub.NextPayment = newPayment(sc, sub, 0, now)
		sub.NextPayment.DueDate = dateOf(now.In(sc.zone)).String()
		res.retry = tok
	}
	setDueAt(sc, sub)
	sub.UpdatedAt = now
	if res.suspended {
		s.subscriptionEvents(sub, []api.WebhookEvent{api.EventSubscriptionSuspended})
	}
	if err := s.storage.UpdateSubscription(ctx, sub); err != nil {
		return nil, err
	}
	res.sub = sub
	return res, nil
}

// resume restarts a suspended subscription at now: it waits for its next
// payment (unpaid), on the nearest cycle date from today when its date has
// passed; one whose first payment is still open goes back to unverified.
func resume(sc schedule, sub *domain.Subscription, now time.Time) {
	sub.PendingStatus = nil
	sub.Retries = 0
	np := sub.NextPayment
	if np == nil || np.Index == 0 {
		sub.Status = api.SubscriptionUnverified
		return
	}
	sub.Status = api.SubscriptionUnpaid
	today := dateOf(now.In(sc.zone))
	if due, ok := parseDate(np.DueDate); ok && due.before(today) {
		moveTo(sc, sub, sc.firstCycleOnOrAfter(today), now)
	}
	if np.DueDate == today.String() && chargedOn(sc, sub, today) {
		moveTo(sc, sub, sc.firstCycleAfter(today), now)
	}
}

// moveTo puts sub's next payment on cycle date k (later than its own):
// the cycle dates passed over count as skipped, so a fixed plan's payments
// all remain, later.
func moveTo(sc schedule, sub *domain.Subscription, k int, now time.Time) {
	np := sub.NextPayment
	sub.Skipped = k - np.Index
	fresh := newPayment(sc, sub, np.Index, now)
	np.DueDate, np.RetryDate, np.UpdatedAt = fresh.DueDate, fresh.RetryDate, now
	setDueAt(sc, sub)
}

// chargedOn reports whether sub was charged on day (its zone's date): a
// payment paid, or an attempt of its next payment.
func chargedOn(sc schedule, sub *domain.Subscription, day date) bool {
	on := func(t *time.Time) bool { return t != nil && dateOf(t.In(sc.zone)) == day }
	return (sub.LastPayment != nil && on(sub.LastPayment.PaidAt)) || on(sub.NextPayment.AttemptedAt)
}

func cloneSubscription(sub *domain.Subscription) *domain.Subscription {
	c := *sub
	c.Metadata = maps.Clone(sub.Metadata)
	for _, p := range []**domain.ScheduledPayment{&c.NextPayment, &c.LastPayment} {
		if *p != nil {
			v := **p
			*p = &v
		}
	}
	return &c
}

func (s *Server) handleDeleteSubscription(r *http.Request, p *principal) (int, any, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	unlock, err := s.lockSubscriptions(ctx)
	if err != nil {
		return 0, nil, err
	}
	sub, _, err := s.cancelSubscription(ctx, p, r.PathValue("id"))
	if err == nil {
		s.followUp(ctx, domain.KindSubscription, sub.ID, &sub.Outbox)
	}
	unlock()
	if err != nil {
		return 0, nil, err
	}
	s.notifyChange()
	return http.StatusNoContent, nil, nil
}

// cancelSubscription cancels a subscription (under lockSubscriptions): at once, or with
// termination_mode on_next_payment just before its next payment (recorded
// as PendingStatus for the schedule engine). canceled reports an immediate
// cancel.
func (s *Server) cancelSubscription(ctx context.Context, p *principal, id string) (sub *domain.Subscription, canceled bool, err error) {
	if sub, err = s.getSubscription(ctx, p, id); err != nil {
		return nil, false, err
	}
	switch sub.Status {
	case api.SubscriptionCanceled:
		return nil, false, api.NewError(http.StatusBadRequest, api.CodeCannotChangeCanceledSub)
	case api.SubscriptionCompleted:
		return nil, false, api.NewError(http.StatusBadRequest, api.CodeSubscriptionAlreadyEnded)
	}
	if sub.Schedule.TerminationMode == api.TerminationOnNextPayment && sub.DueAt != nil {
		sub.PendingStatus = ptr(api.SubscriptionCanceled)
	} else {
		sub.Status = api.SubscriptionCanceled
		sub.PendingStatus = nil
		sub.NextPayment = nil
		sub.DueAt = nil
		canceled = true
	}
	sub.UpdatedAt = s.clock.Now(sub.StoreID)
	if canceled {
		s.subscriptionEvents(sub, []api.WebhookEvent{api.EventSubscriptionCanceled})
	}
	if err := s.storage.UpdateSubscription(ctx, sub); err != nil {
		return nil, false, err
	}
	return sub, canceled, nil
}

// subscriptionView renders a subscription as the API object.
func subscriptionView(sub *domain.Subscription) *api.Subscription {
	v := &api.Subscription{SubscriptionFields: subscriptionFields(sub)}
	if np := sub.NextPayment; np != nil {
		v.NextPayment = paymentView(sub, np)
	}
	return v
}

// subscriptionFields renders what the subscription object and its list
// items share.
func subscriptionFields(sub *domain.Subscription) api.SubscriptionFields {
	f := api.SubscriptionFields{
		ID:                 sub.ID,
		StoreID:            sub.StoreID,
		TransactionTokenID: sub.TokenID,
		Amount:             sub.Amount,
		Currency:           sub.Currency,
		AmountFormatted:    api.FormatAmount(sub.Amount, sub.Currency),
		InitialAmount:      sub.InitialAmount,
		ScheduleSettings: api.ScheduleSettings{
			StartOn:            sub.Schedule.StartOn,
			ZoneID:             sub.Schedule.ZoneID,
			PreserveEndOfMonth: sub.Schedule.PreserveEndOfMonth,
			RetryInterval:      sub.Schedule.RetryInterval,
			TerminationMode:    sub.Schedule.TerminationMode,
		},
		SubsequentCyclesStart:        sub.Schedule.StartOn,
		OnlyDirectCurrency:           sub.OnlyDirectCurrency,
		FirstChargeCaptureAfter:      sub.FirstChargeCaptureAfter,
		FirstChargeAuthorizationOnly: sub.FirstChargeAuthorizationOnly,
		Status:                       sub.Status,
		Metadata:                     sub.Metadata,
		Mode:                         sub.Mode,
		CreatedOn:                    api.FormatTime(sub.CreatedAt),
		InstallmentPlan:              sub.InstallmentPlan,
	}
	if f.Metadata == nil {
		f.Metadata = api.Metadata{}
	}
	if sub.InitialAmount != nil {
		f.InitialAmountFormatted = ptr(api.FormatAmount(*sub.InitialAmount, sub.Currency))
	}
	if sub.Period != "" {
		f.Period = ptr(sub.Period)
	}
	if sub.CyclicalPeriod != "" {
		f.CyclicalPeriod = ptr(sub.CyclicalPeriod)
	}
	if sp := sub.SubscriptionPlan; sp != nil {
		f.SubscriptionPlan = &api.SubscriptionPlanSpec{PlanType: sp.PlanType}
		if sp.FixedCycles > 0 {
			f.SubscriptionPlan.FixedCycles = ptr(sp.FixedCycles)
		}
		if sp.FixedCycleAmount > 0 {
			f.SubscriptionPlan.FixedCycleAmount = ptr(api.Amount(sp.FixedCycleAmount))
		}
	}
	return f
}
