package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"kessai/api"
	"kessai/server/domain"
)

// chargeCount turns a domain.ChargeCount into the conditions on charges.
// The columns store_id, mode, token_id, card_fingerprint, status and
// created_at are indexed (migrations/001_init.sql); the amount is in the
// document.
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
		w.add("(data->>'amount')::bigint = ?", *q.Amount)
	}
	if q.Currency != "" {
		w.add("data->>'currency' = ?", q.Currency)
	}
	if len(q.Statuses) > 0 {
		w.add("status = ANY(?)", statusStrings(q.Statuses))
	}
	if len(q.ExceptStatuses) > 0 {
		w.add("status <> ALL(?)", statusStrings(q.ExceptStatuses))
	}
	if !q.CreatedFrom.IsZero() {
		w.add("created_at >= ?", q.CreatedFrom)
	}
	if !q.CreatedTo.IsZero() {
		w.add("created_at < ?", q.CreatedTo)
	}
	return w
}

func statusStrings(statuses []api.ChargeStatus) []string {
	out := make([]string, len(statuses))
	for i, s := range statuses {
		out[i] = string(s)
	}
	return out
}

// CountCharges implements domain.Storage.
func (d *DB) CountCharges(ctx context.Context, q domain.ChargeCount) (int, error) {
	w := chargeCount(q)
	var n int
	err := d.pool.QueryRow(ctx, rebind(`SELECT COUNT(*) FROM charges`+w.sql()), w.args...).Scan(&n)
	return n, err
}

// ChargeTimes implements domain.Storage.
func (d *DB) ChargeTimes(ctx context.Context, q domain.ChargeCount) ([]time.Time, error) {
	w := chargeCount(q)
	rows, err := d.pool.Query(ctx, rebind(`SELECT created_at FROM charges`+w.sql()+` ORDER BY created_at, id`), w.args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (time.Time, error) {
		var at time.Time
		err := r.Scan(&at)
		return at.UTC(), err
	})
}
