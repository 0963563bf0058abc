package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"kessai/server/domain"
	"kessai/server/sqlstore"
)

// CountCharges implements domain.Storage.
func (d *DB) CountCharges(ctx context.Context, q domain.ChargeCount) (int, error) {
	return sqlstore.Count(ctx, shared(d.pool), "charges", dialect.ChargeCount(q))
}

// ChargeTimes implements domain.Storage.
func (d *DB) ChargeTimes(ctx context.Context, q domain.ChargeCount) ([]time.Time, error) {
	w := dialect.ChargeCount(q)
	rows, err := d.pool.Query(ctx, dialect.Bind(`SELECT created_at FROM charges`+w.SQL()+` ORDER BY created_at, id`), w.Args()...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (time.Time, error) {
		var at time.Time
		err := r.Scan(&at)
		return at.UTC(), err
	})
}
