package server

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Leases (docs/postgres.md, "Several processes"): a unit of work that must
// run once across the processes of one database (a settlement, a
// subscription change, a webhook's deliveries, an Idempotency-Key) is done
// holding a lease stored in the database, never only an in-process lock.
// A lease expires: the work of a killed process is taken over once its
// lease has run out.

const (
	// settleLeaseTTL bounds a settlement or a subscription change.
	settleLeaseTTL = 15 * time.Second
	// leaseMaxWait is the longest pause between two tries of a busy lease.
	leaseMaxWait = 20 * time.Millisecond
)

// holderID is a new, unique lease holder: one per acquisition, so that
// two goroutines of one process exclude each other too.
func holderID() string { return uuid.NewString() }

// tryLease takes the lease key for ttl if it is free; release frees it.
func (s *Server) tryLease(ctx context.Context, key string, ttl time.Duration) (release func(), ok bool, err error) {
	holder := holderID()
	ok, err = s.storage.AcquireLease(ctx, key, holder, ttl)
	if err != nil || !ok {
		return nil, false, err
	}
	return func() {
		if err := s.storage.ReleaseLease(context.WithoutCancel(ctx), key, holder); err != nil {
			s.log.Error("release lease", "key", key, "err", err)
		}
	}, true, nil
}

// lease takes the lease key for ttl, waiting while another holder has
// it; it fails when ctx ends first or the storage fails.
func (s *Server) lease(ctx context.Context, key string, ttl time.Duration) (release func(), err error) {
	wait := time.Millisecond
	for {
		release, ok, err := s.tryLease(ctx, key, ttl)
		if err != nil || ok {
			return release, err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, leaseMaxWait)
	}
}

// lockSubscriptions serialises the read-modify-write of subscriptions
// across processes (lockShared with subMu and the lease "subscriptions").
func (s *Server) lockSubscriptions(ctx context.Context) (unlock func(), err error) {
	return s.lockShared(ctx, &s.subMu, "subscriptions")
}

// lockSetup serialises the creation of the demo store, of app tokens and
// of the signing key, and store configuration changes, across processes.
func (s *Server) lockSetup(ctx context.Context) (unlock func(), err error) {
	return s.lockShared(ctx, &s.setupMu, "setup")
}

// lockShared takes mu in this process (a fast path), then the lease key
// in the database; unlock releases both.
func (s *Server) lockShared(ctx context.Context, mu *sync.Mutex, key string) (unlock func(), err error) {
	mu.Lock()
	release, err := s.lease(ctx, key, settleLeaseTTL)
	if err != nil {
		mu.Unlock()
		return nil, err
	}
	return func() {
		release()
		mu.Unlock()
	}, nil
}
