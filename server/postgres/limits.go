package postgres

import (
	"context"
	"time"

	"kessai/server/domain"
	"kessai/server/sqlstore"
)

// CountCharges implements domain.Storage.
func (d *DB) CountCharges(ctx context.Context, q domain.ChargeCount) (int, error) {
	return sqlstore.CountCharges(ctx, shared(d.pool), q)
}

// ChargeTimes implements domain.Storage.
func (d *DB) ChargeTimes(ctx context.Context, q domain.ChargeCount) ([]time.Time, error) {
	return sqlstore.ChargeTimes(ctx, shared(d.pool), q)
}
