package sqlite

import (
	"context"
	"time"

	"kessai/server/domain"
)

// chargeCount turns a domain.ChargeCount into the conditions on charges.
// The columns store_id, mode, token_id, card_fingerprint, status and
// created_at are indexed (002_lists.sql); the amount is in the document.
func chargeCount(q domain.ChargeCount) where {
	var w where
	if q.StoreID != "" {
		w.add("store_id = ?", q.StoreID)
	}
	if q.Mode != "" {
		w.add("mode = ?", string(q.Mode))
	}
	if q.TokenID != "" {
		w.add("token_id = ?", q.TokenID)
	}
	if q.CardFingerprint != "" {
		w.add("card_fingerprint = ?", q.CardFingerprint)
	}
	if q.Amount != nil {
		w.add("json_extract(data, '$.amount') = ?", *q.Amount)
	}
	if q.Currency != "" {
		w.add("json_extract(data, '$.currency') = ?", q.Currency)
	}
	addIn(&w, "status", false, q.Statuses)
	addIn(&w, "status", true, q.ExceptStatuses)
	if !q.CreatedFrom.IsZero() {
		w.add("created_at >= ?", us(q.CreatedFrom))
	}
	if !q.CreatedTo.IsZero() {
		w.add("created_at < ?", us(q.CreatedTo))
	}
	return w
}

// CountCharges implements domain.Storage.
func (d *DB) CountCharges(ctx context.Context, q domain.ChargeCount) (int, error) {
	w := chargeCount(q)
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM charges`+w.sql(), w.args...).Scan(&n)
	return n, err
}

// ChargeTimes implements domain.Storage.
func (d *DB) ChargeTimes(ctx context.Context, q domain.ChargeCount) ([]time.Time, error) {
	w := chargeCount(q)
	rows, err := d.db.QueryContext(ctx, `SELECT created_at FROM charges`+w.sql()+` ORDER BY created_at, id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			return nil, err
		}
		out = append(out, time.UnixMicro(at).UTC())
	}
	return out, rows.Err()
}
