package sqlite

import (
	"context"

	"kessai/server/domain"
)

// CreateMerchant implements domain.Storage.
func (d *DB) CreateMerchant(ctx context.Context, m *domain.Merchant) error {
	data, err := encode(m)
	if err != nil {
		return err
	}
	_, err = d.db.ExecContext(ctx, `INSERT INTO merchants (id, created_at, data) VALUES (?, ?, ?)`, m.ID, us(m.CreatedAt), data)
	return err
}

// GetMerchant implements domain.Storage.
func (d *DB) GetMerchant(ctx context.Context, id string) (*domain.Merchant, error) {
	return getOne[domain.Merchant](ctx, d.db, `SELECT data FROM merchants WHERE id = ?`, id)
}

// CreateStore implements domain.Storage.
func (d *DB) CreateStore(ctx context.Context, s *domain.Store) error {
	data, err := encode(s)
	if err != nil {
		return err
	}
	_, err = d.db.ExecContext(ctx, `INSERT INTO stores (id, merchant_id, created_at, data) VALUES (?, ?, ?, ?)`, s.ID, s.MerchantID, us(s.CreatedAt), data)
	return err
}

// GetStore implements domain.Storage.
func (d *DB) GetStore(ctx context.Context, id string) (*domain.Store, error) {
	return getOne[domain.Store](ctx, d.db, `SELECT data FROM stores WHERE id = ?`, id)
}

// ListStores implements domain.Storage.
func (d *DB) ListStores(ctx context.Context) ([]*domain.Store, error) {
	return listDocs[domain.Store](ctx, d.db, `SELECT data FROM stores ORDER BY created_at, id`)
}

// UpdateStore implements domain.Storage.
func (d *DB) UpdateStore(ctx context.Context, s *domain.Store) error {
	data, err := encode(s)
	if err != nil {
		return err
	}
	return expectOne(d.db.ExecContext(ctx, `UPDATE stores SET data = ? WHERE id = ?`, data, s.ID))
}
