package sqlite

import (
	"context"
	"database/sql"
	"strings"
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
	w := scoped(q.Scope, q.Filters)
	if q.Type != "" {
		w.add("json_extract(data, '$.type') = ?", string(q.Type))
	}
	if q.PaymentType != "" {
		w.add("json_extract(data, '$.payment_type') = ?", string(q.PaymentType))
	}
	if q.ID != "" {
		w.add("id = ?", strings.ToLower(q.ID))
	}
	if q.ShortID != "" {
		w.add("substr(id, -6) = ?", strings.ToLower(q.ShortID))
	}
	if q.ActiveOnly {
		w.add("active = 1")
	}
	if q.CustomerID != "" {
		w.add("json_extract(data, ?) = ?", jsonPath("metadata", "univapay-customer-id"), q.CustomerID)
	}
	if q.PreviousID != "" {
		w.add("json_extract(data, '$.previous_id') = ?", q.PreviousID)
	}
	tokenFilters(&w, tokenMatch{
		email: q.Email, cardholderPart: q.Cardholder, cardExp: q.CardExp,
		lastFour: q.CardLastFour, phone: q.PhoneNumber, brand: q.Brand,
	})
	return tokenTable.list(ctx, d.db, w, q.Page)
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
		w.add("lower(json_extract(data, '$.email')) = lower(?)", m.email)
	}
	if m.cardholderPart != "" {
		w.add("instr(lower(json_extract(data, '$.card.cardholder')), lower(?)) > 0", m.cardholderPart)
	}
	if m.cardholder != "" {
		w.add("lower(trim(json_extract(data, '$.card.cardholder'))) = lower(trim(?))", m.cardholder)
	}
	if m.cardExp != "" {
		w.add("printf('%04d-%02d', json_extract(data, '$.card.exp_year'), json_extract(data, '$.card.exp_month')) = ?", m.cardExp)
	}
	if m.expMonth != 0 {
		w.add("json_extract(data, '$.card.exp_month') = ?", m.expMonth)
	}
	if m.expYear != 0 {
		w.add("json_extract(data, '$.card.exp_year') = ?", m.expYear)
	}
	if m.lastFour != "" {
		w.add("json_extract(data, '$.card.last_four') = ?", m.lastFour)
	}
	if m.phone != "" {
		local := digitsOnly("json_extract(data, '$.billing.phone_local_number')")
		w.add("("+local+" = ? OR COALESCE(json_extract(data, '$.billing.phone_country_code'), '') || "+local+" = ?)", m.phone, m.phone)
	}
	if m.brand != "" {
		w.add("json_extract(data, '$.card.brand') = lower(?)", m.brand)
	}
}

// digitsOnly is expr without the usual phone-number separators.
func digitsOnly(expr string) string {
	for _, c := range []string{"-", " ", "(", ")", "+", "."} {
		expr = "replace(" + expr + ", '" + c + "', '')"
	}
	return expr
}
