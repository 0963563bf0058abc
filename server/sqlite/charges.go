package sqlite

import (
	"context"
	"database/sql"
	"time"

	"kessai/server/domain"
	"kessai/server/sqlstore"
)

var chargeTable = table[domain.Charge]{"charges", func(c *domain.Charge) row {
	return row{id: c.ID,
		fixed: []col{{"store_id", c.StoreID}, {"merchant_id", c.MerchantID}, {"mode", string(c.Mode)}, {"token_id", c.TokenID},
			{"subscription_id", c.SubscriptionID}, {"card_fingerprint", nullString(c.CardFingerprint)}, {"created_at", us(c.CreatedAt)}},
		mutable: []col{{"status", string(c.Status)}, {"due_at", optUS(c.DueAt)}}}
}}

// CreateCharge implements domain.Storage.
// The transaction holds SQLite's write lock from its start, so the guards'
// counts and the insert are serialised with every other writer.
func (d *DB) CreateCharge(ctx context.Context, c *domain.Charge, tokenID string, consume bool, guards ...domain.ChargeGuard) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if err := sqlstore.CheckGuards(ctx, shared(tx), guards); err != nil {
			return err
		}
		if err := useToken(ctx, tx, tokenID, c.CreatedAt, consume); err != nil {
			return err
		}
		return chargeTable.insert(ctx, tx, c)
	})
}

// GetCharge implements domain.Storage.
func (d *DB) GetCharge(ctx context.Context, id string) (*domain.Charge, error) {
	return chargeTable.get(ctx, d.db, id)
}

// UpdateCharge implements domain.Storage.
func (d *DB) UpdateCharge(ctx context.Context, c *domain.Charge) error {
	return chargeTable.update(ctx, d.db, c)
}

// ListDueCharges implements domain.Storage.
func (d *DB) ListDueCharges(ctx context.Context, storeID string, t time.Time) ([]*domain.Charge, error) {
	return chargeTable.due(ctx, d.db, storeID, t)
}

// ListCharges implements domain.Storage.
func (d *DB) ListCharges(ctx context.Context, q domain.ChargeQuery) (domain.List[*domain.Charge], error) {
	return chargeTable.list(ctx, d.db, dialect.Charges(q), q.Page)
}
