package server

import (
	"context"
	"time"
)

// The sandbox engine runs the work the sandbox schedules for later: settle
// pending charges and CVV authorizations, capture at capture_at, finish
// refunds and cancels, deliver and retry webhooks; and do the follow-ups a
// change left undone (followups.go). Each job is called for
// every store with that store's clock time (Clock), when the engine is
// kicked (something became due, a clock moved) and once a second as a
// safety net.

// engineJob does the work of one kind that is due in a store at now.
type engineJob struct {
	name string
	run  func(ctx context.Context, storeID string, now time.Time)
}

// jobs lists the engine's jobs, in the order they run. Each lives beside
// the resource it acts on (charges, refunds and cancels share resource.runDue).
func (s *Server) jobs() []engineJob {
	return []engineJob{
		{"charges", s.charges().runDue},
		{"cvv authorizations", s.runDueCVVAuths},
		{"3-D Secure time-outs", s.runDueThreeDS},
		{"refunds", s.refunds().runDue},
		{"cancels", s.cancels().runDue},
		{"subscriptions", s.runDueSubscriptions},
		{"webhooks", s.runDueWebhooks},
	}
}

// kickEngine wakes the engine now.
func (s *Server) kickEngine() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// schedule wakes the engine when a store's clock reaches at.
func (s *Server) schedule(storeID string, at time.Time) {
	time.AfterFunc(max(at.Sub(s.clock.Now(storeID)), 0), s.kickEngine)
}

// engineLoop runs the jobs: at start (work left by a previous run), when
// kicked, and every second.
func (s *Server) engineLoop(ctx context.Context) {
	defer s.wg.Done()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		s.runJobs(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-s.kick:
		}
	}
}

// runJobs runs every due job of every store once (tests and
// POST /sandbox/clock/* call it so that the effects of moving the clock are
// visible in the response).
func (s *Server) runJobs(ctx context.Context) {
	s.jobMu.Lock()
	defer s.jobMu.Unlock()
	stores, err := s.storage.ListStores(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("engine: list stores", "err", err)
		}
		return
	}
	s.runFollowUps(ctx)
	for _, st := range stores {
		s.clock.Refresh(ctx, st.ID) // moved by another process, perhaps
		for _, j := range s.jobs() {
			if ctx.Err() != nil {
				return
			}
			j.run(ctx, st.ID, s.clock.Now(st.ID))
		}
	}
}
