package postgres

import (
	"context"
	"strings"

	"kessai/server/domain"
)

// CreateToken implements domain.Storage.
func (d *DB) CreateToken(ctx context.Context, t *domain.TxToken) error {
	data, err := encode(t)
	if err != nil {
		return err
	}
	_, err = d.pool.Exec(ctx, `INSERT INTO tokens (id, store_id, merchant_id, mode, active, created_at, data) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		t.ID, t.StoreID, t.MerchantID, string(t.Mode), t.Active, t.CreatedAt, data)
	return err
}

// GetToken implements domain.Storage.
func (d *DB) GetToken(ctx context.Context, id string) (*domain.TxToken, error) {
	return getOne[domain.TxToken](ctx, d.pool, `SELECT data FROM tokens WHERE id = $1`, id)
}

// UpdateToken implements domain.Storage.
func (d *DB) UpdateToken(ctx context.Context, t *domain.TxToken) error {
	data, err := encode(t)
	if err != nil {
		return err
	}
	return expectOne(d.pool.Exec(ctx, `UPDATE tokens SET active = $1, data = $2 WHERE id = $3`, t.Active, data, t.ID))
}

// DeleteToken implements domain.Storage.
func (d *DB) DeleteToken(ctx context.Context, id string) error {
	return expectOne(d.pool.Exec(ctx, `DELETE FROM tokens WHERE id = $1`, id))
}

// ListTokens implements domain.Storage.
func (d *DB) ListTokens(ctx context.Context, q domain.TokenQuery) (domain.List[*domain.TxToken], error) {
	var w where
	w.scope(q.Scope)
	w.filters(q.Filters)
	if q.Type != "" {
		w.add("data->>'type' = ?", string(q.Type))
	}
	if q.PaymentType != "" {
		w.add("data->>'payment_type' = ?", string(q.PaymentType))
	}
	if q.ID != "" {
		w.add("id = ?", strings.ToLower(q.ID))
	}
	if q.ShortID != "" {
		w.add("right(id, 6) = ?", strings.ToLower(q.ShortID))
	}
	if q.ActiveOnly {
		w.add("active")
	}
	if q.CustomerID != "" {
		w.add("data->'metadata'->>'univapay-customer-id' = ?", q.CustomerID)
	}
	if q.PreviousID != "" {
		w.add("data->>'previous_id' = ?", q.PreviousID)
	}
	tokenFilters(&w, tokenMatch{
		email: q.Email, cardholderPart: q.Cardholder, cardExp: q.CardExp,
		lastFour: q.CardLastFour, phone: q.PhoneNumber, brand: q.Brand,
	})
	return page(ctx, d.pool, docs[domain.TxToken]("tokens"), w, q.Page)
}

// tokenMatch are the conditions on a token's own data that both the token
// list and the charge list (through the charge's token) filter on.
type tokenMatch struct {
	email             string
	cardholderPart    string // part of the name, any case
	cardholder        string // the whole name, any case
	cardExp           string // yyyy-MM
	expMonth, expYear int
	lastFour          string
	phone             string // digits
	brand             string
}

func (m tokenMatch) empty() bool { return m == tokenMatch{} }

// tokenFilters adds m's conditions on the columns of the tokens table.
func tokenFilters(w *where, m tokenMatch) {
	if m.email != "" {
		w.add("lower(data->>'email') = lower(?)", m.email)
	}
	if m.cardholderPart != "" {
		w.add("strpos(lower(data->'card'->>'cardholder'), lower(?)) > 0", m.cardholderPart)
	}
	if m.cardholder != "" {
		w.add("lower(btrim(data->'card'->>'cardholder')) = lower(btrim(?))", m.cardholder)
	}
	if m.cardExp != "" {
		w.add("lpad(data->'card'->>'exp_year', 4, '0') || '-' || lpad(data->'card'->>'exp_month', 2, '0') = ?", m.cardExp)
	}
	if m.expMonth != 0 {
		w.add("(data->'card'->>'exp_month')::int = ?", m.expMonth)
	}
	if m.expYear != 0 {
		w.add("(data->'card'->>'exp_year')::int = ?", m.expYear)
	}
	if m.lastFour != "" {
		w.add("data->'card'->>'last_four' = ?", m.lastFour)
	}
	if m.phone != "" {
		// The local number without the usual separators, with or without
		// the country code.
		local := "translate(data->'billing'->>'phone_local_number', '-() +.', '')"
		w.add("("+local+" = ? OR COALESCE(data->'billing'->>'phone_country_code', '') || "+local+" = ?)", m.phone, m.phone)
	}
	if m.brand != "" {
		w.add("data->'card'->>'brand' = lower(?)", m.brand)
	}
}
