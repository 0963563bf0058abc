package server

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// Follow-ups (docs/architecture.md, "Crashes"): the consequences of a
// change of a charge, refund, cancel, subscription or token (its webhook
// events, a subscription following its charge) are added to the record's
// Outbox before the write that stores the change, so that the storage keeps
// them with it. After the write, followUp does them and clears them. What
// a process could not do (it stopped, the database failed) stays in the
// record, and the engine of any process does it (runFollowUps). Doing a
// follow-up twice has the effect of doing it once: an event keeps its ID,
// and the storage makes one delivery per event and webhook; a subscription
// follows a change of its charge once (followCharge).

// followUpGrace is how long (real time) the engine leaves a follow-up to
// the process that made it before doing it itself; a server's first
// engine pass does them all.
const followUpGrace = 5 * time.Second

// maxFollowUpsPerRun bounds the records one engine pass looks at.
const maxFollowUpsPerRun = 1000

// event adds a webhook event of a store to o, to be stored with o's
// record; data is the resource as the API returns it, or nil for the
// record's view when the event is recorded (liveView).
func (s *Server) event(o *domain.Outbox, storeID string, ev api.WebhookEvent, data any) {
	f := domain.FollowUp{ID: newID(), StoreID: storeID, Event: ev, Created: time.Now()}
	if data != nil {
		raw, err := json.Marshal(data)
		if err != nil {
			s.log.Error("webhook event not recorded", "store_id", storeID, "event", ev, "err", err)
			return
		}
		f.Data = string(raw)
	}
	o.Add(f)
}

// followUp does the follow-ups of a record just written and clears them.
// A failure is logged and left to the engine.
func (s *Server) followUp(ctx context.Context, kind, id string, o *domain.Outbox) {
	if len(o.FollowUps) == 0 {
		return
	}
	ctx = context.WithoutCancel(ctx)
	if err := s.doFollowUps(ctx, domain.FollowUpRef{Kind: kind, ID: id}, o); err != nil {
		s.log.Error("follow-ups left to the engine", "kind", kind, "id", id, "err", err)
		return
	}
	o.Clear()
}

// doFollowUps does the follow-ups o of the record ref, in order, then
// clears them from the stored record (unless others were added meanwhile).
func (s *Server) doFollowUps(ctx context.Context, ref domain.FollowUpRef, o *domain.Outbox) error {
	recorded := false
	for _, f := range o.FollowUps {
		switch {
		case f.Event != "":
			var data any = json.RawMessage(f.Data)
			if f.Data == "" {
				v, err := s.liveView(ctx, ref)
				if errors.Is(err, domain.ErrNotFound) {
					continue // the record was removed (a creation undone)
				}
				if err != nil {
					return err
				}
				data = v
			}
			n, err := s.recordEvent(ctx, f.StoreID, f.Event, data, f.ID)
			if err != nil {
				return err
			}
			recorded = recorded || n > 0
		case f.Charge != nil:
			if err := s.followChargeChange(ctx, f.Charge); err != nil {
				return err
			}
		}
	}
	if recorded {
		s.kickEngine()
	}
	return s.storage.ClearFollowUps(ctx, ref, o.FollowUpMark)
}

// liveView is the API view of a record, for the events whose data is
// read when they are recorded.
func (s *Server) liveView(ctx context.Context, ref domain.FollowUpRef) (any, error) {
	if ref.Kind != domain.KindSubscription {
		return nil, errors.New("no live view of " + ref.Kind + " records")
	}
	sub, err := s.storage.GetSubscription(ctx, ref.ID)
	if err != nil {
		return nil, err
	}
	return subscriptionView(sub), nil
}

// followChargeChange lets a subscription follow a change of its charge:
// the charge as it is now, with the status the change gave it.
func (s *Server) followChargeChange(ctx context.Context, ch *domain.ChargeChange) error {
	c, err := s.storage.GetCharge(ctx, ch.ChargeID)
	if errors.Is(err, domain.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	c.Status = ch.Status
	var prev *domain.Charge
	if !ch.New {
		p := *c
		p.Status, p.DueAt = ch.PrevStatus, ch.PrevDueAt
		prev = &p
	}
	return s.subscriptionChargeChanged(ctx, prev, c)
}

// outboxOf reads the follow-ups of the record ref.
func (s *Server) outboxOf(ctx context.Context, ref domain.FollowUpRef) (*domain.Outbox, error) {
	switch ref.Kind {
	case domain.KindCharge:
		c, err := s.storage.GetCharge(ctx, ref.ID)
		if err != nil {
			return nil, err
		}
		return &c.Outbox, nil
	case domain.KindRefund:
		r, err := s.storage.GetRefund(ctx, ref.ID)
		if err != nil {
			return nil, err
		}
		return &r.Outbox, nil
	case domain.KindCancel:
		cn, err := s.storage.GetCancel(ctx, ref.ID)
		if err != nil {
			return nil, err
		}
		return &cn.Outbox, nil
	case domain.KindSubscription:
		sub, err := s.storage.GetSubscription(ctx, ref.ID)
		if err != nil {
			return nil, err
		}
		return &sub.Outbox, nil
	case domain.KindToken:
		tok, err := s.storage.GetToken(ctx, ref.ID)
		if err != nil {
			return nil, err
		}
		return &tok.Outbox, nil
	}
	return nil, errors.New("no follow-ups in " + ref.Kind + " records")
}

// runFollowUps is the engine's job of follow-ups: it does those left in
// records by a process that stopped or failed after the change. The first
// pass of a server does them all; later passes those older than
// followUpGrace, which their own process normally did already.
func (s *Server) runFollowUps(ctx context.Context) {
	refs, err := s.storage.PendingFollowUps(ctx, maxFollowUpsPerRun)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("engine: list follow-ups", "err", err)
		}
		return
	}
	for _, ref := range refs {
		if ctx.Err() != nil {
			return
		}
		o, err := s.outboxOf(ctx, ref)
		if errors.Is(err, domain.ErrNotFound) {
			continue
		}
		if err == nil && len(o.FollowUps) > 0 && (!s.followUpsStarted || time.Since(o.FollowUps[0].Created) >= followUpGrace) {
			err = s.doFollowUps(ctx, ref, o)
		}
		if err != nil && ctx.Err() == nil {
			s.log.Error("engine: follow-ups", "kind", ref.Kind, "id", ref.ID, "err", err)
		}
	}
	s.followUpsStarted = true
}
