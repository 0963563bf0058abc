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
		"Get a refund; ?polling=true waits up to 3 s for it to leave pending.", viewed(s.refunds().read, refundView))
	s.handle(m, "GET /stores/{storeId}/charges/{chargeId}/refunds", false,
		"List the refunds of a charge.", s.handleListRefunds)
	s.handle(m, "PATCH /stores/{storeId}/charges/{chargeId}/refunds/{refundId}", false,
		"Update a refund's metadata (merged into the stored metadata).", viewed(s.refunds().updateMetadata, refundView))
	s.handle(m, "PATCH /stores/{storeId}/refunds/{refundId}", false,
		"Update a refund's metadata (the path of the UnivaPay documentation's example).", viewed(s.refunds().updateMetadata, refundView))
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
	currency := checkAmountCurrency(req.Amount, req.Currency, add)
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

// refunds describes refunds for the code they share with charges and
// cancels (resource.go).
func (s *Server) refunds() *resource[domain.Refund] {
	return &resource[domain.Refund]{
		s: s, name: "refund", param: "refundId",
		get: s.storage.GetRefund, update: s.storage.UpdateRefund, settle: s.settleRefund, listDue: s.storage.ListDueRefunds,
		list: func(ctx context.Context, q childQuery) (domain.List[*domain.Refund], error) {
			return s.storage.ListRefunds(ctx, domain.RefundQuery(q))
		},
		state: func(r *domain.Refund) resourceState {
			return resourceState{ID: r.ID, ChargeID: r.ChargeID,
				pollState: pollState{Status: string(r.Status), Final: r.Status.Final(), StoreID: r.StoreID, Due: r.DueAt}}
		},
		metadata: func(r *domain.Refund) (*api.Metadata, *time.Time) { return &r.Metadata, &r.UpdatedAt },
		outbox:   func(r *domain.Refund) *domain.Outbox { return &r.Outbox },
	}
}

func (s *Server) handleListRefunds(r *http.Request, p *principal) (int, any, error) {
	list, err := s.refunds().listOfCharge(r, p)
	if err != nil {
		return 0, nil, err
	}
	names := s.storeNames(r.Context())
	return http.StatusOK, listView(list, func(ref *domain.Refund) api.RefundListItem {
		n, _ := names.of(ref.StoreID) // a name that cannot be read stays empty
		return api.RefundListItem{Refund: *refundView(ref), StoreNames: n}
	}), nil
}

// settleRefund decides the outcome of a refund whose DueAt has come
// (docs/charges.md, "Refunds") and returns its current state; a refund with
// nothing due is returned unchanged.
func (s *Server) settleRefund(ctx context.Context, id string) (*domain.Refund, error) {
	return s.refunds().settleChild(ctx, id,
		func(ref *domain.Refund, now time.Time) error {
			c, err := s.storage.GetCharge(ctx, ref.ChargeID)
			if err != nil {
				return err
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
			s.event(&ref.Outbox, ref.StoreID, api.EventRefundFinished, refundView(ref))
			return s.storage.UpdateRefund(ctx, ref)
		})
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
