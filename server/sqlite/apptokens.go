package sqlite

import (
	"context"

	"kessai/server/domain"
)

var appTokenTable = table[domain.AppToken]{"app_tokens", func(t *domain.AppToken) row {
	return row{id: t.ID, fixed: []col{{"store_id", t.StoreID}, {"created_at", us(t.CreatedAt)}}}
}}

// CreateAppToken implements domain.Storage.
func (d *DB) CreateAppToken(ctx context.Context, t *domain.AppToken) error {
	return appTokenTable.insert(ctx, d.db, t)
}

// GetAppToken implements domain.Storage.
func (d *DB) GetAppToken(ctx context.Context, id string) (*domain.AppToken, error) {
	return appTokenTable.get(ctx, d.db, id)
}

// UpdateAppToken implements domain.Storage.
func (d *DB) UpdateAppToken(ctx context.Context, t *domain.AppToken) error {
	return appTokenTable.update(ctx, d.db, t)
}

// ListAppTokens implements domain.Storage.
func (d *DB) ListAppTokens(ctx context.Context, storeID string) ([]*domain.AppToken, error) {
	return listDocs[domain.AppToken](ctx, d.db, `SELECT data FROM app_tokens WHERE store_id = ? ORDER BY created_at, id`, storeID)
}
