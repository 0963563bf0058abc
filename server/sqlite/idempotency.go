package sqlite

import (
	"context"

	"kessai/server/domain"
)

// GetIdempotentResponse implements domain.Storage.
func (d *DB) GetIdempotentResponse(ctx context.Context, scope, key string) (*domain.IdempotentResponse, error) {
	return getOne[domain.IdempotentResponse](ctx, d.db, `SELECT data FROM idempotency WHERE scope = ? AND key = ?`, scope, key)
}

// PutIdempotentResponse implements domain.Storage.
func (d *DB) PutIdempotentResponse(ctx context.Context, r *domain.IdempotentResponse) error {
	data, err := encode(r)
	if err != nil {
		return err
	}
	_, err = d.db.ExecContext(ctx, `INSERT INTO idempotency (scope, key, created_at, data) VALUES (?, ?, ?, ?)
		ON CONFLICT(scope, key) DO UPDATE SET created_at = excluded.created_at, data = excluded.data`, r.Scope, r.Key, us(r.CreatedAt), data)
	return err
}
