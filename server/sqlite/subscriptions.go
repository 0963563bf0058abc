package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// CreateSubscription implements domain.Storage.
func (d *DB) CreateSubscription(ctx context.Context, sub *domain.Subscription, consume bool) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := useToken(ctx, tx, sub.TokenID, sub.CreatedAt, consume); err != nil {
		return err
	}
	data, err := encode(sub)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (id, store_id, merchant_id, mode, token_id, status, due_at, created_at, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sub.ID, sub.StoreID, sub.MerchantID, string(sub.Mode), sub.TokenID, string(sub.Status), optUS(sub.DueAt), us(sub.CreatedAt), data); err != nil {
		return err
	}
	return tx.Commit()
}

// UseToken implements domain.Storage.
func (d *DB) UseToken(ctx context.Context, tokenID string, t time.Time, consume bool) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := useToken(ctx, tx, tokenID, t, consume); err != nil {
		return err
	}
	return tx.Commit()
}

// useToken marks a token used at t inside tx; with consume it deactivates
// it and fails with ErrTokenInactive if it was inactive.
func useToken(ctx context.Context, tx *sql.Tx, tokenID string, t time.Time, consume bool) error {
	var data string
	var active bool
	err := tx.QueryRowContext(ctx, `SELECT active, data FROM tokens WHERE id = ?`, tokenID).Scan(&active, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.ErrNotFound
	}
	if err != nil {
		return err
	}
	if consume && !active {
		return domain.ErrTokenInactive
	}
	var tok domain.TxToken
	if err := json.Unmarshal([]byte(data), &tok); err != nil {
		return err
	}
	tok.LastUsedAt = &t
	tok.UpdatedAt = t
	if consume {
		tok.Active = false
	}
	if data, err = encode(&tok); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE tokens SET active = ?, data = ? WHERE id = ?`, tok.Active, data, tok.ID)
	return err
}

// GetSubscription implements domain.Storage.
func (d *DB) GetSubscription(ctx context.Context, id string) (*domain.Subscription, error) {
	return getOne[domain.Subscription](ctx, d.db, `SELECT data FROM subscriptions WHERE id = ?`, id)
}

// UpdateSubscription implements domain.Storage.
func (d *DB) UpdateSubscription(ctx context.Context, sub *domain.Subscription) error {
	data, err := encode(sub)
	if err != nil {
		return err
	}
	return expectOne(d.db.ExecContext(ctx, `UPDATE subscriptions SET token_id = ?, status = ?, due_at = ?, data = ? WHERE id = ?`,
		sub.TokenID, string(sub.Status), optUS(sub.DueAt), data, sub.ID))
}

// DeleteSubscription implements domain.Storage.
func (d *DB) DeleteSubscription(ctx context.Context, id string) error {
	return expectOne(d.db.ExecContext(ctx, `DELETE FROM subscriptions WHERE id = ?`, id))
}

// ListSubscriptions implements domain.Storage.
func (d *DB) ListSubscriptions(ctx context.Context, q domain.SubscriptionQuery) (domain.List[*domain.Subscription], error) {
	var w where
	w.scope(q.Scope)
	w.filters(q.Filters)
	if len(q.Statuses) > 0 {
		marks := make([]string, len(q.Statuses))
		args := make([]any, len(q.Statuses))
		for i, st := range q.Statuses {
			marks[i], args[i] = "?", string(st)
		}
		w.add("status IN ("+strings.Join(marks, ", ")+")", args...)
	}
	if q.Search != "" {
		w.add(`EXISTS (SELECT 1 FROM json_each(data, '$.metadata') AS m WHERE instr(lower(CAST(m.value AS TEXT)), lower(?)) > 0)`, q.Search)
	}
	return page[domain.Subscription](ctx, d.db, "subscriptions", w, q.Page)
}

// ListDueSubscriptions implements domain.Storage.
func (d *DB) ListDueSubscriptions(ctx context.Context, storeID string, t time.Time) ([]*domain.Subscription, error) {
	return listDocs[domain.Subscription](ctx, d.db, `SELECT data FROM subscriptions WHERE store_id = ? AND due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, id`, storeID, us(t))
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
