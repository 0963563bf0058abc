package domain

import (
	"context"
	"time"
)

// ClaimStorage is how several server processes on one database share
// their work (docs/postgres.md, "Several processes"): leases, which
// exclude each other across processes, and a queue of work due at a time.
type ClaimStorage interface {
	// AcquireLease gives the lease key to holder for ttl, measured on the
	// storage's own clock, when it is free, expired or already holder's
	// (then it is renewed); it reports whether holder has it now.
	AcquireLease(ctx context.Context, key, holder string, ttl time.Duration) (bool, error)
	// ReleaseLease frees the lease key if holder has it.
	ReleaseLease(ctx context.Context, key, holder string) error

	// ScheduleWork records that the work id of kind in a store is due at
	// at (replacing its earlier due time).
	ScheduleWork(ctx context.Context, kind, id, storeID string, at time.Time) error
	// DueWork returns the IDs of the work of kind in a store due at or
	// before now, oldest due first.
	DueWork(ctx context.Context, kind, storeID string, now time.Time) ([]string, error)
	// DeleteWork forgets the work id of kind (no error if unknown).
	DeleteWork(ctx context.Context, kind, id string) error
}
