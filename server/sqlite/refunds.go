package sqlite

import (
	"context"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// liveRefund is the condition of the refunds that count towards a charge's
// refunded total: pending and successful ones.
const liveRefund = "status IN ('" + string(api.RefundPending) + "', '" + string(api.RefundSuccessful) + "')"

// CreateRefund implements domain.Storage. The sum and the insert run in one
// (immediate) transaction, so concurrent refunds of a charge are checked
// one after the other.
func (d *DB) CreateRefund(ctx context.Context, r *domain.Refund, max int64) error {
	data, err := encode(r)
	if err != nil {
		return err
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var total int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount), 0) FROM refunds WHERE charge_id = ? AND `+liveRefund, r.ChargeID).Scan(&total); err != nil {
		return err
	}
	if total+r.Amount > max {
		return domain.ErrRefundExceedsCharge
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO refunds (id, store_id, merchant_id, mode, charge_id, status, amount, due_at, created_at, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.StoreID, r.MerchantID, string(r.Mode), r.ChargeID, string(r.Status), r.Amount, optUS(r.DueAt), us(r.CreatedAt), data); err != nil {
		return err
	}
	return tx.Commit()
}

// GetRefund implements domain.Storage.
func (d *DB) GetRefund(ctx context.Context, id string) (*domain.Refund, error) {
	return getOne[domain.Refund](ctx, d.db, `SELECT data FROM refunds WHERE id = ?`, id)
}

// UpdateRefund implements domain.Storage.
func (d *DB) UpdateRefund(ctx context.Context, r *domain.Refund) error {
	data, err := encode(r)
	if err != nil {
		return err
	}
	return expectOne(d.db.ExecContext(ctx, `UPDATE refunds SET status = ?, amount = ?, due_at = ?, data = ? WHERE id = ?`,
		string(r.Status), r.Amount, optUS(r.DueAt), data, r.ID))
}

// ListDueRefunds implements domain.Storage.
func (d *DB) ListDueRefunds(ctx context.Context, storeID string, t time.Time) ([]*domain.Refund, error) {
	return listDocs[domain.Refund](ctx, d.db, `SELECT data FROM refunds WHERE store_id = ? AND due_at IS NOT NULL AND due_at <= ? ORDER BY due_at`, storeID, us(t))
}

// ListRefunds implements domain.Storage.
func (d *DB) ListRefunds(ctx context.Context, q domain.RefundQuery) (domain.List[*domain.Refund], error) {
	var w where
	w.scope(q.Scope)
	w.filters(q.Filters)
	if q.ChargeID != "" {
		w.add("charge_id = ?", q.ChargeID)
	}
	return page[domain.Refund](ctx, d.db, "refunds", w, q.Page)
}
