package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"kessai/api"
	"kessai/server/domain"
	"kessai/server/sqlstore"
)

// liveRefund is the condition of the refunds that count towards a charge's
// refunded total: pending and successful ones.
const liveRefund = "status IN ('" + string(api.RefundPending) + "', '" + string(api.RefundSuccessful) + "')"

// CreateRefund implements domain.Storage. The charge's row is locked before
// the sum, so concurrent refunds of a charge, in this process or another,
// are checked one after the other.
func (d *DB) CreateRefund(ctx context.Context, r *domain.Refund, max int64) error {
	data, err := encode(r)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		// An unknown charge is left to the foreign key of the insert.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM charges WHERE id = $1 FOR UPDATE`, r.ChargeID); err != nil {
			return err
		}
		var total int64
		if err := tx.QueryRow(ctx, `SELECT COALESCE(SUM(amount), 0) FROM refunds WHERE charge_id = $1 AND `+liveRefund, r.ChargeID).Scan(&total); err != nil {
			return err
		}
		if total+r.Amount > max {
			return domain.ErrRefundExceedsCharge
		}
		_, err := tx.Exec(ctx, `INSERT INTO refunds (id, store_id, merchant_id, mode, charge_id, status, amount, due_at, created_at, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			r.ID, r.StoreID, r.MerchantID, string(r.Mode), r.ChargeID, string(r.Status), r.Amount, r.DueAt, r.CreatedAt, data)
		return err
	})
}

// GetRefund implements domain.Storage.
func (d *DB) GetRefund(ctx context.Context, id string) (*domain.Refund, error) {
	return getOne[domain.Refund](ctx, d.pool, `SELECT data FROM refunds WHERE id = $1`, id)
}

// UpdateRefund implements domain.Storage.
func (d *DB) UpdateRefund(ctx context.Context, r *domain.Refund) error {
	data, err := encode(r)
	if err != nil {
		return err
	}
	return expectOne(d.pool.Exec(ctx, `UPDATE refunds SET status = $1, amount = $2, due_at = $3, data = $4 WHERE id = $5`,
		string(r.Status), r.Amount, r.DueAt, data, r.ID))
}

// ListDueRefunds implements domain.Storage.
func (d *DB) ListDueRefunds(ctx context.Context, storeID string, t time.Time) ([]*domain.Refund, error) {
	return listDocs[domain.Refund](ctx, d.pool, `SELECT data FROM refunds WHERE store_id = $1 AND due_at IS NOT NULL AND due_at <= $2 ORDER BY due_at, id`, storeID, t)
}

// ListRefunds implements domain.Storage.
func (d *DB) ListRefunds(ctx context.Context, q domain.RefundQuery) (domain.List[*domain.Refund], error) {
	return page(ctx, d.pool, sqlstore.Docs[domain.Refund]("refunds"), dialect.Refunds(q), q.Page)
}
