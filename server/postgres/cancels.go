package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"kessai/server/domain"
	"kessai/server/sqlstore"
)

// CreateCancel implements domain.Storage.
func (d *DB) CreateCancel(ctx context.Context, c *domain.Cancel) error {
	data, err := encode(c)
	if err != nil {
		return err
	}
	_, err = d.pool.Exec(ctx, `INSERT INTO cancels (id, store_id, merchant_id, mode, charge_id, status, due_at, created_at, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		c.ID, c.StoreID, c.MerchantID, string(c.Mode), c.ChargeID, string(c.Status), c.DueAt, c.CreatedAt, data)
	return err
}

// GetCancel implements domain.Storage.
func (d *DB) GetCancel(ctx context.Context, id string) (*domain.Cancel, error) {
	return getOne[domain.Cancel](ctx, d.pool, `SELECT data FROM cancels WHERE id = $1`, id)
}

// UpdateCancel implements domain.Storage.
func (d *DB) UpdateCancel(ctx context.Context, c *domain.Cancel, charge *domain.Charge) error {
	data, err := encode(c)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		if err := expectOne(tx.Exec(ctx, `UPDATE cancels SET status = $1, due_at = $2, data = $3 WHERE id = $4`,
			string(c.Status), c.DueAt, data, c.ID)); err != nil {
			return err
		}
		if charge == nil {
			return nil
		}
		return updateCharge(ctx, tx, charge)
	})
}

// ListDueCancels implements domain.Storage.
func (d *DB) ListDueCancels(ctx context.Context, storeID string, t time.Time) ([]*domain.Cancel, error) {
	return listDocs[domain.Cancel](ctx, d.pool, `SELECT data FROM cancels WHERE store_id = $1 AND due_at IS NOT NULL AND due_at <= $2 ORDER BY due_at, id`, storeID, t)
}

// ListCancels implements domain.Storage.
func (d *DB) ListCancels(ctx context.Context, q domain.CancelQuery) (domain.List[*domain.Cancel], error) {
	return page(ctx, d.pool, sqlstore.Docs[domain.Cancel]("cancels"), dialect.Cancels(q), q.Page)
}
