package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"kessai/server/domain"
	"kessai/server/sqlstore"
)

// CreateCharge implements domain.Storage: the token is read under a row
// lock, so that of two charges consuming one token only one succeeds.
// Guarded creations take a transaction-scoped advisory lock on the store
// first, so that the guards' counts and the insert are serialised with the
// guarded creations of every process (docs/postgres.md).
func (d *DB) CreateCharge(ctx context.Context, c *domain.Charge, tokenID string, consume bool, guards ...domain.ChargeGuard) error {
	cdata, err := encode(c)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		if len(guards) > 0 {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('charge-guards:' || $1, 0))`, c.StoreID); err != nil {
				return err
			}
			if err := sqlstore.CheckGuards(ctx, shared(tx), guards); err != nil {
				return err
			}
		}
		if err := useToken(ctx, tx, tokenID, c.CreatedAt, consume); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO charges (id, store_id, merchant_id, mode, token_id, subscription_id, card_fingerprint, status, due_at, created_at, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			c.ID, c.StoreID, c.MerchantID, string(c.Mode), tokenID, c.SubscriptionID, nullString(c.CardFingerprint), string(c.Status), c.DueAt, c.CreatedAt, cdata)
		return err
	})
}

// useToken marks a token used at t inside tx, under the token's row lock;
// with consume it deactivates it and fails with ErrTokenInactive if it was
// inactive.
func useToken(ctx context.Context, tx pgx.Tx, tokenID string, t time.Time, consume bool) error {
	var data []byte
	var active bool
	err := tx.QueryRow(ctx, `SELECT active, data FROM tokens WHERE id = $1 FOR UPDATE`, tokenID).Scan(&active, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.ErrNotFound
	}
	if err != nil {
		return err
	}
	if consume && !active {
		return domain.ErrTokenInactive
	}
	var tok domain.TxToken
	if err := json.Unmarshal(data, &tok); err != nil {
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
	_, err = tx.Exec(ctx, `UPDATE tokens SET active = $1, data = $2 WHERE id = $3`, tok.Active, data, tok.ID)
	return err
}

// GetCharge implements domain.Storage.
func (d *DB) GetCharge(ctx context.Context, id string) (*domain.Charge, error) {
	return getOne[domain.Charge](ctx, d.pool, `SELECT data FROM charges WHERE id = $1`, id)
}

// UpdateCharge implements domain.Storage.
func (d *DB) UpdateCharge(ctx context.Context, c *domain.Charge) error {
	return updateCharge(ctx, d.pool, c)
}

func updateCharge(ctx context.Context, db querier, c *domain.Charge) error {
	data, err := encode(c)
	if err != nil {
		return err
	}
	return expectOne(db.Exec(ctx, `UPDATE charges SET status = $1, due_at = $2, data = $3 WHERE id = $4`, string(c.Status), c.DueAt, data, c.ID))
}

// ListDueCharges implements domain.Storage.
func (d *DB) ListDueCharges(ctx context.Context, storeID string, t time.Time) ([]*domain.Charge, error) {
	return listDocs[domain.Charge](ctx, d.pool, `SELECT data FROM charges WHERE store_id = $1 AND due_at IS NOT NULL AND due_at <= $2 ORDER BY due_at, id`, storeID, t)
}

// ListCharges implements domain.Storage.
func (d *DB) ListCharges(ctx context.Context, q domain.ChargeQuery) (domain.List[*domain.Charge], error) {
	return page(ctx, d.pool, sqlstore.Docs[domain.Charge]("charges"), dialect.Charges(q), q.Page)
}
