package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"

	"kessai/server/domain"
	"kessai/server/sqlstore"
)

// AddRequests implements domain.Storage: the entries and the trim of each
// of their stores' logs, in one transaction.
func (d *DB) AddRequests(ctx context.Context, entries []*domain.RequestLogEntry, keep int) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		stores := map[string]bool{}
		for _, e := range entries {
			data, err := json.Marshal(e)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO request_log (id, store_id, resource_ids, created_at, data) VALUES (?, ?, ?, ?, ?)`,
				e.ID, e.StoreID, sqlstore.ResourceIDs(e), us(e.At), string(data)); err != nil {
				return err
			}
			stores[e.StoreID] = true
		}
		for id := range stores {
			// The keep-th newest entry and the newer ones stay.
			if _, err := tx.ExecContext(ctx, `DELETE FROM request_log WHERE store_id = ?1 AND id <
				(SELECT id FROM request_log WHERE store_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)`, id, keep-1); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListRequests implements domain.Storage.
func (d *DB) ListRequests(ctx context.Context, q domain.RequestLogQuery) (domain.List[*domain.RequestLogEntry], error) {
	return page[domain.RequestLogEntry](ctx, d.db, "request_log", dialect.Requests(q), q.Page)
}
