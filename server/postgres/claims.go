package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// Leases and due work (domain.ClaimStorage). A lease is taken by one
// upsert: PostgreSQL locks the row and re-checks the condition, so two
// processes never both get it. Lease times are on the database's clock
// (clock_timestamp), shared by every process.

// AcquireLease implements domain.Storage.
func (d *DB) AcquireLease(ctx context.Context, key, holder string, ttl time.Duration) (bool, error) {
	tag, err := d.pool.Exec(ctx, `INSERT INTO leases (key, holder, expires_at)
		VALUES ($1, $2, clock_timestamp() + $3 * interval '1 microsecond')
		ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE leases.holder = excluded.holder OR leases.expires_at <= clock_timestamp()`, key, holder, ttl.Microseconds())
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() == 1, nil
}

// ReleaseLease implements domain.Storage.
func (d *DB) ReleaseLease(ctx context.Context, key, holder string) error {
	_, err := d.pool.Exec(ctx, `DELETE FROM leases WHERE key = $1 AND holder = $2`, key, holder)
	return err
}

// ScheduleWork implements domain.Storage.
func (d *DB) ScheduleWork(ctx context.Context, kind, id, storeID string, at time.Time) error {
	_, err := d.pool.Exec(ctx, `INSERT INTO due_work (kind, id, store_id, due_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (kind, id) DO UPDATE SET store_id = excluded.store_id, due_at = excluded.due_at`, kind, id, storeID, at)
	return err
}

// DueWork implements domain.Storage.
func (d *DB) DueWork(ctx context.Context, kind, storeID string, now time.Time) ([]string, error) {
	rows, err := d.pool.Query(ctx, `SELECT id FROM due_work WHERE kind = $1 AND store_id = $2 AND due_at <= $3 ORDER BY due_at, id`, kind, storeID, now)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// DeleteWork implements domain.Storage.
func (d *DB) DeleteWork(ctx context.Context, kind, id string) error {
	_, err := d.pool.Exec(ctx, `DELETE FROM due_work WHERE kind = $1 AND id = $2`, kind, id)
	return err
}
