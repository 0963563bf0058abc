package sqlite

import (
	"context"

	"kessai/server/domain"
)

// CreateToken implements domain.Storage.
func (d *DB) CreateToken(ctx context.Context, t *domain.TxToken) error {
	data, err := encode(t)
	if err != nil {
		return err
	}
	_, err = d.db.ExecContext(ctx, `INSERT INTO tokens (id, store_id, merchant_id, mode, active, created_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.StoreID, t.MerchantID, string(t.Mode), t.Active, us(t.CreatedAt), data)
	return err
}

// GetToken implements domain.Storage.
func (d *DB) GetToken(ctx context.Context, id string) (*domain.TxToken, error) {
	return getOne[domain.TxToken](ctx, d.db, `SELECT data FROM tokens WHERE id = ?`, id)
}

// UpdateToken implements domain.Storage.
func (d *DB) UpdateToken(ctx context.Context, t *domain.TxToken) error {
	data, err := encode(t)
	if err != nil {
		return err
	}
	return expectOne(d.db.ExecContext(ctx, `UPDATE tokens SET active = ?, data = ? WHERE id = ?`, t.Active, data, t.ID))
}

// DeleteToken implements domain.Storage.
func (d *DB) DeleteToken(ctx context.Context, id string) error {
	return expectOne(d.db.ExecContext(ctx, `DELETE FROM tokens WHERE id = ?`, id))
}

// ListTokens implements domain.Storage.
func (d *DB) ListTokens(ctx context.Context, q domain.TokenQuery) (domain.List[*domain.TxToken], error) {
	var w where
	w.scope(q.Scope)
	w.filters(q.Filters)
	if q.Type != "" {
		w.add("json_extract(data, '$.type') = ?", string(q.Type))
	}
	if q.ID != "" {
		w.add("id = ?", q.ID)
	}
	if q.Email != "" {
		w.add("json_extract(data, '$.email') = ?", q.Email)
	}
	if q.CustomerID != "" {
		w.add("json_extract(data, ?) = ?", jsonPath("metadata", "univapay-customer-id"), q.CustomerID)
	}
	return page[domain.TxToken](ctx, d.db, "tokens", w, q.Page)
}
