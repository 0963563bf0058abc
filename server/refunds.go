package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

func (s *Server) refundRoutes(m *apiMux) {
	s.handle(m, "POST /stores/{storeId}/charges/{chargeId}/refunds", false,
		"Refund all or part of a successful charge.", s.handleCreateRefund)
	s.handle(m, "GET /stores/{storeId}/charges/{chargeId}/refunds/{refundId}", false,
		"Get a refund; ?polling=true waits up to 3 s for it to leave pending.", s.handleGetRefund)
	s.handle(m, "GET /stores/{storeId}/charges/{chargeId}/refunds", false,
		"List the refunds of a charge.", s.handleListRefunds)
	s.handle(m, "PATCH /stores/{storeId}/charges/{chargeId}/refunds/{refundId}", false,
		"Update a refund's metadata (merged into the stored metadata).", s.handleUpdateRefund)
	s.handle(m, "PATCH /stores/{storeId}/refunds/{refundId}", false,
		"Update a refund's metadata (the path of the UnivaPay documentation's example).", s.handleUpdateRefund)
	s.transactionRoutes(m)
}

// refundWindow is how long after its charge a refund can be made, by
// payment method (docs/charges.md, "Refunds"); 0 = no limit.
func refundWindow(pt api.PaymentType) time.Duration {
	const day = 24 * time.Hour
	switch pt {
	case api.PaymentTypeCard, api.PaymentTypeOnline:
		return 180 * day
	case api.PaymentTypePaidy:
		return 365 * day
	}
	return 0
}

// partialRefunds reports whether a payment method refunds part of a
// charge; a partial refund of another one ends in error 318.
func partialRefunds(pt api.PaymentType) bool {
	switch pt {
	case api.PaymentTypeCard, api.PaymentTypeOnline, api.PaymentTypePaidy:
		return true
	}
	return false
}

// refundFails reports whether a test refund of a charge on a card with
// these last four digits fails (numbers ending 4242).
func refundFails(lastFour string) bool { return lastFour == "4242" }

// charged returns what a successful charge charged.
func charged(c *domain.Charge) (int64, string) {
	if c.ChargedAmount != nil && c.ChargedCurrency != nil {
		return *c.ChargedAmount, *c.ChargedCurrency
	}
	return c.Amount, c.Currency
}

func (s *Server) handleCreateRefund(r *http.Request, p *principal) (int, any, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return 0, nil, err
	}
	var req api.RefundCreateRequest
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	var errs []api.FieldError
	add := func(field, reason string) { errs = append(errs, api.FieldError{Field: field, Reason: reason}) }
	switch {
	case req.Amount == nil:
		add("amount", api.ReasonRequiredValue)
	case *req.Amount <= 0:
		add("amount", api.ReasonInvalidAmount)
	}
	currency := strings.ToUpper(strings.TrimSpace(req.Currency))
	switch {
	case currency == "":
		add("currency", api.ReasonRequiredValue)
	case !currencyRe.MatchString(currency):
		add("currency", api.ReasonInvalidFormatCurrency)
	}
	var reason *api.RefundReason
	switch rr := api.RefundReason(strings.TrimSpace(req.Reason)); rr {
	case "":
	case api.RefundReasonFraud, api.RefundReasonDuplicate, api.RefundReasonCustomerRequest:
		reason = &rr
	case api.RefundReasonChargeback: // set by the card company only
		add("reason", api.ReasonForbiddenParameter)
	default:
		add("reason", api.ReasonInvalidFormat)
	}
	flatMetadata(req.Metadata, &errs)
	if len(errs) > 0 {
		return 0, nil, api.ValidationError(errs...)
	}
	ctx := r.Context()
	c, err := s.loadCharge(ctx, p, r.PathValue("chargeId"))
	if err != nil {
		return 0, nil, err
	}
	if c.Status != api.ChargeSuccessful {
		return 0, nil, api.NewError(http.StatusBadRequest, api.CodeCannotRefundUnsuccessful)
	}
	if c.PaymentType == api.PaymentTypeBankTransfer {
		return 0, nil, api.NewError(http.StatusBadRequest, api.CodeRefundNotAllowed)
	}
	max, chargeCurrency := charged(c)
	if currency != chargeCurrency {
		return 0, nil, api.NewError(http.StatusBadRequest, api.CodeCurrencyMustMatchCharge)
	}
	amount := int64(*req.Amount)
	if amount > max {
		return 0, nil, api.NewError(http.StatusBadRequest, api.CodeRefundNotWithinBounds)
	}
	now := s.clock.Now(c.StoreID)
	ref := &domain.Refund{
		ID:         newID(),
		StoreID:    c.StoreID,
		MerchantID: c.MerchantID,
		ChargeID:   c.ID,
		Status:     api.RefundPending,
		Amount:     amount,
		Currency:   currency,
		Reason:     reason,
		Message:    optString(req.Message),
		Metadata:   req.Metadata,
		Mode:       c.Mode,
		DueAt:      ptr(now.Add(s.delay)),
		CreatedAt:  now,
		UpdatedAt:  now,
	}
	if ref.Metadata == nil {
		ref.Metadata = api.Metadata{}
	}
	if err := s.storage.CreateRefund(ctx, ref, max); err != nil {
		if errors.Is(err, domain.ErrRefundExceedsCharge) {
			return 0, nil, api.NewError(http.StatusBadRequest, api.CodeRefundExceedsChargeAmount)
		}
		return 0, nil, err
	}
	s.schedule(ref.StoreID, *ref.DueAt)
	return http.StatusCreated, refundView(ref), nil
}

func (s *Server) handleGetRefund(r *http.Request, p *principal) (int, any, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return 0, nil, err
	}
	polling, err := pollParam(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	chargeID, id := r.PathValue("chargeId"), r.PathValue("refundId")
	ref, err := poll(ctx, s, polling, func() (*domain.Refund, pollState, error) {
		ref, err := s.loadRefund(ctx, p, chargeID, id)
		if err != nil {
			return nil, pollState{}, err
		}
		return ref, pollState{Status: string(ref.Status), Final: ref.Status.Final(), StoreID: ref.StoreID, Due: ref.DueAt}, nil
	})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, refundView(ref), nil
}

func (s *Server) handleListRefunds(r *http.Request, p *principal) (int, any, error) {
	storeID := r.PathValue("storeId")
	if err := storeScoped(p, storeID); err != nil {
		return 0, nil, err
	}
	page, filters, err := listParams(r.URL.Query())
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	c, err := s.loadCharge(ctx, p, r.PathValue("chargeId"))
	if err != nil {
		return 0, nil, err
	}
	list, err := s.storage.ListRefunds(ctx, domain.RefundQuery{Scope: domain.Scope{MerchantID: c.MerchantID, StoreID: storeID},
		Page: page, Filters: filters, ChargeID: c.ID})
	if err != nil {
		return 0, nil, listError(err)
	}
	names := s.storeNames(ctx)
	return http.StatusOK, listView(list, func(ref *domain.Refund) api.RefundListItem {
		it := api.RefundListItem{Refund: *refundView(ref)}
		it.MerchantName, it.StoreName = names(ref.StoreID)
		return it
	}), nil
}

// handleUpdateRefund merges metadata into a refund's (also on the alias
// path without the charge ID).
func (s *Server) handleUpdateRefund(r *http.Request, p *principal) (int, any, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return 0, nil, err
	}
	var req api.MetadataUpdateRequest
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	var errs []api.FieldError
	flatMetadata(req.Metadata, &errs)
	if len(errs) > 0 {
		return 0, nil, api.ValidationError(errs...)
	}
	ctx := r.Context()
	ref, err := s.loadRefund(ctx, p, r.PathValue("chargeId"), r.PathValue("refundId"))
	if err != nil {
		return 0, nil, err
	}
	s.settleMu.Lock()
	defer s.settleMu.Unlock()
	if ref, err = s.storage.GetRefund(ctx, ref.ID); err != nil {
		return 0, nil, err
	}
	ref.Metadata = ref.Metadata.Merge(req.Metadata)
	ref.UpdatedAt = s.clock.Now(ref.StoreID)
	if err := s.storage.UpdateRefund(ctx, ref); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, refundView(ref), nil
}

// loadRefund returns a refund of the caller's store and, unless chargeID is
// "", of that charge (404 otherwise), after settling it if it is due.
func (s *Server) loadRefund(ctx context.Context, p *principal, chargeID, id string) (*domain.Refund, error) {
	if !validUUID(id) || (chargeID != "" && !validUUID(chargeID)) {
		return nil, errNotFound
	}
	ref, err := s.storage.GetRefund(ctx, id)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && (ref.StoreID != p.app.StoreID || (chargeID != "" && ref.ChargeID != chargeID))) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	if ref.DueAt != nil && !s.clock.Now(ref.StoreID).Before(*ref.DueAt) {
		return s.settleRefund(ctx, id)
	}
	return ref, nil
}

// settleRefund decides the outcome of a refund whose DueAt has come
// (docs/charges.md, "Refunds") and returns its current state; a refund with
// nothing due is returned unchanged.
func (s *Server) settleRefund(ctx context.Context, id string) (*domain.Refund, error) {
	ref, changed, err := s.settleRefundLocked(ctx, id)
	if err != nil {
		return nil, err
	}
	if changed {
		s.notifyChange()
		if ref.Status.Final() {
			s.emit(ctx, ref.StoreID, api.EventRefundFinished, refundView(ref))
		}
	}
	return ref, nil
}

func (s *Server) settleRefundLocked(ctx context.Context, id string) (*domain.Refund, bool, error) {
	s.settleMu.Lock()
	defer s.settleMu.Unlock()
	ref, err := s.storage.GetRefund(ctx, id)
	if err != nil {
		return nil, false, err
	}
	now := s.clock.Now(ref.StoreID)
	if ref.DueAt == nil || now.Before(*ref.DueAt) {
		return ref, false, nil
	}
	c, err := s.storage.GetCharge(ctx, ref.ChargeID)
	if err != nil {
		return nil, false, err
	}
	ref.DueAt = nil
	ref.UpdatedAt = now
	full, _ := charged(c)
	switch w := refundWindow(c.PaymentType); {
	case w > 0 && ref.CreatedAt.Sub(c.CreatedAt) > w:
		ref.Status = api.RefundError
		ref.Error = paymentError(api.PaymentErrorRefundFailed, api.RefundPeriodExpiredMessage)
	case ref.Amount < full && !partialRefunds(c.PaymentType):
		ref.Status = api.RefundError
		ref.Error = paymentError(api.PaymentErrorPartialRefund, api.PartialRefundNotSupported)
	case refundFails(c.LastFour):
		ref.Status = api.RefundFailed
		ref.Error = paymentError(api.PaymentErrorRefundFailed, api.TestRefundFailedMessage)
	default:
		ref.Status = api.RefundSuccessful
	}
	if err := s.storage.UpdateRefund(ctx, ref); err != nil {
		return nil, false, err
	}
	return ref, true, nil
}

// runDueRefunds is the engine job of refunds.
func (s *Server) runDueRefunds(ctx context.Context, storeID string, now time.Time) {
	due, err := s.storage.ListDueRefunds(ctx, storeID, now)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("list due refunds", "err", err)
		}
		return
	}
	for _, ref := range due {
		if _, err := s.settleRefund(ctx, ref.ID); err != nil && ctx.Err() == nil {
			s.log.Error("settle refund", "refund_id", ref.ID, "err", err)
		}
	}
}

// refundView renders a refund as the API object.
func refundView(r *domain.Refund) *api.Refund {
	v := &api.Refund{
		ID:              r.ID,
		StoreID:         r.StoreID,
		ChargeID:        r.ChargeID,
		Status:          r.Status,
		Amount:          r.Amount,
		Currency:        r.Currency,
		AmountFormatted: api.FormatAmount(r.Amount, r.Currency),
		Reason:          r.Reason,
		Message:         r.Message,
		Error:           r.Error,
		Metadata:        r.Metadata,
		Mode:            r.Mode,
		CreatedOn:       api.FormatTime(r.CreatedAt),
	}
	if v.Metadata == nil {
		v.Metadata = api.Metadata{}
	}
	return v
}
