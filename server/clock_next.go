package server

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"time"

	"kessai/api"
)

// The clock's next scheduled event and what a move of the clock ran
// (docs/sandbox.md, "The clock"): Kessai additions for the dashboard's
// clock page and for tests that step from one event to the next.

// SandboxEvent is the next work scheduled in a store.
type SandboxEvent struct {
	// Type is what is due: charge (to settle or capture), refund, cancel,
	// subscription (a payment) or webhook (a delivery or retry).
	Type string `json:"type"`
	ID   string `json:"id"`
	On   string `json:"on"`
}

// SandboxRan is a status change made while the clock moved.
type SandboxRan struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	// From is null for a resource created meanwhile (a subscription's
	// payment).
	From *string `json:"from"`
	To   string  `json:"to"`
}

// nextEvent returns the store's earliest scheduled work, nil when none is.
func (s *Server) nextEvent(ctx context.Context, storeID string) (*SandboxEvent, error) {
	far := s.clock.Now(storeID).AddDate(100, 0, 0)
	var best *SandboxEvent
	var bestAt time.Time
	consider := func(typ, id string, at *time.Time) {
		if at != nil && (best == nil || at.Before(bestAt)) {
			best, bestAt = &SandboxEvent{Type: typ, ID: id}, *at
		}
	}
	charges, err := s.storage.ListDueCharges(ctx, storeID, far)
	if err != nil {
		return nil, err
	}
	for _, c := range charges {
		consider("charge", c.ID, c.DueAt)
	}
	refunds, err := s.storage.ListDueRefunds(ctx, storeID, far)
	if err != nil {
		return nil, err
	}
	for _, r := range refunds {
		consider("refund", r.ID, r.DueAt)
	}
	cancels, err := s.storage.ListDueCancels(ctx, storeID, far)
	if err != nil {
		return nil, err
	}
	for _, c := range cancels {
		consider("cancel", c.ID, c.DueAt)
	}
	subs, err := s.storage.ListDueSubscriptions(ctx, storeID, far)
	if err != nil {
		return nil, err
	}
	for _, sub := range subs {
		consider("subscription", sub.ID, sub.DueAt)
	}
	deliveries, err := s.storage.ListDueWebhookDeliveries(ctx, storeID, far)
	if err != nil {
		return nil, err
	}
	for _, d := range deliveries {
		consider("webhook", d.ID, d.DueAt)
	}
	if best != nil {
		best.On = api.FormatTime(bestAt)
	}
	return best, nil
}

func (s *Server) handleClockNext(r *http.Request, p *principal) (int, any, error) {
	ev, err := s.nextEvent(r.Context(), p.app.StoreID)
	if err != nil {
		return 0, nil, err
	}
	if ev == nil {
		return 0, nil, api.NewError(http.StatusConflict, api.CodeNothingScheduled)
	}
	at, _ := api.ParseTime(ev.On)
	if now := s.clock.Now(p.app.StoreID); at.Before(now) {
		at = now // overdue: run it now
	}
	return s.moveClock(r.Context(), p.app.StoreID, at)
}

// ranKey is the context key of the changes a clock move collects.
type ranKey struct{}

// ranList collects the status changes made during a request.
type ranList struct {
	mu  sync.Mutex
	ran []SandboxRan
}

// withRan returns ctx collecting the status changes made under it (ctx
// itself if it does already).
func withRan(ctx context.Context) (context.Context, *ranList) {
	if l, _ := ctx.Value(ranKey{}).(*ranList); l != nil {
		return ctx, l
	}
	l := &ranList{}
	return context.WithValue(ctx, ranKey{}, l), l
}

// noteRan adds a status change to the list of ctx, if it has one.
func noteRan(ctx context.Context, typ, id, from, to string) {
	l, _ := ctx.Value(ranKey{}).(*ranList)
	if l == nil {
		return
	}
	r := SandboxRan{Type: typ, ID: id, To: to}
	if from != "" {
		r.From = &from
	}
	l.mu.Lock()
	l.ran = append(l.ran, r)
	l.mu.Unlock()
}

// list returns the changes collected, oldest first, never nil.
func (l *ranList) list() []SandboxRan {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]SandboxRan{}, slices.Clip(l.ran)...)
}
