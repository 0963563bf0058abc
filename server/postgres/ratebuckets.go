package postgres

import (
	"context"
	"strings"
	"time"

	"kessai/server/domain"
)

// Rate-limit buckets (domain.RateBucketStorage), shared by the processes
// of the database (docs/postgres.md, "Several processes"). One upsert
// refills and draws: PostgreSQL locks the row, so concurrent draws on a
// bucket apply one after the other. The sandbox time is the caller's (in
// microseconds); idleness is on the database's clock.

// refilledBucket is the level of the stored bucket refilled to $3: full
// when it has been idle past its expiry, else continuously at $4 a minute
// up to the capacity $2 (multiplied before dividing: 50 ms at 1200/min is
// exactly 1).
const refilledBucket = `(CASE WHEN rate_buckets.expires_at <= clock_timestamp() THEN $2::float8
	ELSE least($2::float8, rate_buckets.level + (greatest(0, $3::bigint - rate_buckets.at)::float8 * $4::float8 / 60000000)) END)`

var drawRateBucket = strings.ReplaceAll(`INSERT INTO rate_buckets (key, level, drawn, at, expires_at)
	VALUES ($1, least($2::float8, $2::float8 - $5::float8), $2::float8 >= $5::float8, $3::bigint, clock_timestamp() + $6::bigint * interval '1 microsecond')
	ON CONFLICT (key) DO UPDATE SET
		level = CASE WHEN {refilled} >= $5::float8 THEN least($2::float8, {refilled} - $5::float8) ELSE {refilled} END,
		drawn = {refilled} >= $5::float8,
		at = excluded.at,
		expires_at = excluded.expires_at
	RETURNING level, drawn`, "{refilled}", refilledBucket)

// DrawRateBucket implements domain.Storage.
func (d *DB) DrawRateBucket(ctx context.Context, b domain.RateBucket, now time.Time, n float64) (level float64, drawn bool, err error) {
	err = d.pool.QueryRow(ctx, drawRateBucket, b.Key, b.Capacity, now.UnixMicro(), b.PerMinute, n, b.Refill().Microseconds()).Scan(&level, &drawn)
	return level, drawn, err
}

// DeleteIdleRateBuckets implements domain.Storage.
func (d *DB) DeleteIdleRateBuckets(ctx context.Context) error {
	_, err := d.pool.Exec(ctx, `DELETE FROM rate_buckets WHERE expires_at <= clock_timestamp()`)
	return err
}
