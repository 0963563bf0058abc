package sqlite

import (
	"context"
	"time"

	"kessai/server/domain"
)

// CreateCancel implements domain.Storage.
func (d *DB) CreateCancel(ctx context.Context, c *domain.Cancel) error {
	data, err := encode(c)
	if err != nil {
		return err
	}
	_, err = d.db.ExecContext(ctx, `INSERT INTO cancels (id, store_id, merchant_id, mode, charge_id, status, due_at, created_at, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.StoreID, c.MerchantID, string(c.Mode), c.ChargeID, string(c.Status), optUS(c.DueAt), us(c.CreatedAt), data)
	return err
}

// GetCancel implements domain.Storage.
func (d *DB) GetCancel(ctx context.Context, id string) (*domain.Cancel, error) {
	return getOne[domain.Cancel](ctx, d.db, `SELECT data FROM cancels WHERE id = ?`, id)
}

// UpdateCancel implements domain.Storage.
func (d *DB) UpdateCancel(ctx context.Context, c *domain.Cancel, charge *domain.Charge) error {
	data, err := encode(c)
	if err != nil {
		return err
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := expectOne(tx.ExecContext(ctx, `UPDATE cancels SET status = ?, due_at = ?, data = ? WHERE id = ?`,
		string(c.Status), optUS(c.DueAt), data, c.ID)); err != nil {
		return err
	}
	if charge != nil {
		cdata, err := encode(charge)
		if err != nil {
			return err
		}
		if err := expectOne(tx.ExecContext(ctx, `UPDATE charges SET status = ?, due_at = ?, data = ? WHERE id = ?`,
			string(charge.Status), optUS(charge.DueAt), cdata, charge.ID)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// ListDueCancels implements domain.Storage.
func (d *DB) ListDueCancels(ctx context.Context, storeID string, t time.Time) ([]*domain.Cancel, error) {
	return listDocs[domain.Cancel](ctx, d.db, `SELECT data FROM cancels WHERE store_id = ? AND due_at IS NOT NULL AND due_at <= ? ORDER BY due_at`, storeID, us(t))
}

// ListCancels implements domain.Storage.
func (d *DB) ListCancels(ctx context.Context, q domain.CancelQuery) (domain.List[*domain.Cancel], error) {
	var w where
	w.scope(q.Scope)
	w.filters(q.Filters)
	if q.ChargeID != "" {
		w.add("charge_id = ?", q.ChargeID)
	}
	return page[domain.Cancel](ctx, d.db, "cancels", w, q.Page)
}
