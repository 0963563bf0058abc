package domain

import (
	"context"
	"time"
)

// RateBucket is one token bucket of the rate limits (docs/limits.md,
// "Rate limits"): its key (app token, class and path), its capacity and
// the rate at which it refills.
type RateBucket struct {
	Key       string
	Capacity  float64
	PerMinute float64
}

// Refill is how long the empty bucket takes to fill up: a bucket idle
// that long in real time is full (the sandbox clock never runs slower), so
// the storage may forget it.
func (b RateBucket) Refill() time.Duration {
	return time.Duration(b.Capacity / b.PerMinute * float64(time.Minute))
}

// RateBucketStorage keeps the rate-limit buckets shared by the processes
// of one database (docs/postgres.md, "Several processes").
type RateBucketStorage interface {
	// DrawRateBucket atomically refills bucket b to now (the sandbox time
	// of its store; the refill is continuous, never above the capacity,
	// and a now before the stored time refills nothing), then draws n
	// requests from it if it holds at least n (a negative n gives them
	// back, up to the capacity). It returns the level after and whether it
	// drew. An unknown bucket, or one idle for b.Refill() in real time,
	// starts full.
	DrawRateBucket(ctx context.Context, b RateBucket, now time.Time, n float64) (level float64, drawn bool, err error)
	// DeleteIdleRateBuckets forgets the buckets idle for their Refill() in
	// real time (they are full), bounding the storage.
	DeleteIdleRateBuckets(ctx context.Context) error
}
