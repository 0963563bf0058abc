package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

func (s *Server) cancelRoutes(m *apiMux) {
	s.handle(m, "POST /stores/{storeId}/charges/{chargeId}/cancels", false,
		"Cancel an authorized or awaiting charge.", s.handleCreateCancel)
	s.handle(m, "GET /stores/{storeId}/charges/{chargeId}/cancels/{cancelId}", false,
		"Get a cancel; ?polling=true waits up to 3 s for it to leave pending.", s.handleGetCancel)
	s.handle(m, "GET /stores/{storeId}/charges/{chargeId}/cancels", false,
		"List the cancels of a charge.", s.handleListCancels)
	s.handle(m, "PATCH /stores/{storeId}/charges/{chargeId}/cancels/{cancelId}", false,
		"Update a cancel's metadata (merged into the stored metadata).", s.handleUpdateCancel)
}

// cancelFails reports whether a test cancel of a charge on a card with
// these last four digits fails (numbers ending 1881).
func cancelFails(lastFour string) bool { return lastFour == "1881" }

// cancelable reports whether a charge in status st can be canceled.
func cancelable(st api.ChargeStatus) bool {
	return st == api.ChargeAuthorized || st == api.ChargeAwaiting
}

// decodeOptionalBody is decodeBody for a body that may be empty.
func decodeOptionalBody(r *http.Request, dst any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return api.ValidationError(api.FieldError{Reason: api.ReasonInvalidFormat})
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return decodeBody(r, dst)
}

func (s *Server) handleCreateCancel(r *http.Request, p *principal) (int, any, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return 0, nil, err
	}
	var req api.CancelCreateRequest
	if err := decodeOptionalBody(r, &req); err != nil {
		return 0, nil, err
	}
	var errs []api.FieldError
	flatMetadata(req.Metadata, &errs)
	if len(errs) > 0 {
		return 0, nil, api.ValidationError(errs...)
	}
	ctx := r.Context()
	c, err := s.loadCharge(ctx, p, r.PathValue("chargeId"))
	if err != nil {
		return 0, nil, err
	}
	if !cancelable(c.Status) {
		return 0, nil, api.NewError(http.StatusBadRequest, api.CodeCancelNotAllowed)
	}
	now := s.clock.Now(c.StoreID)
	cn := &domain.Cancel{
		ID:         newID(),
		StoreID:    c.StoreID,
		MerchantID: c.MerchantID,
		ChargeID:   c.ID,
		Status:     api.CancelPending,
		Metadata:   req.Metadata,
		Mode:       c.Mode,
		DueAt:      ptr(now.Add(s.delay)),
		CreatedAt:  now,
		UpdatedAt:  now,
	}
	if cn.Metadata == nil {
		cn.Metadata = api.Metadata{}
	}
	if err := s.storage.CreateCancel(ctx, cn); err != nil {
		return 0, nil, err
	}
	s.schedule(cn.StoreID, *cn.DueAt)
	return http.StatusCreated, cancelView(cn), nil
}

func (s *Server) handleGetCancel(r *http.Request, p *principal) (int, any, error) {
	if err := storeScoped(p, r.PathValue("storeId")); err != nil {
		return 0, nil, err
	}
	polling, err := pollParam(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	chargeID, id := r.PathValue("chargeId"), r.PathValue("cancelId")
	cn, err := poll(ctx, s, polling, func() (*domain.Cancel, pollState, error) {
		cn, err := s.loadCancel(ctx, p, chargeID, id)
		if err != nil {
			return nil, pollState{}, err
		}
		return cn, pollState{Status: string(cn.Status), Final: cn.Status.Final(), StoreID: cn.StoreID, Due: cn.DueAt}, nil
	})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, cancelView(cn), nil
}

func (s *Server) handleListCancels(r *http.Request, p *principal) (int, any, error) {
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
	list, err := s.storage.ListCancels(ctx, domain.CancelQuery{Scope: domain.Scope{MerchantID: c.MerchantID, StoreID: storeID},
		Page: page, Filters: filters, ChargeID: c.ID})
	if err != nil {
		return 0, nil, listError(err)
	}
	return http.StatusOK, listView(list, cancelView), nil
}

func (s *Server) handleUpdateCancel(r *http.Request, p *principal) (int, any, error) {
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
	cn, err := s.loadCancel(ctx, p, r.PathValue("chargeId"), r.PathValue("cancelId"))
	if err != nil {
		return 0, nil, err
	}
	s.settleMu.Lock()
	defer s.settleMu.Unlock()
	if cn, err = s.storage.GetCancel(ctx, cn.ID); err != nil {
		return 0, nil, err
	}
	cn.Metadata = cn.Metadata.Merge(req.Metadata)
	cn.UpdatedAt = s.clock.Now(cn.StoreID)
	if err := s.storage.UpdateCancel(ctx, cn, nil); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, cancelView(cn), nil
}

// loadCancel returns a cancel of the caller's store and of that charge (404
// otherwise), after settling it if it is due.
func (s *Server) loadCancel(ctx context.Context, p *principal, chargeID, id string) (*domain.Cancel, error) {
	if !validUUID(id) || !validUUID(chargeID) {
		return nil, errNotFound
	}
	cn, err := s.storage.GetCancel(ctx, id)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && (cn.StoreID != p.app.StoreID || cn.ChargeID != chargeID)) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	if cn.DueAt != nil && !s.clock.Now(cn.StoreID).Before(*cn.DueAt) {
		return s.settleCancel(ctx, id)
	}
	return cn, nil
}

// settleCancel decides the outcome of a cancel whose DueAt has come
// (docs/charges.md, "Cancels"): successful cancels the charge, in the same
// storage transaction. It returns the cancel's current state; a cancel with
// nothing due is returned unchanged.
func (s *Server) settleCancel(ctx context.Context, id string) (*domain.Cancel, error) {
	cn, err := s.storage.GetCancel(ctx, id)
	if err != nil {
		return nil, err
	}
	if cn.DueAt == nil || s.clock.Now(cn.StoreID).Before(*cn.DueAt) {
		return cn, nil
	}
	// What was due on the charge first (a capture at capture_at, …).
	if _, err := s.settle(ctx, cn.ChargeID); err != nil {
		return nil, err
	}
	cn, changed, err := s.settleCancelLocked(ctx, id)
	if err != nil {
		return nil, err
	}
	if changed {
		s.notifyChange()
		s.emit(ctx, cn.StoreID, api.EventCancelFinished, cancelView(cn))
	}
	return cn, nil
}

func (s *Server) settleCancelLocked(ctx context.Context, id string) (*domain.Cancel, bool, error) {
	s.settleMu.Lock()
	defer s.settleMu.Unlock()
	cn, err := s.storage.GetCancel(ctx, id)
	if err != nil {
		return nil, false, err
	}
	now := s.clock.Now(cn.StoreID)
	if cn.DueAt == nil || now.Before(*cn.DueAt) {
		return cn, false, nil
	}
	c, err := s.storage.GetCharge(ctx, cn.ChargeID)
	if err != nil {
		return nil, false, err
	}
	prev := *c
	cn.DueAt = nil
	cn.UpdatedAt = now
	var canceled *domain.Charge
	switch {
	case !cancelable(c.Status): // captured or canceled meanwhile
		cn.Status = api.CancelFailed
		cn.Error = paymentError(api.PaymentErrorCancelFailed, api.ChargeNotCancelableMessage)
	case cancelFails(c.LastFour):
		cn.Status = api.CancelFailed
		cn.Error = paymentError(api.PaymentErrorCancelFailed, api.TestCancelFailedMessage)
	default:
		cn.Status = api.CancelSuccessful
		c.Status = api.ChargeCanceled
		c.DueAt = nil
		c.UpdatedAt = now
		canceled = c
	}
	if err := s.storage.UpdateCancel(ctx, cn, canceled); err != nil {
		return nil, false, err
	}
	if canceled != nil {
		s.chargeChanged(ctx, &prev, c)
	}
	return cn, true, nil
}

// runDueCancels is the engine job of cancels.
func (s *Server) runDueCancels(ctx context.Context, storeID string, now time.Time) {
	due, err := s.storage.ListDueCancels(ctx, storeID, now)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("list due cancels", "err", err)
		}
		return
	}
	for _, cn := range due {
		if _, err := s.settleCancel(ctx, cn.ID); err != nil && ctx.Err() == nil {
			s.log.Error("settle cancel", "cancel_id", cn.ID, "err", err)
		}
	}
}

// cancelView renders a cancel as the API object.
func cancelView(c *domain.Cancel) *api.Cancel {
	v := &api.Cancel{
		ID:        c.ID,
		ChargeID:  c.ChargeID,
		StoreID:   c.StoreID,
		Status:    c.Status,
		Error:     c.Error,
		Metadata:  c.Metadata,
		Mode:      c.Mode,
		CreatedOn: api.FormatTime(c.CreatedAt),
	}
	if v.Metadata == nil {
		v.Metadata = api.Metadata{}
	}
	return v
}
