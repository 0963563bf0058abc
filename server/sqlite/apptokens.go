package sqlite

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
	_, err = d.db.ExecContext(ctx, `INSERT INTO app_tokens (id, store_id, created_at, data) VALUES (?, ?, ?, ?)`, t.ID, t.StoreID, us(t.CreatedAt), data)
	return err
}

// GetAppToken implements domain.Storage.
func (d *DB) GetAppToken(ctx context.Context, id string) (*domain.AppToken, error) {
	return getOne[domain.AppToken](ctx, d.db, `SELECT data FROM app_tokens WHERE id = ?`, id)
}

// UpdateAppToken implements domain.Storage.
func (d *DB) UpdateAppToken(ctx context.Context, t *domain.AppToken) error {
	data, err := encode(t)
	if err != nil {
		return err
	}
	return expectOne(d.db.ExecContext(ctx, `UPDATE app_tokens SET data = ? WHERE id = ?`, data, t.ID))
}

// ListAppTokens implements domain.Storage.
func (d *DB) ListAppTokens(ctx context.Context, storeID string) ([]*domain.AppToken, error) {
	return listDocs[domain.AppToken](ctx, d.db, `SELECT data FROM app_tokens WHERE store_id = ? ORDER BY created_at, id`, storeID)
}
