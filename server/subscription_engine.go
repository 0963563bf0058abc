package server

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// The schedule engine of subscriptions (docs/subscriptions.md, "The
// schedule engine"): at each due time it charges the next payment of a
// subscription or applies the termination requested for it, and the
// outcome of the charge (followCharge) moves the subscription on: paid,
// retried, suspended, completed.
//
// Each payment is attempted once: the engine claims a due subscription in
// the storage (ClaimDueSubscription), which records the ID of the charge
// to make before the charge exists and sets DueAt to a lease. A process
// that stops before creating that charge leaves the lease, after which the
// next claim finds the recorded ID and creates the charge with it (or
// follows it, if it was made): a charge ID is created once.

// claimLease is how long (on the store's clock) a claimed payment waits
// for its charge before the engine claims it again.
const claimLease = time.Minute

// maxClaimsPerRun bounds the claims of one engine run in one store (a
// clock moved by years on a daily subscription is a few thousand).
const maxClaimsPerRun = 100_000

// dueAction is what the engine does with a claimed subscription.
type dueAction struct {
	// event is the event of a termination applied by the claim.
	event api.WebhookEvent
	// chargeID is the charge to make for the next payment ("" for none),
	// at the time at.
	chargeID string
	at       time.Time
}

// runDueSubscriptions is the engine job of subscriptions: it acts on every
// subscription of the store that is due at now, as often as they are due
// (a clock moved by a year runs a year of payments, in order).
func (s *Server) runDueSubscriptions(ctx context.Context, storeID string, now time.Time) {
	for range maxClaimsPerRun {
		if ctx.Err() != nil {
			return
		}
		more, err := s.runDueSubscription(ctx, storeID, now)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Error("subscription payment", "store_id", storeID, "err", err)
			}
			return
		}
		if !more {
			return
		}
	}
	s.log.Warn("subscriptions: more payments due than one engine run makes", "store_id", storeID)
}

// runDueSubscription claims the subscription of the store due first and
// acts on it; more is false when none was due.
func (s *Server) runDueSubscription(ctx context.Context, storeID string, now time.Time) (more bool, err error) {
	var act dueAction
	unlock, err := s.lockSubscriptions(ctx)
	if err != nil {
		return false, err
	}
	sub, err := s.storage.ClaimDueSubscription(ctx, storeID, now, func(sub *domain.Subscription) {
		if act = claimDue(sub, now); act.event != "" {
			s.subscriptionEvents(sub, []api.WebhookEvent{act.event})
		}
	})
	if err == nil {
		s.followUp(ctx, domain.KindSubscription, sub.ID, &sub.Outbox)
	}
	unlock()
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	}
	s.notifyChange()
	if act.chargeID == "" {
		return true, nil
	}
	return true, s.chargePayment(ctx, sub, act)
}

// claimDue decides, inside the claim, what the engine does with sub at
// now: apply its pending termination, or attempt its next payment (the
// attempt is recorded at once, with the ID its charge will have, and DueAt
// becomes a lease until the charge exists).
func claimDue(sub *domain.Subscription, now time.Time) dueAction {
	np := sub.NextPayment
	if np == nil || np.Index == 0 || (sub.Status != api.SubscriptionCurrent && sub.Status != api.SubscriptionUnpaid) {
		sub.DueAt = nil // nothing to do (not expected: setDueAt keeps it nil)
		return dueAction{}
	}
	// The engine acts at the due time, unless the subscription changed
	// after it (a resume): then at that change.
	at := now
	if sub.DueAt != nil {
		at = *sub.DueAt
	}
	if sub.UpdatedAt.After(at) {
		at = sub.UpdatedAt
	}
	if sub.PendingStatus != nil {
		sub.UpdatedAt = at
		return dueAction{event: terminate(sub, *sub.PendingStatus)}
	}
	if np.ChargeID == nil {
		np.ChargeID = ptr(newID())
		np.Attempts++
		np.AttemptedAt = &at
		np.UpdatedAt = at
		sub.UpdatedAt = at
	} else if np.AttemptedAt != nil {
		at = *np.AttemptedAt // a claim whose charge was not seen: the same attempt
	}
	sub.DueAt = ptr(now.Add(claimLease))
	return dueAction{chargeID: *np.ChargeID, at: at}
}

// chargePayment makes the charge of a claimed attempt: the next payment's
// amount on the subscription's token, with its metadata, created at the
// attempt's time. A charge the rules refuse (the limits, a disabled
// token, …) is a failed attempt. The charge settles at once when its
// processing time has passed already (a moved clock).
func (s *Server) chargePayment(ctx context.Context, sub *domain.Subscription, act dueAction) error {
	c, err := s.storage.GetCharge(ctx, act.chargeID)
	if err == nil {
		return s.recoverAttempt(ctx, c)
	}
	if !errors.Is(err, domain.ErrNotFound) {
		return err
	}
	np := sub.NextPayment
	c = &domain.Charge{
		ID:                 act.chargeID,
		CreatedAt:          act.at,
		Amount:             np.Amount,
		Currency:           sub.Currency,
		Capture:            true,
		OnlyDirectCurrency: sub.OnlyDirectCurrency,
		Metadata:           maps.Clone(sub.Metadata),
		SubscriptionID:     &sub.ID,
	}
	tok, err := s.storage.GetToken(ctx, sub.TokenID)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		err = api.NewError(http.StatusBadRequest, api.CodeRecurringTokenDisabled) // deleted
	case err == nil:
		err = s.startCharge(ctx, tok, c)
	}
	var refused *api.Error
	if errors.As(err, &refused) {
		s.log.Info("subscription payment refused", "subscription_id", sub.ID, "code", refused.Code)
		return s.attemptRefused(ctx, sub.ID, act)
	}
	if err != nil {
		return err
	}
	_, err = s.settle(ctx, c.ID)
	return err
}

// attemptRefused records the failure of an attempt whose charge could not
// be made.
func (s *Server) attemptRefused(ctx context.Context, id string, act dueAction) error {
	unlock, err := s.lockSubscriptions(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	sub, err := s.storage.GetSubscription(ctx, id)
	if err != nil {
		return err
	}
	np := sub.NextPayment
	if np == nil || np.ChargeID == nil || *np.ChargeID != act.chargeID {
		return nil // changed meanwhile
	}
	sc, err := scheduleOf(sub)
	if err != nil {
		return err
	}
	s.subscriptionEvents(sub, failPayment(sc, sub, act.at, defaultRetryCount))
	if err := s.storage.UpdateSubscription(ctx, sub); err != nil {
		return err
	}
	s.followUp(ctx, domain.KindSubscription, sub.ID, &sub.Outbox)
	s.notifyChange()
	return nil
}

// recoverAttempt follows the charge of an attempt claimed again (its
// process stopped after making it): as a new charge, then its outcome if
// it has one.
func (s *Server) recoverAttempt(ctx context.Context, c *domain.Charge) error {
	if err := s.subscriptionChargeChanged(ctx, nil, c); err != nil || c.Status == api.ChargePending {
		return err
	}
	prev := *c
	prev.Status, prev.DueAt = api.ChargePending, nil
	return s.subscriptionChargeChanged(ctx, &prev, c)
}

// chargeFailed reports whether a charge in status st did not pay.
func chargeFailed(st api.ChargeStatus) bool {
	return st == api.ChargeFailed || st == api.ChargeError || st == api.ChargeCanceled
}

// paymentPaid pays sub's next payment at at and returns the events: the
// subscription runs again (unverified or unpaid → current; a suspended one
// stays suspended), its plan's next payment becomes due, or the plan is
// complete. The next payment never falls on or before the day of this one
// (a payment paid late, after retries or a delayed capture): it moves to
// the first cycle date after it.
func paymentPaid(sc schedule, sub *domain.Subscription, at time.Time) []api.WebhookEvent {
	np := sub.NextPayment
	np.PaidAt, np.UpdatedAt = &at, at
	paid := *np
	sub.LastPayment = &paid
	sub.PaymentsPaid++
	sub.AmountPaid += np.Amount
	sub.Retries = 0
	if sub.Status == api.SubscriptionUnverified || sub.Status == api.SubscriptionUnpaid {
		sub.Status = api.SubscriptionCurrent
	}
	events := []api.WebhookEvent{api.EventSubscriptionPayment}
	if advance(sc, sub, at) {
		sub.Status = api.SubscriptionCompleted
		sub.PendingStatus = nil
		return append(events, api.EventSubscriptionCompleted)
	}
	paidOn := dateOf(at.In(sc.zone))
	if due, ok := parseDate(sub.NextPayment.DueDate); ok && !paidOn.before(due) {
		moveTo(sc, sub, sc.firstCycleAfter(paidOn), at)
	}
	return events
}

// failPayment records a failed attempt (at at) of sub's next payment, a
// later one, and returns the events: unpaid and retried at the retry
// interval from the day of the failure; after retries attempts in all,
// suspended (or the termination pending, if one was requested meanwhile).
// A subscription stopped while the attempt ran only records it.
func failPayment(sc schedule, sub *domain.Subscription, at time.Time, retries int) []api.WebhookEvent {
	np := sub.NextPayment
	np.ChargeID = nil
	np.UpdatedAt = at
	if sub.Status != api.SubscriptionCurrent && sub.Status != api.SubscriptionUnpaid {
		setDueAt(sc, sub)
		return nil
	}
	sub.Retries++
	if sub.Retries >= retries {
		st := api.SubscriptionSuspended
		if sub.PendingStatus != nil {
			st = *sub.PendingStatus
		}
		return []api.WebhookEvent{terminate(sub, st)}
	}
	sub.Status = api.SubscriptionUnpaid
	retry := dateOf(at.In(sc.zone)).add(sc.retryCycle(sub.Schedule.RetryInterval, retries), false)
	np.RetryDate = ptr(retry.String())
	setDueAt(sc, sub)
	return []api.WebhookEvent{api.EventSubscriptionFailure}
}

// terminate stops sub with status (suspended or canceled) and returns the
// event to fire. A canceled subscription has no next payment; a suspended
// one keeps it for its resume.
func terminate(sub *domain.Subscription, status api.SubscriptionStatus) api.WebhookEvent {
	sub.Status = status
	sub.PendingStatus = nil
	sub.DueAt = nil
	if status == api.SubscriptionCanceled {
		sub.NextPayment = nil
		return api.EventSubscriptionCanceled
	}
	return api.EventSubscriptionSuspended
}
