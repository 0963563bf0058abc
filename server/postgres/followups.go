package postgres

import (
	"context"
	"fmt"

	"kessai/server/domain"
	"kessai/server/sqlstore"
)

// PendingFollowUps implements domain.Storage.
func (d *DB) PendingFollowUps(ctx context.Context, limit int) ([]domain.FollowUpRef, error) {
	return sqlstore.PendingFollowUps(ctx, shared(d.pool), limit)
}

// ClearFollowUps implements domain.Storage.
func (d *DB) ClearFollowUps(ctx context.Context, ref domain.FollowUpRef, mark string) error {
	table, ok := sqlstore.FollowUpTables[ref.Kind]
	if !ok {
		return fmt.Errorf("postgres: no follow-ups in %q records", ref.Kind)
	}
	_, err := d.pool.Exec(ctx, "UPDATE "+table+" SET data = data - 'follow_ups' - 'follow_up' WHERE id = $1 AND data->>'follow_up' = $2", ref.ID, mark)
	return err
}
