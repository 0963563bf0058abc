package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"kessai/server/domain"
)

var (
	webhookTable = table[domain.Webhook]{"webhooks", func(w *domain.Webhook) row {
		return row{id: w.ID,
			fixed:   []col{{"merchant_id", w.MerchantID}, {"store_id", nullString(w.StoreID)}, {"created_at", us(w.CreatedAt)}},
			mutable: []col{{"url", w.URL}, {"active", w.Active}}}
	}}
	deliveryTable = table[domain.WebhookDelivery]{"webhook_deliveries", func(dl *domain.WebhookDelivery) row {
		return row{id: dl.ID,
			fixed: []col{{"webhook_id", dl.WebhookID}, {"store_id", dl.StoreID}, {"merchant_id", dl.MerchantID}, {"event", string(dl.Event)},
				{"created_at", us(dl.CreatedAt)}},
			mutable: []col{{"status", string(dl.Status)}, {"due_at", optUS(dl.DueAt)}}}
	}}
)

// webhookScope is the condition selecting the webhooks of w's scope: its
// store, or its merchant's merchant-wide webhooks.
func webhookScope(w *domain.Webhook) (string, []any) {
	if w.StoreID == "" {
		return "merchant_id = ? AND store_id IS NULL", []any{w.MerchantID}
	}
	return "store_id = ?", []any{w.StoreID}
}

// urlFree returns ErrConflict when another webhook of w's scope has w's
// URL.
func urlFree(ctx context.Context, tx *sql.Tx, w *domain.Webhook) error {
	cond, args := webhookScope(w)
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM webhooks WHERE `+cond+` AND url = ? AND id != ?`, append(args, w.URL, w.ID)...).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return domain.ErrConflict
	}
	return nil
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
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if err := urlFree(ctx, tx, w); err != nil {
			return err
		}
		cond, args := webhookScope(w)
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM webhooks WHERE `+cond, args...).Scan(&n); err != nil {
			return err
		}
		if n >= max {
			return domain.ErrLimit
		}
		return uniqueViolation(webhookTable.insert(ctx, tx, w))
	})
}

// GetWebhook implements domain.Storage.
func (d *DB) GetWebhook(ctx context.Context, id string) (*domain.Webhook, error) {
	return webhookTable.get(ctx, d.db, id)
}

// UpdateWebhook implements domain.Storage.
func (d *DB) UpdateWebhook(ctx context.Context, w *domain.Webhook) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if err := urlFree(ctx, tx, w); err != nil {
			return err
		}
		return uniqueViolation(webhookTable.update(ctx, tx, w))
	})
}

// DeleteWebhook implements domain.Storage.
func (d *DB) DeleteWebhook(ctx context.Context, id string) error {
	return webhookTable.delete(ctx, d.db, id)
}

// ListWebhooks implements domain.Storage.
func (d *DB) ListWebhooks(ctx context.Context, q domain.WebhookQuery) (domain.List[*domain.Webhook], error) {
	return webhookTable.list(ctx, d.db, dialect.Webhooks(q), q.Page)
}

// ActiveWebhooks implements domain.Storage.
func (d *DB) ActiveWebhooks(ctx context.Context, merchantID, storeID string) ([]*domain.Webhook, error) {
	return listDocs[domain.Webhook](ctx, d.db, `SELECT data FROM webhooks WHERE active AND (store_id = ? OR (store_id IS NULL AND merchant_id = ?)) ORDER BY id`,
		storeID, merchantID)
}

// CreateWebhookDeliveries implements domain.Storage: the delivery of an
// event to a webhook that has it already is left out.
func (d *DB) CreateWebhookDeliveries(ctx context.Context, ds []*domain.WebhookDelivery) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		for _, dl := range ds {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ? AND json_extract(data, '$.event_id') = ?`,
				dl.WebhookID, dl.EventID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			if err := deliveryTable.insert(ctx, tx, dl); err != nil {
				return err
			}
		}
		return nil
	})
}

// GetWebhookDelivery implements domain.Storage.
func (d *DB) GetWebhookDelivery(ctx context.Context, id string) (*domain.WebhookDelivery, error) {
	return deliveryTable.get(ctx, d.db, id)
}

// UpdateWebhookDelivery implements domain.Storage.
func (d *DB) UpdateWebhookDelivery(ctx context.Context, dl *domain.WebhookDelivery) error {
	return deliveryTable.update(ctx, d.db, dl)
}

// ListDueWebhookDeliveries implements domain.Storage.
func (d *DB) ListDueWebhookDeliveries(ctx context.Context, storeID string, t time.Time) ([]*domain.WebhookDelivery, error) {
	return listDocs[domain.WebhookDelivery](ctx, d.db, `SELECT data FROM webhook_deliveries
		WHERE store_id = ? AND status = 'pending' AND due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, id`, storeID, us(t))
}

// ListWebhookDeliveries implements domain.Storage.
func (d *DB) ListWebhookDeliveries(ctx context.Context, q domain.WebhookDeliveryQuery) (domain.List[*domain.WebhookDelivery], error) {
	return deliveryTable.list(ctx, d.db, dialect.WebhookDeliveries(q), q.Page)
}
