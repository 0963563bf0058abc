package sqlite

import (
	"context"
	"database/sql"
	"time"

	"kessai/server/domain"
)

var tokenTable = table[domain.TxToken]{"tokens", func(t *domain.TxToken) row {
	return row{id: t.ID,
		fixed:   []col{{"store_id", t.StoreID}, {"merchant_id", t.MerchantID}, {"mode", string(t.Mode)}, {"created_at", us(t.CreatedAt)}},
		mutable: []col{{"active", t.Active}}}
}}

// CreateToken implements domain.Storage.
func (d *DB) CreateToken(ctx context.Context, t *domain.TxToken) error {
	return tokenTable.insert(ctx, d.db, t)
}

// GetToken implements domain.Storage.
func (d *DB) GetToken(ctx context.Context, id string) (*domain.TxToken, error) {
	return tokenTable.get(ctx, d.db, id)
}

// UpdateToken implements domain.Storage.
func (d *DB) UpdateToken(ctx context.Context, t *domain.TxToken) error {
	return tokenTable.update(ctx, d.db, t)
}

// DeleteToken implements domain.Storage.
func (d *DB) DeleteToken(ctx context.Context, id string) error {
	return tokenTable.delete(ctx, d.db, id)
}

// useToken marks a token used at t inside tx (a charge or a subscription
// is made with it); with consume it deactivates it and fails with
// ErrTokenInactive if it was inactive.
func useToken(ctx context.Context, tx *sql.Tx, tokenID string, t time.Time, consume bool) error {
	tok, err := tokenTable.get(ctx, tx, tokenID)
	if err != nil {
		return err
	}
	if consume && !tok.Active {
		return domain.ErrTokenInactive
	}
	tok.LastUsedAt = &t
	tok.UpdatedAt = t
	if consume {
		tok.Active = false
	}
	return tokenTable.update(ctx, tx, tok)
}

// ListTokens implements domain.Storage.
func (d *DB) ListTokens(ctx context.Context, q domain.TokenQuery) (domain.List[*domain.TxToken], error) {
	return tokenTable.list(ctx, d.db, dialect.Tokens(q), q.Page)
}
