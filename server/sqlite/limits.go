package sqlite

import (
	"context"
	"time"

	"kessai/server/domain"
	"kessai/server/sqlstore"
)

// CountCharges implements domain.Storage.
func (d *DB) CountCharges(ctx context.Context, q domain.ChargeCount) (int, error) {
	return sqlstore.Count(ctx, shared(d.db), "charges", dialect.ChargeCount(q))
}

// ChargeTimes implements domain.Storage.
func (d *DB) ChargeTimes(ctx context.Context, q domain.ChargeCount) ([]time.Time, error) {
	w := dialect.ChargeCount(q)
	rows, err := d.db.QueryContext(ctx, `SELECT created_at FROM charges`+w.SQL()+` ORDER BY created_at, id`, w.Args()...)
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
