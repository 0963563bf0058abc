package postgres

import (
	"context"

	"kessai/server/domain"
	"kessai/server/sqlstore"
)

// CreateToken implements domain.Storage.
func (d *DB) CreateToken(ctx context.Context, t *domain.TxToken) error {
	data, err := encode(t)
	if err != nil {
		return err
	}
	_, err = d.pool.Exec(ctx, `INSERT INTO tokens (id, store_id, merchant_id, mode, active, created_at, data) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		t.ID, t.StoreID, t.MerchantID, string(t.Mode), t.Active, t.CreatedAt, data)
	return err
}

// GetToken implements domain.Storage.
func (d *DB) GetToken(ctx context.Context, id string) (*domain.TxToken, error) {
	return getOne[domain.TxToken](ctx, d.pool, `SELECT data FROM tokens WHERE id = $1`, id)
}

// UpdateToken implements domain.Storage.
func (d *DB) UpdateToken(ctx context.Context, t *domain.TxToken) error {
	data, err := encode(t)
	if err != nil {
		return err
	}
	return expectOne(d.pool.Exec(ctx, `UPDATE tokens SET active = $1, data = $2 WHERE id = $3`, t.Active, data, t.ID))
}

// DeleteToken implements domain.Storage.
func (d *DB) DeleteToken(ctx context.Context, id string) error {
	return expectOne(d.pool.Exec(ctx, `DELETE FROM tokens WHERE id = $1`, id))
}

// ListTokens implements domain.Storage.
func (d *DB) ListTokens(ctx context.Context, q domain.TokenQuery) (domain.List[*domain.TxToken], error) {
	return page(ctx, d.pool, sqlstore.Docs[domain.TxToken]("tokens"), dialect.Tokens(q), q.Page)
}
