package postgres

import (
	"context"

	"kessai/server/domain"
)

// CreateAppToken implements domain.Storage.
func (d *DB) CreateAppToken(ctx context.Context, t *domain.AppToken) error {
	data, err := encode(t)
	if err != nil {
		return err
	}
	_, err = d.pool.Exec(ctx, `INSERT INTO app_tokens (id, store_id, created_at, data) VALUES ($1, $2, $3, $4)`, t.ID, t.StoreID, t.CreatedAt, data)
	return err
}

// GetAppToken implements domain.Storage.
func (d *DB) GetAppToken(ctx context.Context, id string) (*domain.AppToken, error) {
	return getOne[domain.AppToken](ctx, d.pool, `SELECT data FROM app_tokens WHERE id = $1`, id)
}

// UpdateAppToken implements domain.Storage.
func (d *DB) UpdateAppToken(ctx context.Context, t *domain.AppToken) error {
	data, err := encode(t)
	if err != nil {
		return err
	}
	return expectOne(d.pool.Exec(ctx, `UPDATE app_tokens SET data = $1 WHERE id = $2`, data, t.ID))
}

// ListAppTokens implements domain.Storage.
func (d *DB) ListAppTokens(ctx context.Context, storeID string) ([]*domain.AppToken, error) {
	return listDocs[domain.AppToken](ctx, d.pool, `SELECT data FROM app_tokens WHERE store_id = $1 ORDER BY created_at, id`, storeID)
}
