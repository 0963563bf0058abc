package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"kessai/server/domain"
	"kessai/server/sqlstore"
)

// AddRequests implements domain.Storage: the entries and the trim of each
// of their stores' logs, in one transaction.
func (d *DB) AddRequests(ctx context.Context, entries []*domain.RequestLogEntry, keep int) error {
	return pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		var b pgx.Batch
		stores := map[string]bool{}
		for _, e := range entries {
			data, err := encode(e)
			if err != nil {
				return err
			}
			b.Queue(`INSERT INTO request_log (id, store_id, resource_ids, created_at, data) VALUES ($1, $2, $3, $4, $5)`,
				e.ID, e.StoreID, sqlstore.ResourceIDs(e), e.At, data)
			stores[e.StoreID] = true
		}
		for id := range stores {
			// The keep-th newest entry and the newer ones stay.
			b.Queue(`DELETE FROM request_log WHERE store_id = $1 AND id <
				(SELECT id FROM request_log WHERE store_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)`, id, keep-1)
		}
		return tx.SendBatch(ctx, &b).Close()
	})
}

// ListRequests implements domain.Storage.
func (d *DB) ListRequests(ctx context.Context, q domain.RequestLogQuery) (domain.List[*domain.RequestLogEntry], error) {
	return page(ctx, d.pool, sqlstore.Docs[domain.RequestLogEntry]("request_log"), dialect.Requests(q), q.Page)
}
