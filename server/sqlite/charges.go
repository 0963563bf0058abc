package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"kessai/server/domain"
)

// CreateCharge implements domain.Storage.
func (d *DB) CreateCharge(ctx context.Context, c *domain.Charge, tokenID string, consume bool) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var tokData string
	var active bool
	err = tx.QueryRowContext(ctx, `SELECT active, data FROM tokens WHERE id = ?`, tokenID).Scan(&active, &tokData)
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
	if err := json.Unmarshal([]byte(tokData), &tok); err != nil {
		return err
	}
	used := c.CreatedAt
	tok.LastUsedAt = &used
	tok.UpdatedAt = used
	if consume {
		tok.Active = false
	}
	data, err := encode(&tok)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tokens SET active = ?, data = ? WHERE id = ?`, tok.Active, data, tok.ID); err != nil {
		return err
	}
	cdata, err := encode(c)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO charges (id, store_id, merchant_id, mode, token_id, subscription_id, card_fingerprint, status, due_at, created_at, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.StoreID, c.MerchantID, string(c.Mode), tokenID, c.SubscriptionID, nullString(c.CardFingerprint), string(c.Status), optUS(c.DueAt), us(c.CreatedAt), cdata); err != nil {
		return err
	}
	return tx.Commit()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// GetCharge implements domain.Storage.
func (d *DB) GetCharge(ctx context.Context, id string) (*domain.Charge, error) {
	return getOne[domain.Charge](ctx, d.db, `SELECT data FROM charges WHERE id = ?`, id)
}

// UpdateCharge implements domain.Storage.
func (d *DB) UpdateCharge(ctx context.Context, c *domain.Charge) error {
	data, err := encode(c)
	if err != nil {
		return err
	}
	return expectOne(d.db.ExecContext(ctx, `UPDATE charges SET status = ?, due_at = ?, data = ? WHERE id = ?`, string(c.Status), optUS(c.DueAt), data, c.ID))
}

// ListDueCharges implements domain.Storage.
func (d *DB) ListDueCharges(ctx context.Context, storeID string, t time.Time) ([]*domain.Charge, error) {
	return listDocs[domain.Charge](ctx, d.db, `SELECT data FROM charges WHERE store_id = ? AND due_at IS NOT NULL AND due_at <= ? ORDER BY due_at`, storeID, us(t))
}

// ListCharges implements domain.Storage.
func (d *DB) ListCharges(ctx context.Context, q domain.ChargeQuery) (domain.List[*domain.Charge], error) {
	var w where
	w.scope(q.Scope)
	w.filters(q.Filters)
	if q.TransactionTokenID != "" {
		w.add("token_id = ?", strings.ToLower(q.TransactionTokenID))
	}
	if q.SubscriptionID != "" {
		w.add("subscription_id = ?", q.SubscriptionID)
	}
	if q.Currency != "" {
		w.add("(json_extract(data, '$.currency') = ? OR json_extract(data, '$.charged_currency') = ?)", q.Currency, q.Currency)
	}
	if q.AmountFrom != nil {
		w.add("json_extract(data, '$.amount') > ?", *q.AmountFrom)
	}
	if q.AmountTo != nil {
		w.add("json_extract(data, '$.amount') < ?", *q.AmountTo)
	}
	if q.LastFour != "" {
		w.add("json_extract(data, '$.last_four') = ?", q.LastFour)
	}
	// The card's name and expiry, the e-mail and the phone number are the
	// token's: match the charges whose token matches.
	m := tokenMatch{email: q.Email, cardholder: q.Name, expMonth: q.ExpMonth, expYear: q.ExpYear, phone: q.Phone}
	if !m.empty() {
		var tw where
		tw.scope(q.Scope)
		tokenFilters(&tw, m)
		w.add("token_id IN (SELECT id FROM tokens"+tw.sql()+")", tw.args...)
	}
	return page[domain.Charge](ctx, d.db, "charges", w, q.Page)
}
