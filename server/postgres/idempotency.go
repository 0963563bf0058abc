package postgres

import (
	"context"

	"kessai/server/domain"
)

// GetIdempotentResponse implements domain.Storage.
func (d *DB) GetIdempotentResponse(ctx context.Context, scope, key string) (*domain.IdempotentResponse, error) {
	return getOne[domain.IdempotentResponse](ctx, d.pool, `SELECT data FROM idempotency WHERE scope = $1 AND key = $2`, scope, key)
}

// PutIdempotentResponse implements domain.Storage.
func (d *DB) PutIdempotentResponse(ctx context.Context, r *domain.IdempotentResponse) error {
	data, err := encode(r)
	if err != nil {
		return err
	}
	_, err = d.pool.Exec(ctx, `INSERT INTO idempotency (scope, key, created_at, data) VALUES ($1, $2, $3, $4)
		ON CONFLICT (scope, key) DO UPDATE SET created_at = excluded.created_at, data = excluded.data`, r.Scope, r.Key, r.CreatedAt, data)
	return err
}
