package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

var subscriptionTable = table[domain.Subscription]{"subscriptions", func(sub *domain.Subscription) row {
	return row{id: sub.ID,
		fixed:   []col{{"store_id", sub.StoreID}, {"merchant_id", sub.MerchantID}, {"mode", string(sub.Mode)}, {"created_at", us(sub.CreatedAt)}},
		mutable: []col{{"token_id", sub.TokenID}, {"status", string(sub.Status)}, {"due_at", optUS(sub.DueAt)}}}
}}

// CreateSubscription implements domain.Storage.
func (d *DB) CreateSubscription(ctx context.Context, sub *domain.Subscription, consume bool) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if err := useToken(ctx, tx, sub.TokenID, sub.CreatedAt, consume); err != nil {
			return err
		}
		return subscriptionTable.insert(ctx, tx, sub)
	})
}

// UseToken implements domain.Storage.
func (d *DB) UseToken(ctx context.Context, tokenID string, t time.Time, consume bool) error {
	return d.inTx(ctx, func(tx *sql.Tx) error { return useToken(ctx, tx, tokenID, t, consume) })
}

// GetSubscription implements domain.Storage.
func (d *DB) GetSubscription(ctx context.Context, id string) (*domain.Subscription, error) {
	return subscriptionTable.get(ctx, d.db, id)
}

// UpdateSubscription implements domain.Storage.
func (d *DB) UpdateSubscription(ctx context.Context, sub *domain.Subscription) error {
	return subscriptionTable.update(ctx, d.db, sub)
}

// DeleteSubscription implements domain.Storage.
func (d *DB) DeleteSubscription(ctx context.Context, id string) error {
	return subscriptionTable.delete(ctx, d.db, id)
}

// ListSubscriptions implements domain.Storage.
func (d *DB) ListSubscriptions(ctx context.Context, q domain.SubscriptionQuery) (domain.List[*domain.Subscription], error) {
	w := scoped(q.Scope, q.Filters)
	addIn(&w, "status", false, q.Statuses)
	if q.Search != "" {
		w.add(`EXISTS (SELECT 1 FROM json_each(data, '$.metadata') AS m WHERE instr(lower(CAST(m.value AS TEXT)), lower(?)) > 0)`, q.Search)
	}
	return subscriptionTable.list(ctx, d.db, w, q.Page)
}

// ListDueSubscriptions implements domain.Storage.
func (d *DB) ListDueSubscriptions(ctx context.Context, storeID string, t time.Time) ([]*domain.Subscription, error) {
	return subscriptionTable.due(ctx, d.db, storeID, t)
}

// ActiveSubscriptionTokenExists implements domain.Storage.
func (d *DB) ActiveSubscriptionTokenExists(ctx context.Context, storeID, fingerprint string, since time.Time) (bool, error) {
	var one int
	err := d.db.QueryRowContext(ctx, `SELECT 1 FROM tokens WHERE store_id = ? AND json_extract(data, '$.card.fingerprint') = ? AND created_at >= ?
		AND active = 1 AND json_extract(data, '$.type') = ? LIMIT 1`, storeID, fingerprint, us(since), string(api.TokenTypeSubscription)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
