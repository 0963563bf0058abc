package sqlite

import (
	"context"
	"fmt"

	"kessai/server/domain"
	"kessai/server/sqlstore"
)

// PendingFollowUps implements domain.Storage.
func (d *DB) PendingFollowUps(ctx context.Context, limit int) ([]domain.FollowUpRef, error) {
	var refs []domain.FollowUpRef
	for _, kind := range domain.FollowUpKinds {
		if len(refs) >= limit {
			break
		}
		rows, err := d.db.QueryContext(ctx, "SELECT id FROM "+sqlstore.FollowUpTables[kind]+
			" WHERE json_extract(data, '$.follow_up') IS NOT NULL LIMIT ?", limit-len(refs))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			ref := domain.FollowUpRef{Kind: kind}
			if err := rows.Scan(&ref.ID); err != nil {
				rows.Close()
				return nil, err
			}
			refs = append(refs, ref)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return refs, nil
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
