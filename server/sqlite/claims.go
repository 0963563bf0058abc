package sqlite

import (
	"context"
	"time"
)

// Leases and due work (domain.ClaimStorage). SQLite's single writer
// serialises the upserts; the lease clock is the real time of the process.

// AcquireLease implements domain.Storage.
func (d *DB) AcquireLease(ctx context.Context, key, holder string, ttl time.Duration) (bool, error) {
	now := time.Now()
	res, err := d.db.ExecContext(ctx, `INSERT INTO leases (key, holder, expires_at) VALUES (?, ?, ?)
		ON CONFLICT(key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`, key, holder, us(now.Add(ttl)), us(now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseLease implements domain.Storage.
func (d *DB) ReleaseLease(ctx context.Context, key, holder string) error {
	_, err := d.db.ExecContext(ctx, `DELETE FROM leases WHERE key = ? AND holder = ?`, key, holder)
	return err
}

// ScheduleWork implements domain.Storage.
func (d *DB) ScheduleWork(ctx context.Context, kind, id, storeID string, at time.Time) error {
	_, err := d.db.ExecContext(ctx, `INSERT INTO due_work (kind, id, store_id, due_at) VALUES (?, ?, ?, ?)
		ON CONFLICT(kind, id) DO UPDATE SET store_id = excluded.store_id, due_at = excluded.due_at`, kind, id, storeID, us(at))
	return err
}

// DueWork implements domain.Storage.
func (d *DB) DueWork(ctx context.Context, kind, storeID string, now time.Time) ([]string, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id FROM due_work WHERE kind = ? AND store_id = ? AND due_at <= ? ORDER BY due_at, id`, kind, storeID, us(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// DeleteWork implements domain.Storage.
func (d *DB) DeleteWork(ctx context.Context, kind, id string) error {
	_, err := d.db.ExecContext(ctx, `DELETE FROM due_work WHERE kind = ? AND id = ?`, kind, id)
	return err
}
