package server

import (
	"context"
	"encoding/binary"
	"errors"
	"sync"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// Clock is the sandbox clock (docs/sandbox.md). Each store has its own
// time: the real time plus an offset that only ever grows, moved by
// POST /sandbox/clock/advance and /sandbox/clock/set. Every time-based rule
// of a store (processing delays, token expiry, capture_at, idempotency
// retention, rate-limit refill, webhook retries, …) reads Now of that store,
// so a test moves the clock instead of sleeping.
//
// Offsets are kept in the settings of the Storage and cached in memory;
// Refresh reloads them.
type Clock struct {
	real     func() time.Time
	settings domain.SettingStorage
	changed  func() // called after a store's clock moved

	mu      sync.Mutex
	offsets map[string]time.Duration
}

// NewClock returns a Clock over real time (time.Now when nil).
func NewClock(real func() time.Time, settings domain.SettingStorage, changed func()) *Clock {
	if real == nil {
		real = time.Now
	}
	if changed == nil {
		changed = func() {}
	}
	return &Clock{real: real, settings: settings, changed: changed, offsets: map[string]time.Duration{}}
}

func clockKey(storeID string) string { return "sandbox_clock/" + storeID }

// offset returns the store's offset, loading it on first use.
func (c *Clock) offset(storeID string) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offsetLocked(storeID)
}

func (c *Clock) offsetLocked(storeID string) time.Duration {
	if d, ok := c.offsets[storeID]; ok {
		return d
	}
	c.loadLocked(context.Background(), storeID)
	return c.offsets[storeID]
}

// loadLocked reads a store's offset from the storage into the cache; on
// a failure the cache is left as it is.
func (c *Clock) loadLocked(ctx context.Context, storeID string) {
	var d time.Duration
	if storeID != "" {
		b, err := c.settings.GetSetting(ctx, clockKey(storeID))
		switch {
		case err == nil && len(b) == 8:
			d = time.Duration(binary.BigEndian.Uint64(b))
		case err != nil && !errors.Is(err, domain.ErrNotFound):
			if _, ok := c.offsets[storeID]; ok {
				return
			}
		}
	}
	c.offsets[storeID] = d
}

// Refresh reloads a store's offset from the storage, where another
// process on the same database may have moved it (docs/postgres.md,
// "Several processes"). Each request of a store and each engine pass
// calls it.
func (c *Clock) Refresh(ctx context.Context, storeID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.loadLocked(ctx, storeID)
}

// Now returns the current sandbox time of a store, in UTC.
func (c *Clock) Now(storeID string) time.Time {
	return c.real().Add(c.offset(storeID)).UTC()
}

// Offset returns how far a store's clock is ahead of real time.
func (c *Clock) Offset(storeID string) time.Duration { return c.offset(storeID) }

// ErrClockBackwards is returned when a clock would move back in time.
var ErrClockBackwards = api.ValidationError(api.FieldError{Field: "time", Reason: api.ReasonMustBeFutureTime})

// Advance moves a store's clock forward by d (d ≥ 0) and returns its new
// time.
func (c *Clock) Advance(ctx context.Context, storeID string, d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, api.ValidationError(api.FieldError{Field: "duration", Reason: api.ReasonInvalidFormat})
	}
	return c.Set(ctx, storeID, c.Now(storeID).Add(d))
}

// Set moves a store's clock to t, which must not be before its current
// time, and returns the new time.
func (c *Clock) Set(ctx context.Context, storeID string, t time.Time) (time.Time, error) {
	if storeID == "" {
		return time.Time{}, errors.New("clock: no store")
	}
	c.mu.Lock()
	c.loadLocked(ctx, storeID) // as another process may have moved it
	cur := c.offsetLocked(storeID)
	off := t.Sub(c.real())
	if off < cur {
		// Allow "set to now" races of a few microseconds.
		if cur-off > time.Millisecond {
			c.mu.Unlock()
			return time.Time{}, ErrClockBackwards
		}
		off = cur
	}
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, uint64(off))
	if err := c.settings.PutSetting(ctx, clockKey(storeID), b); err != nil {
		c.mu.Unlock()
		return time.Time{}, err
	}
	c.offsets[storeID] = off
	c.mu.Unlock()
	c.changed()
	return c.Now(storeID), nil
}

// Reset returns a store's clock to real time (POST /sandbox/reset).
func (c *Clock) Reset(ctx context.Context, storeID string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.settings.PutSetting(ctx, clockKey(storeID), make([]byte, 8)); err != nil {
		return err
	}
	c.offsets[storeID] = 0
	return nil
}
