package sqlite

import (
	"context"
	"database/sql"
	"time"

	"kessai/server/domain"
)

var cancelTable = table[domain.Cancel]{"cancels", func(c *domain.Cancel) row {
	return row{id: c.ID,
		fixed:   []col{{"store_id", c.StoreID}, {"merchant_id", c.MerchantID}, {"mode", string(c.Mode)}, {"charge_id", c.ChargeID}, {"created_at", us(c.CreatedAt)}},
		mutable: []col{{"status", string(c.Status)}, {"due_at", optUS(c.DueAt)}}}
}}

// CreateCancel implements domain.Storage.
func (d *DB) CreateCancel(ctx context.Context, c *domain.Cancel) error {
	return cancelTable.insert(ctx, d.db, c)
}

// GetCancel implements domain.Storage.
func (d *DB) GetCancel(ctx context.Context, id string) (*domain.Cancel, error) {
	return cancelTable.get(ctx, d.db, id)
}

// UpdateCancel implements domain.Storage.
func (d *DB) UpdateCancel(ctx context.Context, c *domain.Cancel, charge *domain.Charge) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if err := cancelTable.update(ctx, tx, c); err != nil || charge == nil {
			return err
		}
		return chargeTable.update(ctx, tx, charge)
	})
}

// ListDueCancels implements domain.Storage.
func (d *DB) ListDueCancels(ctx context.Context, storeID string, t time.Time) ([]*domain.Cancel, error) {
	return cancelTable.due(ctx, d.db, storeID, t)
}

// ListCancels implements domain.Storage.
func (d *DB) ListCancels(ctx context.Context, q domain.CancelQuery) (domain.List[*domain.Cancel], error) {
	return cancelTable.list(ctx, d.db, dialect.Cancels(q), q.Page)
}
