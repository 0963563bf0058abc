package server

import (
	"net/http"
	"strings"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// authorizationValidity is how long an authorization can be captured,
// counted from the charge's creation on the store's clock (docs/charges.md,
// "Authorization expiry").
const authorizationValidity = 60 * 24 * time.Hour

// captureRoutes registers the capture route.
func (s *Server) captureRoutes(m *apiMux) {
	s.handle(m, "POST /stores/{storeId}/charges/{chargeId}/capture", false,
		"Capture an authorized charge, all or part of the authorized amount.", s.handleCapture)
}

// handleCapture captures an authorized charge (docs/charges.md, "Capture"):
// the charge goes pending and, after the processing delay, successful with
// the captured amount charged (failed with 313 once the authorization has
// expired).
func (s *Server) handleCapture(r *http.Request, p *principal) (int, any, error) {
	storeID, id := r.PathValue("storeId"), r.PathValue("chargeId")
	if err := storeScoped(p, storeID); err != nil {
		return 0, nil, err
	}
	var req api.CaptureRequest
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	var errs []api.FieldError
	add := func(field, reason string) { errs = append(errs, api.FieldError{Field: field, Reason: reason}) }
	if req.ID != "" && !strings.EqualFold(strings.TrimSpace(req.ID), id) {
		add("id", api.ReasonMustMatchCharge)
	}
	if req.StoreID != "" && !strings.EqualFold(strings.TrimSpace(req.StoreID), storeID) {
		add("store_id", api.ReasonMustMatchCharge)
	}
	currency := checkAmountCurrency(req.Amount, req.Currency, add)
	if len(errs) > 0 {
		return 0, nil, api.ValidationError(errs...)
	}
	ctx := r.Context()
	// 404 for another store's charge; settles what is due first.
	if _, err := s.loadCharge(ctx, p, id); err != nil {
		return 0, nil, err
	}
	c, err := s.charges().locked(ctx, id, func(c *domain.Charge, now time.Time) error {
		if c.Status != api.ChargeAuthorized {
			return api.NewError(http.StatusBadRequest, api.CodeAlreadyCaptured)
		}
		if currency != c.Currency {
			return api.ValidationError(api.FieldError{Field: "currency", Reason: api.ReasonMustMatchCharge})
		}
		amount := int64(*req.Amount)
		if amount > c.Amount {
			return api.NewError(http.StatusBadRequest, api.CodeCaptureAmountTooLarge)
		}
		prev := *c
		c.Status = api.ChargePending
		c.ChargedAmount = &amount
		c.ChargedCurrency = ptr(c.Currency)
		c.CaptureAt = nil
		c.DueAt = ptr(now.Add(s.delay))
		c.UpdatedAt = now
		return s.saveCharge(ctx, &prev, c)
	})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, chargeView(c), nil
}

// dueAuthorized runs what is due on an authorized charge at now: the
// automatic capture of the whole amount at capture_at.
func (s *Server) dueAuthorized(c *domain.Charge, now time.Time) {
	if c.CaptureAt == nil {
		return
	}
	if now.Before(*c.CaptureAt) {
		c.DueAt = c.CaptureAt
		return
	}
	finishCapture(c, c.Amount, now)
}

// finishCapture completes the capture of amount of an authorized charge at
// now: successful with amount charged, or failed with payment error 313
// when the authorization has expired.
func finishCapture(c *domain.Charge, amount int64, now time.Time) {
	if !now.Before(c.CreatedAt.Add(authorizationValidity)) {
		c.Status = api.ChargeFailed
		c.ChargedAmount, c.ChargedCurrency = nil, nil
		c.Error = paymentError(api.PaymentErrorAuthorizationExpired, api.AuthorizationExpiredMessage)
		return
	}
	c.Status = api.ChargeSuccessful
	setCharged(c, amount)
}

// paymentError is the error object of a failed charge, refund or cancel;
// message is also its detail.
func paymentError(code int, message string) *api.PaymentError {
	return &api.PaymentError{Code: code, Message: message, Detail: message, Details: message}
}
