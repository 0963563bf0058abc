package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"kessai/server/domain"
)

// Rate-limit buckets (domain.RateBucketStorage). One upsert refills and
// draws (SQLite's single writer serialises them); idleness is on the real
// time of the process. The server keeps its buckets in memory on SQLite
// (docs/limits.md, "Rate limits"); these are the same buckets in storage.

// refilledBucket is the level of the stored bucket refilled to ?3: full
// when it has been idle past its expiry ?7, else continuously at ?4 a
// minute up to the capacity ?2 (multiplied before dividing: 50 ms at
// 1200/min is exactly 1).
const refilledBucket = `(CASE WHEN rate_buckets.expires_at <= ?7 THEN ?2
	ELSE min(?2, rate_buckets.level + (max(0, ?3 - rate_buckets.at) * ?4 / 60000000.0)) END)`

var drawRateBucket = strings.ReplaceAll(`INSERT INTO rate_buckets (key, level, drawn, at, expires_at)
	VALUES (?1, min(?2, ?2 - ?5), ?2 >= ?5, ?3, ?6)
	ON CONFLICT(key) DO UPDATE SET
		level = CASE WHEN {refilled} >= ?5 THEN min(?2, {refilled} - ?5) ELSE {refilled} END,
		drawn = {refilled} >= ?5,
		at = excluded.at,
		expires_at = excluded.expires_at
	RETURNING level, drawn`, "{refilled}", refilledBucket)

// DrawRateBucket implements domain.Storage.
func (d *DB) DrawRateBucket(ctx context.Context, b domain.RateBucket, now time.Time, n float64) (level float64, drawn bool, err error) {
	wall := time.Now()
	err = d.inTx(ctx, func(tx *sql.Tx) error { // a write: through the committer
		return tx.QueryRowContext(ctx, drawRateBucket, b.Key, b.Capacity, us(now), b.PerMinute, n, us(wall.Add(b.Refill())), us(wall)).Scan(&level, &drawn)
	})
	return level, drawn, err
}

// DeleteIdleRateBuckets implements domain.Storage.
func (d *DB) DeleteIdleRateBuckets(ctx context.Context) error {
	_, err := d.db.ExecContext(ctx, `DELETE FROM rate_buckets WHERE expires_at <= ?`, us(time.Now()))
	return err
}
