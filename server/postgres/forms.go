package postgres

import (
	"context"

	"kessai/server/domain"
)

// CreateForm implements domain.Storage.
func (d *DB) CreateForm(ctx context.Context, f *domain.Form) error {
	data, err := encode(f)
	if err != nil {
		return err
	}
	_, err = d.pool.Exec(ctx, `INSERT INTO forms (id, store_id, created_at, data) VALUES ($1, $2, $3, $4)`, f.ID, f.StoreID, f.CreatedAt, data)
	return err
}

// GetForm implements domain.Storage.
func (d *DB) GetForm(ctx context.Context, id string) (*domain.Form, error) {
	return getOne[domain.Form](ctx, d.pool, `SELECT data FROM forms WHERE id = $1`, id)
}

// UpdateForm implements domain.Storage.
func (d *DB) UpdateForm(ctx context.Context, f *domain.Form) error {
	data, err := encode(f)
	if err != nil {
		return err
	}
	return expectOne(d.pool.Exec(ctx, `UPDATE forms SET data = $1 WHERE id = $2`, data, f.ID))
}

// DeleteForm implements domain.Storage.
func (d *DB) DeleteForm(ctx context.Context, id string) error {
	return expectOne(d.pool.Exec(ctx, `DELETE FROM forms WHERE id = $1`, id))
}

// ListForms implements domain.Storage.
func (d *DB) ListForms(ctx context.Context, storeID string) ([]*domain.Form, error) {
	return listDocs[domain.Form](ctx, d.pool, `SELECT data FROM forms WHERE store_id = $1 ORDER BY created_at, id`, storeID)
}
