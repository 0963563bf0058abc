package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"kessai/server/domain"
	"kessai/server/sqlstore"
)

// webhookScope is the condition selecting the webhooks of w's scope: its
// store, or its merchant's merchant-wide webhooks.
func webhookScope(w *domain.Webhook) (string, []any) {
	if w.StoreID == "" {
		return "merchant_id = $1 AND store_id IS NULL", []any{w.MerchantID}
	}
	return "store_id = $1", []any{w.StoreID}
}

// urlTaken reports whether another webhook of w's scope has w's URL.
func urlTaken(ctx context.Context, tx pgx.Tx, w *domain.Webhook) (bool, error) {
	cond, args := webhookScope(w)
	var taken bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM webhooks WHERE `+cond+` AND url = $2 AND id <> $3)`, append(args, w.URL, w.ID)...).Scan(&taken)
	return taken, err
}

// CreateWebhook implements domain.Storage. The count and the insert run
// under the row lock of the scope (the store, or the merchant of a
// merchant-wide webhook), so concurrent creations never exceed max.
func (d *DB) CreateWebhook(ctx context.Context, w *domain.Webhook, max int) error {
	data, err := encode(w)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		// NO KEY UPDATE: inserts that refer to the row (by foreign key)
		// are not held up.
		lock := `SELECT 1 FROM stores WHERE id = $1 FOR NO KEY UPDATE`
		scope := w.StoreID
		if w.StoreID == "" {
			lock, scope = `SELECT 1 FROM merchants WHERE id = $1 FOR NO KEY UPDATE`, w.MerchantID
		}
		if _, err := tx.Exec(ctx, lock, scope); err != nil {
			return err
		}
		if taken, err := urlTaken(ctx, tx, w); err != nil {
			return err
		} else if taken {
			return domain.ErrConflict
		}
		cond, args := webhookScope(w)
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM webhooks WHERE `+cond, args...).Scan(&n); err != nil {
			return err
		}
		if n >= max {
			return domain.ErrLimit
		}
		_, err := tx.Exec(ctx, `INSERT INTO webhooks (id, merchant_id, store_id, url, active, created_at, data) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			w.ID, w.MerchantID, nullString(w.StoreID), w.URL, w.Active, w.CreatedAt, data)
		return uniqueViolation(err)
	})
}

// GetWebhook implements domain.Storage.
func (d *DB) GetWebhook(ctx context.Context, id string) (*domain.Webhook, error) {
	return getOne[domain.Webhook](ctx, d.pool, `SELECT data FROM webhooks WHERE id = $1`, id)
}

// UpdateWebhook implements domain.Storage. A concurrent update to the same
// URL is caught by the unique index.
func (d *DB) UpdateWebhook(ctx context.Context, w *domain.Webhook) error {
	data, err := encode(w)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		if taken, err := urlTaken(ctx, tx, w); err != nil {
			return err
		} else if taken {
			return domain.ErrConflict
		}
		return uniqueViolation(expectOne(tx.Exec(ctx, `UPDATE webhooks SET url = $1, active = $2, data = $3 WHERE id = $4`, w.URL, w.Active, data, w.ID)))
	})
}

// DeleteWebhook implements domain.Storage.
func (d *DB) DeleteWebhook(ctx context.Context, id string) error {
	return expectOne(d.pool.Exec(ctx, `DELETE FROM webhooks WHERE id = $1`, id))
}

// ListWebhooks implements domain.Storage.
func (d *DB) ListWebhooks(ctx context.Context, q domain.WebhookQuery) (domain.List[*domain.Webhook], error) {
	return page(ctx, d.pool, sqlstore.Docs[domain.Webhook]("webhooks"), dialect.Webhooks(q), q.Page)
}

// ActiveWebhooks implements domain.Storage.
func (d *DB) ActiveWebhooks(ctx context.Context, merchantID, storeID string) ([]*domain.Webhook, error) {
	return listDocs[domain.Webhook](ctx, d.pool, `SELECT data FROM webhooks WHERE active AND (store_id = $1 OR (store_id IS NULL AND merchant_id = $2)) ORDER BY id`,
		storeID, merchantID)
}

// splitDelivery returns dl's document without its Data, and the Data as it
// is stored beside it (the payload column, migrations/001_init.sql).
func splitDelivery(dl *domain.WebhookDelivery) (doc []byte, payload *string, err error) {
	c := *dl
	c.Data = nil
	if doc, err = encode(&c); err != nil {
		return nil, nil, err
	}
	if dl.Data != nil {
		s := string(dl.Data)
		payload = &s
	}
	return doc, payload, nil
}

// deliveries is the source of the delivery log: each item is its
// document and its payload.
var deliveries = sqlstore.Source[domain.WebhookDelivery]{Table: "webhook_deliveries", Cols: "data, payload", Scan: scanDelivery}

// scanDelivery reads a delivery from its document and its payload.
func scanDelivery(r sqlstore.Row) (*domain.WebhookDelivery, error) {
	var doc []byte
	var payload *string
	if err := r.Scan(&doc, &payload); err != nil {
		return nil, err
	}
	dl := new(domain.WebhookDelivery)
	if err := json.Unmarshal(doc, dl); err != nil {
		return nil, err
	}
	if payload != nil {
		dl.Data = json.RawMessage(*payload)
	}
	return dl, nil
}

// listDeliveries returns the deliveries query selects (data, payload).
func listDeliveries(ctx context.Context, db querier, query string, args ...any) ([]*domain.WebhookDelivery, error) {
	rows, err := db.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlstore.Collect(rows, scanDelivery)
}

// CreateWebhookDeliveries implements domain.Storage: the delivery of an
// event to a webhook that has it already is left out.
func (d *DB) CreateWebhookDeliveries(ctx context.Context, ds []*domain.WebhookDelivery) error {
	return pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		var b pgx.Batch
		for _, dl := range ds {
			doc, payload, err := splitDelivery(dl)
			if err != nil {
				return err
			}
			b.Queue(`INSERT INTO webhook_deliveries (id, webhook_id, store_id, merchant_id, event, status, due_at, created_at, data, payload)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (webhook_id, (data->>'event_id')) DO NOTHING`,
				dl.ID, dl.WebhookID, dl.StoreID, dl.MerchantID, string(dl.Event), string(dl.Status), dl.DueAt, dl.CreatedAt, doc, payload)
		}
		return tx.SendBatch(ctx, &b).Close()
	})
}

// GetWebhookDelivery implements domain.Storage.
func (d *DB) GetWebhookDelivery(ctx context.Context, id string) (*domain.WebhookDelivery, error) {
	ds, err := listDeliveries(ctx, d.pool, `SELECT data, payload FROM webhook_deliveries WHERE id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, domain.ErrNotFound
	}
	return ds[0], nil
}

// UpdateWebhookDelivery implements domain.Storage.
func (d *DB) UpdateWebhookDelivery(ctx context.Context, dl *domain.WebhookDelivery) error {
	doc, payload, err := splitDelivery(dl)
	if err != nil {
		return err
	}
	return expectOne(d.pool.Exec(ctx, `UPDATE webhook_deliveries SET status = $1, due_at = $2, data = $3, payload = $4 WHERE id = $5`,
		string(dl.Status), dl.DueAt, doc, payload, dl.ID))
}

// ListDueWebhookDeliveries implements domain.Storage.
func (d *DB) ListDueWebhookDeliveries(ctx context.Context, storeID string, t time.Time) ([]*domain.WebhookDelivery, error) {
	return listDeliveries(ctx, d.pool, `SELECT data, payload FROM webhook_deliveries
		WHERE store_id = $1 AND status = 'pending' AND due_at IS NOT NULL AND due_at <= $2 ORDER BY due_at, id`, storeID, t)
}

// ListWebhookDeliveries implements domain.Storage.
func (d *DB) ListWebhookDeliveries(ctx context.Context, q domain.WebhookDeliveryQuery) (domain.List[*domain.WebhookDelivery], error) {
	return page(ctx, d.pool, deliveries, dialect.WebhookDeliveries(q), q.Page)
}
