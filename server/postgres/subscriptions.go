package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"kessai/api"
	"kessai/server/domain"
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
		_, err := tx.Exec(ctx, `INSERT INTO subscriptions (id, store_id, merchant_id, mode, token_id, status, due_at, created_at, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			sub.ID, sub.StoreID, sub.MerchantID, string(sub.Mode), sub.TokenID, string(sub.Status), sub.DueAt, sub.CreatedAt, data)
		return err
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
	data, err := encode(sub)
	if err != nil {
		return err
	}
	return expectOne(d.pool.Exec(ctx, `UPDATE subscriptions SET token_id = $1, status = $2, due_at = $3, data = $4 WHERE id = $5`,
		sub.TokenID, string(sub.Status), sub.DueAt, data, sub.ID))
}

// DeleteSubscription implements domain.Storage.
func (d *DB) DeleteSubscription(ctx context.Context, id string) error {
	return expectOne(d.pool.Exec(ctx, `DELETE FROM subscriptions WHERE id = $1`, id))
}

// ListSubscriptions implements domain.Storage.
func (d *DB) ListSubscriptions(ctx context.Context, q domain.SubscriptionQuery) (domain.List[*domain.Subscription], error) {
	var w where
	w.scope(q.Scope)
	w.filters(q.Filters)
	if len(q.Statuses) > 0 {
		statuses := make([]string, len(q.Statuses))
		for i, st := range q.Statuses {
			statuses[i] = string(st)
		}
		w.add("status = ANY(?)", statuses)
	}
	if q.Search != "" {
		w.add("EXISTS (SELECT 1 FROM jsonb_each_text("+metadata("data")+") m WHERE strpos(lower(m.value), lower(?)) > 0)", q.Search)
	}
	return page(ctx, d.pool, docs[domain.Subscription]("subscriptions"), w, q.Page)
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
