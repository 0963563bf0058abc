package sqlite

import (
	"context"
	"fmt"

	"kessai/server/domain"
	"kessai/server/sqlstore"
)

// PendingFollowUps implements domain.Storage.
func (d *DB) PendingFollowUps(ctx context.Context, limit int) ([]domain.FollowUpRef, error) {
	return sqlstore.PendingFollowUps(ctx, shared(d.db), limit)
}

// ClearFollowUps implements domain.Storage.
func (d *DB) ClearFollowUps(ctx context.Context, ref domain.FollowUpRef, mark string) error {
	table, ok := sqlstore.FollowUpTables[ref.Kind]
	if !ok {
		return fmt.Errorf("sqlite: no follow-ups in %q records", ref.Kind)
	}
	_, err := d.db.ExecContext(ctx, "UPDATE "+table+" SET data = json_remove(data, '$.follow_ups', '$.follow_up') WHERE id = ? AND json_extract(data, '$.follow_up') = ?", ref.ID, mark)
	return err
}
