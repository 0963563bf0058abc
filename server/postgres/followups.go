package postgres

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
		rows, err := d.pool.Query(ctx, "SELECT id FROM "+sqlstore.FollowUpTables[kind]+
			" WHERE data->>'follow_up' IS NOT NULL LIMIT $1", limit-len(refs))
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
		rows.Close()
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
		return fmt.Errorf("postgres: no follow-ups in %q records", ref.Kind)
	}
	_, err := d.pool.Exec(ctx, "UPDATE "+table+" SET data = data - 'follow_ups' - 'follow_up' WHERE id = $1 AND data->>'follow_up' = $2", ref.ID, mark)
	return err
}
