package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"kessai/api"
	"kessai/server/domain"
	"kessai/server/sqlstore"
)

// CreateSubscription implements domain.Storage.
func (d *DB) CreateSubscription(ctx context.Context, sub *domain.Subscription, consume bool) error {
	data, err := encode(sub)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		if err := useToken(ctx, tx, sub.TokenID, sub.CreatedAt, consume); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO subscriptions (id, store_id, merchant_id, mode, token_id, status, due_at, created_at, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			sub.ID, sub.StoreID, sub.MerchantID, string(sub.Mode), sub.TokenID, string(sub.Status), sub.DueAt, sub.CreatedAt, data); err != nil {
			return err
		}
		return putPayments(ctx, tx, sub)
	})
}

// UseToken implements domain.Storage.
func (d *DB) UseToken(ctx context.Context, tokenID string, t time.Time, consume bool) error {
	return pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		return useToken(ctx, tx, tokenID, t, consume)
	})
}

// GetSubscription implements domain.Storage.
func (d *DB) GetSubscription(ctx context.Context, id string) (*domain.Subscription, error) {
	return getOne[domain.Subscription](ctx, d.pool, `SELECT data FROM subscriptions WHERE id = $1`, id)
}

// UpdateSubscription implements domain.Storage.
func (d *DB) UpdateSubscription(ctx context.Context, sub *domain.Subscription) error {
	return pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error { return updateSubscription(ctx, tx, sub) })
}

func updateSubscription(ctx context.Context, tx pgx.Tx, sub *domain.Subscription) error {
	data, err := encode(sub)
	if err != nil {
		return err
	}
	if err := expectOne(tx.Exec(ctx, `UPDATE subscriptions SET token_id = $1, status = $2, due_at = $3, data = $4 WHERE id = $5`,
		sub.TokenID, string(sub.Status), sub.DueAt, data, sub.ID)); err != nil {
		return err
	}
	return putPayments(ctx, tx, sub)
}

// DeleteSubscription implements domain.Storage.
func (d *DB) DeleteSubscription(ctx context.Context, id string) error {
	return pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM subscription_payments WHERE subscription_id = $1`, id); err != nil {
			return err
		}
		return expectOne(tx.Exec(ctx, `DELETE FROM subscriptions WHERE id = $1`, id))
	})
}

// putPayments keeps the payment rows of sub (domain.SubscriptionStorage):
// its last and next payments are written, its other rows never attempted
// are deleted.
func putPayments(ctx context.Context, tx pgx.Tx, sub *domain.Subscription) error {
	keep := []string{}
	for _, p := range []*domain.ScheduledPayment{sub.LastPayment, sub.NextPayment} {
		if p == nil {
			continue
		}
		data, err := encode(p)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO subscription_payments (id, subscription_id, store_id, attempted, data) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (id) DO UPDATE SET attempted = excluded.attempted, data = excluded.data`, p.ID, sub.ID, sub.StoreID, p.Attempted(), data); err != nil {
			return err
		}
		keep = append(keep, p.ID)
	}
	_, err := tx.Exec(ctx, `DELETE FROM subscription_payments WHERE subscription_id = $1 AND NOT attempted AND NOT (id = ANY($2))`, sub.ID, keep)
	return err
}

// ClaimDueSubscription implements domain.Storage: the due subscription's
// row is locked (FOR UPDATE SKIP LOCKED), so concurrent claims, in this
// process or another, take different subscriptions.
func (d *DB) ClaimDueSubscription(ctx context.Context, storeID string, t time.Time, claim func(*domain.Subscription)) (*domain.Subscription, error) {
	var sub *domain.Subscription
	err := pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		var err error
		sub, err = getOne[domain.Subscription](ctx, tx, `SELECT data FROM subscriptions WHERE store_id = $1 AND due_at IS NOT NULL AND due_at <= $2
			ORDER BY due_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`, storeID, t)
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
	return getOne[domain.ScheduledPayment](ctx, d.pool, `SELECT data FROM subscription_payments WHERE id = $1 AND subscription_id = $2`, id, subscriptionID)
}

// ListSubscriptionPayments implements domain.Storage.
func (d *DB) ListSubscriptionPayments(ctx context.Context, q domain.SubscriptionPaymentQuery) (domain.List[*domain.ScheduledPayment], error) {
	return page(ctx, d.pool, sqlstore.Docs[domain.ScheduledPayment]("subscription_payments"), dialect.SubscriptionPayments(q), q.Page)
}

// ListSubscriptions implements domain.Storage.
func (d *DB) ListSubscriptions(ctx context.Context, q domain.SubscriptionQuery) (domain.List[*domain.Subscription], error) {
	return page(ctx, d.pool, sqlstore.Docs[domain.Subscription]("subscriptions"), dialect.Subscriptions(q), q.Page)
}

// ListDueSubscriptions implements domain.Storage.
func (d *DB) ListDueSubscriptions(ctx context.Context, storeID string, t time.Time) ([]*domain.Subscription, error) {
	return listDocs[domain.Subscription](ctx, d.pool, `SELECT data FROM subscriptions WHERE store_id = $1 AND due_at IS NOT NULL AND due_at <= $2 ORDER BY due_at, id`, storeID, t)
}

// ActiveSubscriptionTokenExists implements domain.Storage.
func (d *DB) ActiveSubscriptionTokenExists(ctx context.Context, storeID, fingerprint string, since time.Time) (bool, error) {
	var ok bool
	err := d.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM tokens WHERE store_id = $1 AND data->'card'->>'fingerprint' = $2 AND created_at >= $3
		AND active AND data->>'type' = $4)`, storeID, fingerprint, since, string(api.TokenTypeSubscription)).Scan(&ok)
	return ok, err
}
