package server

import (
	"context"
	"errors"
	"net/http"

	"kessai/api"
	"kessai/server/domain"
)

// The payments of a subscription (docs/subscriptions.md, "Payments"): one
// row per payment attempted or paid, and the next one, listed newest
// first; the next payment's date can be moved.

func (s *Server) subscriptionPaymentRoutes(m *apiMux) {
	s.handle(m, "GET /stores/{storeId}/subscriptions/{id}/payments", false, "List the payments of a subscription: every payment attempted or paid, and the next one.", s.handleListSubscriptionPayments)
	s.handle(m, "GET /stores/{storeId}/subscriptions/{id}/payments/{paymentId}", false, "Get a payment of a subscription.", s.handleGetSubscriptionPayment)
	s.handle(m, "PATCH /stores/{storeId}/subscriptions/{id}/payments/{paymentId}", false, "Move the due date of a subscription's next payment.", s.handleUpdateSubscriptionPayment)
}

// paymentView renders a payment of sub as the payment object.
func paymentView(sub *domain.Subscription, p *domain.ScheduledPayment) *api.SubscriptionPayment {
	return &api.SubscriptionPayment{
		ID:              p.ID,
		DueDate:         p.DueDate,
		ZoneID:          sub.Schedule.ZoneID,
		Amount:          p.Amount,
		Currency:        sub.Currency,
		AmountFormatted: api.FormatAmount(p.Amount, sub.Currency),
		IsPaid:          p.PaidAt != nil,
		IsLastPayment:   p.IsLast,
		CreatedOn:       api.FormatTime(p.CreatedAt),
		UpdatedOn:       api.FormatTime(p.UpdatedAt),
		RetryDate:       p.RetryDate,
	}
}

func (s *Server) handleListSubscriptionPayments(r *http.Request, p *principal) (int, any, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return 0, nil, err
	}
	pg, _, err := listParams(r.URL.Query())
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	sub, err := s.getSubscription(ctx, p, r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	list, err := s.storage.ListSubscriptionPayments(ctx, domain.SubscriptionPaymentQuery{Page: pg, SubscriptionID: sub.ID})
	if err != nil {
		return 0, nil, listError(err)
	}
	return http.StatusOK, listView(list, func(pay *domain.ScheduledPayment) *api.SubscriptionPayment { return paymentView(sub, pay) }), nil
}

func (s *Server) handleGetSubscriptionPayment(r *http.Request, p *principal) (int, any, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	sub, pay, err := s.subscriptionPayment(ctx, p, r.PathValue("id"), r.PathValue("paymentId"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, paymentView(sub, pay), nil
}

// subscriptionPayment returns a subscription of the caller's store and one
// of its payment rows, 404 otherwise.
func (s *Server) subscriptionPayment(ctx context.Context, p *principal, id, paymentID string) (*domain.Subscription, *domain.ScheduledPayment, error) {
	sub, err := s.getSubscription(ctx, p, id)
	if err != nil {
		return nil, nil, err
	}
	pay, err := s.payment(ctx, sub, paymentID)
	return sub, pay, err
}

// payment returns a payment row of sub, 404 if it has none with that ID.
func (s *Server) payment(ctx context.Context, sub *domain.Subscription, id string) (*domain.ScheduledPayment, error) {
	if !validUUID(id) {
		return nil, errNotFound
	}
	pay, err := s.storage.GetSubscriptionPayment(ctx, sub.ID, id)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, errNotFound
	}
	return pay, err
}

// handleUpdateSubscriptionPayment is PATCH …/payments/{paymentId}
// {"due_date": "YYYY-MM-DD"}: the next payment (not the first, not being
// charged) moves to a later day, at most 999 days ahead; the payments
// after it keep their cycle dates. While a failed payment waits for its
// retry, it runs on the later of the retry date and this date.
func (s *Server) handleUpdateSubscriptionPayment(r *http.Request, p *principal) (int, any, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return 0, nil, err
	}
	var req struct {
		DueDate *string `json:"due_date"`
	}
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	if req.DueDate == nil {
		return 0, nil, api.ValidationError(api.FieldError{Field: "due_date", Reason: api.ReasonRequiredValue})
	}
	due, ok := parseDate(*req.DueDate)
	if !ok {
		return 0, nil, api.ValidationError(api.FieldError{Field: "due_date", Reason: api.ReasonInvalidFormatDate})
	}
	ctx := r.Context()
	unlock, err := s.lockSubscriptions(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer unlock()
	sub, err := s.getSubscription(ctx, p, r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	switch sub.Status {
	case api.SubscriptionCanceled:
		return 0, nil, api.NewError(http.StatusBadRequest, api.CodeCannotChangeCanceledSub)
	case api.SubscriptionCompleted:
		return 0, nil, api.NewError(http.StatusBadRequest, api.CodeSubscriptionAlreadyEnded)
	}
	pay, err := s.payment(ctx, sub, r.PathValue("paymentId"))
	if err != nil {
		return 0, nil, err
	}
	np := sub.NextPayment
	if np == nil || np.ID != pay.ID || np.Index == 0 || np.ChargeID != nil {
		// A payment made, the first one, or one being charged.
		return 0, nil, api.ValidationError(api.FieldError{Field: "due_date", Reason: api.ReasonForbiddenParameter})
	}
	sc, err := scheduleOf(sub)
	if err != nil {
		return 0, nil, err
	}
	now := s.clock.Now(sub.StoreID)
	today := dateOf(now.In(sc.zone))
	switch {
	case !today.before(due):
		return 0, nil, api.ValidationError(api.FieldError{Field: "due_date", Reason: api.ReasonMustBeFutureTime})
	case today.daysUntil(due) > maxStartDays:
		return 0, nil, api.ValidationError(api.FieldError{Field: "due_date", Reason: reasonStartTooFar})
	}
	np.DueDate = due.String()
	if sub.Retries == 0 {
		if rd := retryDate(due, sub.Schedule.RetryInterval); rd != nil {
			np.RetryDate = ptr(rd.String())
		}
	}
	np.UpdatedAt, sub.UpdatedAt = now, now
	setDueAt(sc, sub)
	if err := s.storage.UpdateSubscription(ctx, sub); err != nil {
		return 0, nil, err
	}
	s.notifyChange()
	return http.StatusOK, paymentView(sub, np), nil
}
