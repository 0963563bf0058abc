package sqlstore

import (
	"context"
	"time"

	"kessai/server/domain"
)

// ChargeCount are the conditions on charges of a domain.ChargeCount (the
// charge limits). The columns store_id, mode, token_id, card_fingerprint,
// status and created_at are indexed; the amount is in the document.
func (d Dialect) ChargeCount(q domain.ChargeCount) Where {
	w := d.Where()
	if q.StoreID != "" {
		w.Add("store_id = ?", q.StoreID)
	}
	if q.Mode != "" {
		w.Add("mode = ?", string(q.Mode))
	}
	if q.TokenID != "" {
		w.Add("token_id = ?", q.TokenID)
	}
	if q.CardFingerprint != "" {
		w.Add("card_fingerprint = ?", q.CardFingerprint)
	}
	if q.Amount != nil {
		w.Add(d.Int("data", "amount")+" = ?", *q.Amount)
	}
	if q.Currency != "" {
		w.Add(d.Text("data", "currency")+" = ?", q.Currency)
	}
	in(&w, "status", q.Statuses)
	notIn(&w, "status", q.ExceptStatuses)
	if !q.CreatedFrom.IsZero() {
		w.Add("created_at >= ?", d.Time(q.CreatedFrom))
	}
	if !q.CreatedTo.IsZero() {
		w.Add("created_at < ?", d.Time(q.CreatedTo))
	}
	return w
}

// CountCharges counts the charges of q (domain.LimitStorage).
func CountCharges(ctx context.Context, db DB, q domain.ChargeCount) (int, error) {
	return Count(ctx, db, "charges", db.Dialect.ChargeCount(q))
}

// ChargeTimes returns the creation times of the charges of q, oldest first
// (domain.LimitStorage).
func ChargeTimes(ctx context.Context, db DB, q domain.ChargeCount) ([]time.Time, error) {
	w := db.Dialect.ChargeCount(q)
	rows, err := db.Q.Query(ctx, db.Dialect.Bind("SELECT created_at FROM charges"+w.SQL()+" ORDER BY created_at, id"), w.Args()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		at, err := db.Dialect.scanTime(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, at)
	}
	return out, rows.Err()
}

// CheckGuards counts the charges of each guard inside the caller's
// transaction and returns the Err of the first whose count has reached its
// Max (domain.ChargeStorage.CreateCharge).
func CheckGuards(ctx context.Context, db DB, guards []domain.ChargeGuard) error {
	for _, g := range guards {
		n, err := CountCharges(ctx, db, g.Count)
		if err != nil {
			return err
		}
		if n >= g.Max {
			return g.Err
		}
	}
	return nil
}
