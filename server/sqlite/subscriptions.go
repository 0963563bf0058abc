package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
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
		if err := subscriptionTable.insert(ctx, tx, sub); err != nil {
			return err
		}
		return putPayments(ctx, tx, sub)
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
	return d.inTx(ctx, func(tx *sql.Tx) error { return updateSubscription(ctx, tx, sub) })
}

func updateSubscription(ctx context.Context, tx *sql.Tx, sub *domain.Subscription) error {
	if err := subscriptionTable.update(ctx, tx, sub); err != nil {
		return err
	}
	return putPayments(ctx, tx, sub)
}

// DeleteSubscription implements domain.Storage.
func (d *DB) DeleteSubscription(ctx context.Context, id string) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM subscription_payments WHERE subscription_id = ?`, id); err != nil {
			return err
		}
		return subscriptionTable.delete(ctx, tx, id)
	})
}

// putPayments keeps the payment rows of sub (domain.SubscriptionStorage):
// its last and next payments are written, its other rows never attempted
// are deleted.
func putPayments(ctx context.Context, tx *sql.Tx, sub *domain.Subscription) error {
	keep := []any{sub.ID}
	for _, p := range []*domain.ScheduledPayment{sub.LastPayment, sub.NextPayment} {
		if p == nil {
			continue
		}
		data, err := encode(p)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO subscription_payments (id, subscription_id, store_id, attempted, data) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET attempted = excluded.attempted, data = excluded.data`, p.ID, sub.ID, sub.StoreID, p.Attempted(), data); err != nil {
			return err
		}
		keep = append(keep, p.ID)
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM subscription_payments WHERE subscription_id = ? AND attempted = 0 AND id NOT IN (''`+
		strings.Repeat(", ?", len(keep)-1)+`)`, keep...)
	return err
}

// ClaimDueSubscription implements domain.Storage: the transaction holds
// SQLite's write lock from its start (inTx), so claims are serialised.
func (d *DB) ClaimDueSubscription(ctx context.Context, storeID string, t time.Time, claim func(*domain.Subscription)) (*domain.Subscription, error) {
	var sub *domain.Subscription
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		sub, err = getOne[domain.Subscription](ctx, tx, `SELECT data FROM subscriptions WHERE store_id = ? AND due_at IS NOT NULL AND due_at <= ?
			ORDER BY due_at, id LIMIT 1`, storeID, us(t))
		if err != nil {
			return err
		}
		claim(sub)
		return updateSubscription(ctx, tx, sub)
	})
	if err != nil {
		return nil, err
	}
	return sub, nil
}

// GetSubscriptionPayment implements domain.Storage.
func (d *DB) GetSubscriptionPayment(ctx context.Context, subscriptionID, id string) (*domain.ScheduledPayment, error) {
	return getOne[domain.ScheduledPayment](ctx, d.db, `SELECT data FROM subscription_payments WHERE id = ? AND subscription_id = ?`, id, subscriptionID)
}

// ListSubscriptionPayments implements domain.Storage.
func (d *DB) ListSubscriptionPayments(ctx context.Context, q domain.SubscriptionPaymentQuery) (domain.List[*domain.ScheduledPayment], error) {
	return page[domain.ScheduledPayment](ctx, d.db, "subscription_payments", dialect.SubscriptionPayments(q), q.Page)
}

// ListSubscriptions implements domain.Storage.
func (d *DB) ListSubscriptions(ctx context.Context, q domain.SubscriptionQuery) (domain.List[*domain.Subscription], error) {
	return subscriptionTable.list(ctx, d.db, dialect.Subscriptions(q), q.Page)
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
