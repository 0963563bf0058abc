package server

import (
	"context"
	"net/http"
	"time"

	"kessai/api"
)

// DefaultPollWait is how long GET ...?polling=true waits for a status change
// (docs/sandbox-api.md, "Polling").
const DefaultPollWait = 3 * time.Second

// DefaultMaxPolls is how many polling requests may wait at once in one
// process: a flood of polls holds at most this many goroutines and
// requests (docs/threat-model.md, "Load").
const DefaultMaxPolls = 4096

// pollParam reads the polling query parameter: "true", "false" or absent.
func pollParam(r *http.Request) (bool, error) {
	switch r.URL.Query().Get("polling") {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, api.ValidationError(api.FieldError{Field: "polling", Reason: api.ReasonInvalidFormat})
}

// pollState is what polling needs to know of a resource.
type pollState struct {
	Status string
	// Final: no further change is expected; the poll answers at once.
	Final bool
	// StoreID and Due: when the sandbox will next act on the resource
	// (on that store's clock), nil if nothing is scheduled.
	StoreID string
	Due     *time.Time
}

// poll loads a resource and, when polling, waits until its status differs
// from the first load's, or it is final, or the poll wait (Config.PollWait) has passed, and
// returns the latest state. load should run what is due (settle) so that a
// poll sees the change as soon as its time has come.
func poll[T any](ctx context.Context, s *Server, polling bool, load func() (T, pollState, error)) (T, error) {
	v, st, err := load()
	if err != nil || !polling || st.Final {
		return v, err
	}
	// A poll may always answer before a change; when every slot is taken
	// it answers at once, and the client polls again.
	select {
	case s.polls <- struct{}{}:
		defer func() { <-s.polls }()
	default:
		return v, nil
	}
	initial := st.Status
	deadline := time.NewTimer(s.pollWait)
	defer deadline.Stop()
	for {
		changed := s.changes()
		if v, st, err = load(); err != nil || st.Status != initial || st.Final {
			return v, err
		}
		var due <-chan time.Time
		if st.Due != nil {
			t := time.NewTimer(max(st.Due.Sub(s.clock.Now(st.StoreID)), time.Millisecond))
			defer t.Stop()
			due = t.C
		}
		select {
		case <-changed:
		case <-due:
		case <-deadline.C:
			return v, nil
		case <-ctx.Done():
			return v, ctx.Err()
		}
	}
}
