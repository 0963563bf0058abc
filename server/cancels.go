package server

import (
	"bytes"
	"context"
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
		"Get a cancel; ?polling=true waits up to 3 s for it to leave pending.", viewed(s.cancels().read, cancelView))
	s.handle(m, "GET /stores/{storeId}/charges/{chargeId}/cancels", false,
		"List the cancels of a charge.", s.handleListCancels)
	s.handle(m, "PATCH /stores/{storeId}/charges/{chargeId}/cancels/{cancelId}", false,
		"Update a cancel's metadata (merged into the stored metadata).", viewed(s.cancels().updateMetadata, cancelView))
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

// cancels describes cancels for the code they share with charges and
// refunds (resource.go).
func (s *Server) cancels() *resource[domain.Cancel] {
	return &resource[domain.Cancel]{
		s: s, name: "cancel", param: "cancelId",
		get: s.storage.GetCancel, settle: s.settleCancel, listDue: s.storage.ListDueCancels,
		update: func(ctx context.Context, cn *domain.Cancel) error { return s.storage.UpdateCancel(ctx, cn, nil) },
		list: func(ctx context.Context, q childQuery) (domain.List[*domain.Cancel], error) {
			return s.storage.ListCancels(ctx, domain.CancelQuery(q))
		},
		state: func(cn *domain.Cancel) resourceState {
			return resourceState{ID: cn.ID, ChargeID: cn.ChargeID,
				pollState: pollState{Status: string(cn.Status), Final: cn.Status.Final(), StoreID: cn.StoreID, Due: cn.DueAt}}
		},
		metadata: func(cn *domain.Cancel) (*api.Metadata, *time.Time) { return &cn.Metadata, &cn.UpdatedAt },
		outbox:   func(cn *domain.Cancel) *domain.Outbox { return &cn.Outbox },
	}
}

func (s *Server) handleListCancels(r *http.Request, p *principal) (int, any, error) {
	list, err := s.cancels().listOfCharge(r, p)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, listView(list, cancelView), nil
}

// settleCancel decides the outcome of a cancel whose DueAt has come
// (docs/charges.md, "Cancels"): successful cancels the charge, in the same
// storage transaction. It returns the cancel's current state; a cancel with
// nothing due is returned unchanged.
func (s *Server) settleCancel(ctx context.Context, id string) (*domain.Cancel, error) {
	k := s.cancels()
	cn, err := k.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !k.due(cn, s.clock.Now(cn.StoreID)) {
		return cn, nil
	}
	// What was due on the charge first (a capture at capture_at, …).
	if _, err := s.settle(ctx, cn.ChargeID); err != nil {
		return nil, err
	}
	return k.settleChild(ctx, id,
		func(cn *domain.Cancel, now time.Time) error {
			c, err := s.storage.GetCharge(ctx, cn.ChargeID)
			if err != nil {
				return err
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
				s.chargeFollowUps(&prev, c)
			}
			s.event(&cn.Outbox, cn.StoreID, api.EventCancelFinished, cancelView(cn))
			if err := s.storage.UpdateCancel(ctx, cn, canceled); err != nil {
				return err
			}
			if canceled != nil {
				s.chargeChanged(ctx, &prev, c)
			}
			return nil
		})
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
