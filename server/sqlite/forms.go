package sqlite

import (
	"context"

	"kessai/server/domain"
)

var formTable = table[domain.Form]{"forms", func(f *domain.Form) row {
	return row{id: f.ID, fixed: []col{{"store_id", f.StoreID}, {"created_at", us(f.CreatedAt)}}}
}}

// CreateForm implements domain.Storage.
func (d *DB) CreateForm(ctx context.Context, f *domain.Form) error {
	return formTable.insert(ctx, d.db, f)
}

// GetForm implements domain.Storage.
func (d *DB) GetForm(ctx context.Context, id string) (*domain.Form, error) {
	return formTable.get(ctx, d.db, id)
}

// UpdateForm implements domain.Storage.
func (d *DB) UpdateForm(ctx context.Context, f *domain.Form) error {
	return formTable.update(ctx, d.db, f)
}

// DeleteForm implements domain.Storage.
func (d *DB) DeleteForm(ctx context.Context, id string) error {
	return formTable.delete(ctx, d.db, id)
}

// ListForms implements domain.Storage.
func (d *DB) ListForms(ctx context.Context, storeID string) ([]*domain.Form, error) {
	return listDocs[domain.Form](ctx, d.db, `SELECT data FROM forms WHERE store_id = ? ORDER BY created_at, id`, storeID)
}
