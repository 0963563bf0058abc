package sqlite

import (
	"context"
	"database/sql"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// liveRefund is the condition of the refunds that count towards a charge's
// refunded total: pending and successful ones.
const liveRefund = "status IN ('" + string(api.RefundPending) + "', '" + string(api.RefundSuccessful) + "')"

var refundTable = table[domain.Refund]{"refunds", func(r *domain.Refund) row {
	return row{id: r.ID,
		fixed:   []col{{"store_id", r.StoreID}, {"merchant_id", r.MerchantID}, {"mode", string(r.Mode)}, {"charge_id", r.ChargeID}, {"created_at", us(r.CreatedAt)}},
		mutable: []col{{"status", string(r.Status)}, {"amount", r.Amount}, {"due_at", optUS(r.DueAt)}}}
}}

// CreateRefund implements domain.Storage. The sum and the insert run in one
// (immediate) transaction, so concurrent refunds of a charge are checked
// one after the other.
func (d *DB) CreateRefund(ctx context.Context, r *domain.Refund, max int64) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		var total int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount), 0) FROM refunds WHERE charge_id = ? AND `+liveRefund, r.ChargeID).Scan(&total); err != nil {
			return err
		}
		if total+r.Amount > max {
			return domain.ErrRefundExceedsCharge
		}
		return refundTable.insert(ctx, tx, r)
	})
}

// GetRefund implements domain.Storage.
func (d *DB) GetRefund(ctx context.Context, id string) (*domain.Refund, error) {
	return refundTable.get(ctx, d.db, id)
}

// UpdateRefund implements domain.Storage.
func (d *DB) UpdateRefund(ctx context.Context, r *domain.Refund) error {
	return refundTable.update(ctx, d.db, r)
}

// ListDueRefunds implements domain.Storage.
func (d *DB) ListDueRefunds(ctx context.Context, storeID string, t time.Time) ([]*domain.Refund, error) {
	return refundTable.due(ctx, d.db, storeID, t)
}

// ListRefunds implements domain.Storage.
func (d *DB) ListRefunds(ctx context.Context, q domain.RefundQuery) (domain.List[*domain.Refund], error) {
	return refundTable.list(ctx, d.db, dialect.Refunds(q), q.Page)
}
