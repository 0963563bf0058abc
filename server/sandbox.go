package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"kessai/api"
)

// The sandbox control surface (docs/sandbox.md): paths under /sandbox/,
// apart from the UnivaPay API, for tests of a merchant's integration. Every
// route needs the secret and acts on the app token's own store.

// sandboxRoutes registers the sandbox control surface under /sandbox/.
func (s *Server) sandboxRoutes(m *apiMux) {
	s.handle(m, "GET /sandbox/clock", false, "Sandbox: the store's clock (now, and its offset from real time).", s.handleGetClock)
	s.handle(m, "POST /sandbox/clock/advance", false, `Sandbox: move the store's clock forward ({"duration":"P1M"}, ISO-8601 or Go) and run what became due.`, s.handleAdvanceClock)
	s.handle(m, "POST /sandbox/clock/set", false, `Sandbox: set the store's clock to a later time ({"time":"2030-01-01T00:00:00Z"}) and run what became due.`, s.handleSetClock)
	s.handle(m, "POST /sandbox/clock/next", false, "Sandbox: move the store's clock to its next scheduled event (GET /sandbox/clock's next_event) and run it.", s.handleClockNext)
	s.handle(m, "POST /sandbox/reset", false, "Sandbox: delete the store's tokens, charges and everything else it holds, and reset its clock (the store, its configuration and app tokens stay).", s.handleReset)
	s.handle(m, "GET /sandbox/store_configuration", false, "Sandbox: the store's configuration (docs/sandbox.md).", s.handleGetStoreConfiguration)
	s.handle(m, "PATCH /sandbox/store_configuration", false, "Sandbox: change some keys of the store's configuration (the others keep their values).", s.handlePatchStoreConfiguration)
	s.handle(m, "PUT /sandbox/store_configuration", false, "Sandbox: replace the store's configuration (absent keys take their defaults).", s.handlePutStoreConfiguration)
	s.sandboxPaymentRoutes(m)
	s.sandboxPageRoutes(m)
}

// SandboxClock is the body of the /sandbox/clock routes.
type SandboxClock struct {
	// Now is the store's sandbox time.
	Now string `json:"now"`
	// Offset is how far the store's clock is ahead of real time
	// (ISO-8601, rounded to the second).
	Offset string `json:"offset"`
	// NextEvent is the store's next scheduled work, null when none is
	// (GET only).
	NextEvent *SandboxEvent `json:"next_event,omitempty"`
	// Ran lists the status changes the move made (the moves only).
	Ran []SandboxRan `json:"ran,omitempty"`
}

func (s *Server) clockView(storeID string) SandboxClock {
	return SandboxClock{Now: api.FormatTime(s.clock.Now(storeID)), Offset: api.DurationOf(s.clock.Offset(storeID)).String()}
}

func (s *Server) handleGetClock(r *http.Request, p *principal) (int, any, error) {
	v := s.clockView(p.app.StoreID)
	ev, err := s.nextEvent(r.Context(), p.app.StoreID)
	if err != nil {
		return 0, nil, err
	}
	v.NextEvent = ev
	return http.StatusOK, v, nil
}

// clockTarget returns the time POST /sandbox/clock/advance moves a clock
// at now to: duration is ISO-8601 (P1M, PT36H, P1DT12H; calendar units in
// Japan time) or a Go duration (36h, 90m, 1h30m).
func clockTarget(now time.Time, duration string) (time.Time, bool) {
	duration = strings.TrimSpace(duration)
	if strings.HasPrefix(strings.ToUpper(duration), "P") {
		d, ok := api.ParseDuration(duration)
		return addInJapan(d, now), ok
	}
	d, err := time.ParseDuration(duration)
	return now.Add(d), err == nil && d >= 0
}

func (s *Server) handleAdvanceClock(r *http.Request, p *principal) (int, any, error) {
	var req struct {
		Duration *string `json:"duration"`
	}
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	if req.Duration == nil || strings.TrimSpace(*req.Duration) == "" {
		return 0, nil, api.ValidationError(api.FieldError{Field: "duration", Reason: api.ReasonRequiredValue})
	}
	if _, ok := clockTarget(s.clock.Now(p.app.StoreID), *req.Duration); !ok {
		return 0, nil, api.ValidationError(api.FieldError{Field: "duration", Reason: api.ReasonInvalidFormat})
	}
	// The target is taken from the clock once the engine is held, not
	// before: moveClock may wait for an engine pass, during which real time
	// (and the clock) goes on, and "PT0S" must still mean "now".
	return s.moveClockBy(r.Context(), p.app.StoreID, func(now time.Time) time.Time {
		to, _ := clockTarget(now, *req.Duration)
		return to
	})
}

func (s *Server) handleSetClock(r *http.Request, p *principal) (int, any, error) {
	var req struct {
		Time *string `json:"time"`
	}
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	if req.Time == nil || strings.TrimSpace(*req.Time) == "" {
		return 0, nil, api.ValidationError(api.FieldError{Field: "time", Reason: api.ReasonRequiredValue})
	}
	t, err := api.ParseTime(strings.TrimSpace(*req.Time))
	if err != nil {
		return 0, nil, api.ValidationError(api.FieldError{Field: "time", Reason: api.ReasonInvalidFormatDate})
	}
	return s.moveClock(r.Context(), p.app.StoreID, t)
}

// moveClock sets a store's clock to t (not backwards) and runs the engine
// once, so that what became due (charges settled, webhooks delivered, …)
// is done when the response is sent; the response lists the status
// changes made. The engine's loop waits meanwhile, so that it is this
// request that runs what became due.
func (s *Server) moveClock(ctx context.Context, storeID string, t time.Time) (int, any, error) {
	return s.moveClockBy(ctx, storeID, func(time.Time) time.Time { return t })
}

// moveClockBy is moveClock to the time that to gives from the store's
// current time, read once the engine is held.
func (s *Server) moveClockBy(ctx context.Context, storeID string, to func(now time.Time) time.Time) (int, any, error) {
	ctx, ran := withRan(ctx)
	s.jobMu.Lock()
	_, err := s.clock.Set(ctx, storeID, to(s.clock.Now(storeID)))
	if err == nil {
		s.runJobsLocked(ctx)
	}
	s.jobMu.Unlock()
	if err != nil {
		return 0, nil, err
	}
	v := s.clockView(storeID)
	v.Ran = ran.list()
	return http.StatusOK, v, nil
}

// SandboxReset is the body of POST /sandbox/reset.
type SandboxReset struct {
	StoreID string `json:"store_id"`
	// Deleted counts the deleted records by kind (table).
	Deleted map[string]int `json:"deleted"`
	Clock   SandboxClock   `json:"clock"`
}

func (s *Server) handleReset(r *http.Request, p *principal) (int, any, error) {
	ctx := r.Context()
	storeID := p.app.StoreID
	// No engine pass or settlement runs meanwhile.
	s.jobMu.Lock()
	s.settleMu.Lock()
	deleted, err := s.storage.ResetStore(ctx, storeID)
	if err == nil {
		err = s.clock.Reset(ctx, storeID)
	}
	s.settleMu.Unlock()
	s.jobMu.Unlock()
	if err != nil {
		return 0, nil, err
	}
	s.notifyChange()
	return http.StatusOK, SandboxReset{StoreID: storeID, Deleted: deleted, Clock: s.clockView(storeID)}, nil
}

func (s *Server) handleGetStoreConfiguration(r *http.Request, p *principal) (int, any, error) {
	doc, err := s.StoreConfiguration(r.Context(), p.app.StoreID)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, doc, nil
}

func (s *Server) handlePatchStoreConfiguration(r *http.Request, p *principal) (int, any, error) {
	return s.configureFromRequest(r, p, false)
}

func (s *Server) handlePutStoreConfiguration(r *http.Request, p *principal) (int, any, error) {
	return s.configureFromRequest(r, p, true)
}

func (s *Server) configureFromRequest(r *http.Request, p *principal, replace bool) (int, any, error) {
	var raw json.RawMessage
	if err := decodeBody(r, &raw); err != nil {
		return 0, nil, err
	}
	doc, err := s.ConfigureStore(r.Context(), p.app.StoreID, raw, replace)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, doc, nil
}
