package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"kessai/server/domain"
)

// webhookScope is the condition selecting the webhooks of w's scope: its
// store, or its merchant's merchant-wide webhooks.
func webhookScope(w *domain.Webhook) (string, []any) {
	if w.StoreID == "" {
		return "merchant_id = ? AND store_id IS NULL", []any{w.MerchantID}
	}
	return "store_id = ?", []any{w.StoreID}
}

// urlTaken reports whether another webhook of w's scope has w's URL.
func urlTaken(ctx context.Context, tx *sql.Tx, w *domain.Webhook) (bool, error) {
	cond, args := webhookScope(w)
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM webhooks WHERE `+cond+` AND url = ? AND id != ?`, append(args, w.URL, w.ID)...).Scan(&n)
	return n > 0, err
}

// uniqueViolation maps a UNIQUE constraint failure to domain.ErrConflict.
func uniqueViolation(err error) error {
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return domain.ErrConflict
	}
	return err
}

// CreateWebhook implements domain.Storage.
func (d *DB) CreateWebhook(ctx context.Context, w *domain.Webhook, max int) error {
	data, err := encode(w)
	if err != nil {
		return err
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if taken, err := urlTaken(ctx, tx, w); err != nil {
		return err
	} else if taken {
		return domain.ErrConflict
	}
	cond, args := webhookScope(w)
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM webhooks WHERE `+cond, args...).Scan(&n); err != nil {
		return err
	}
	if n >= max {
		return domain.ErrLimit
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO webhooks (id, merchant_id, store_id, url, active, created_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		w.ID, w.MerchantID, nullString(w.StoreID), w.URL, w.Active, us(w.CreatedAt), data); err != nil {
		return uniqueViolation(err)
	}
	return tx.Commit()
}

// GetWebhook implements domain.Storage.
func (d *DB) GetWebhook(ctx context.Context, id string) (*domain.Webhook, error) {
	return getOne[domain.Webhook](ctx, d.db, `SELECT data FROM webhooks WHERE id = ?`, id)
}

// UpdateWebhook implements domain.Storage.
func (d *DB) UpdateWebhook(ctx context.Context, w *domain.Webhook) error {
	data, err := encode(w)
	if err != nil {
		return err
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if taken, err := urlTaken(ctx, tx, w); err != nil {
		return err
	} else if taken {
		return domain.ErrConflict
	}
	if err := expectOne(tx.ExecContext(ctx, `UPDATE webhooks SET url = ?, active = ?, data = ? WHERE id = ?`, w.URL, w.Active, data, w.ID)); err != nil {
		return uniqueViolation(err)
	}
	return tx.Commit()
}

// DeleteWebhook implements domain.Storage.
func (d *DB) DeleteWebhook(ctx context.Context, id string) error {
	return expectOne(d.db.ExecContext(ctx, `DELETE FROM webhooks WHERE id = ?`, id))
}

// ListWebhooks implements domain.Storage.
func (d *DB) ListWebhooks(ctx context.Context, q domain.WebhookQuery) (domain.List[*domain.Webhook], error) {
	var w where
	switch {
	case q.StoreID != "" && q.MerchantWide:
		w.add("merchant_id = ? AND (store_id = ? OR store_id IS NULL)", q.MerchantID, q.StoreID)
	case q.StoreID != "":
		w.add("store_id = ?", q.StoreID)
	default:
		w.add("merchant_id = ? AND store_id IS NULL", q.MerchantID)
	}
	w.filters(domain.Filters{From: q.From, To: q.To, ToInclusive: q.ToInclusive})
	if q.Active != nil {
		w.add("active = ?", *q.Active)
	}
	return page[domain.Webhook](ctx, d.db, "webhooks", w, q.Page)
}

// ActiveWebhooks implements domain.Storage.
func (d *DB) ActiveWebhooks(ctx context.Context, merchantID, storeID string) ([]*domain.Webhook, error) {
	return listDocs[domain.Webhook](ctx, d.db, `SELECT data FROM webhooks WHERE active AND (store_id = ? OR (store_id IS NULL AND merchant_id = ?)) ORDER BY id`,
		storeID, merchantID)
}

// CreateWebhookDeliveries implements domain.Storage.
func (d *DB) CreateWebhookDeliveries(ctx context.Context, ds []*domain.WebhookDelivery) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, dl := range ds {
		data, err := encode(dl)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries (id, webhook_id, store_id, merchant_id, event, status, due_at, created_at, data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			dl.ID, dl.WebhookID, dl.StoreID, dl.MerchantID, string(dl.Event), string(dl.Status), optUS(dl.DueAt), us(dl.CreatedAt), data); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// GetWebhookDelivery implements domain.Storage.
func (d *DB) GetWebhookDelivery(ctx context.Context, id string) (*domain.WebhookDelivery, error) {
	return getOne[domain.WebhookDelivery](ctx, d.db, `SELECT data FROM webhook_deliveries WHERE id = ?`, id)
}

// UpdateWebhookDelivery implements domain.Storage.
func (d *DB) UpdateWebhookDelivery(ctx context.Context, dl *domain.WebhookDelivery) error {
	data, err := encode(dl)
	if err != nil {
		return err
	}
	return expectOne(d.db.ExecContext(ctx, `UPDATE webhook_deliveries SET status = ?, due_at = ?, data = ? WHERE id = ?`,
		string(dl.Status), optUS(dl.DueAt), data, dl.ID))
}

// ListDueWebhookDeliveries implements domain.Storage.
func (d *DB) ListDueWebhookDeliveries(ctx context.Context, storeID string, t time.Time) ([]*domain.WebhookDelivery, error) {
	return listDocs[domain.WebhookDelivery](ctx, d.db, `SELECT data FROM webhook_deliveries
		WHERE store_id = ? AND status = 'pending' AND due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, id`, storeID, us(t))
}

// ListWebhookDeliveries implements domain.Storage.
func (d *DB) ListWebhookDeliveries(ctx context.Context, q domain.WebhookDeliveryQuery) (domain.List[*domain.WebhookDelivery], error) {
	var w where
	w.add("store_id = ?", q.StoreID)
	w.filters(domain.Filters{From: q.From, To: q.To, ToInclusive: q.ToInclusive})
	if q.WebhookID != "" {
		w.add("webhook_id = ?", q.WebhookID)
	}
	if q.Event != "" {
		w.add("event = ?", string(q.Event))
	}
	if q.Status != "" {
		w.add("status = ?", string(q.Status))
	}
	return page[domain.WebhookDelivery](ctx, d.db, "webhook_deliveries", w, q.Page)
}
