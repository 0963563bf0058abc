package domain

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"kessai/api"
)

// ErrLimit: CreateWebhook was asked to create more webhooks than its limit
// allows in the webhook's scope.
var ErrLimit = errors.New("resource limit reached")

// Webhook is a webhook (docs/webhooks.md): events of its store, or of
// every store of its merchant when StoreID is empty, are POSTed to URL.
type Webhook struct {
	ID         string `json:"id"`
	MerchantID string `json:"merchant_id"`
	// StoreID is "" for a merchant-wide webhook.
	StoreID  string             `json:"store_id,omitempty"`
	Triggers []api.WebhookEvent `json:"triggers"`
	URL      string             `json:"url"`
	// AuthToken is sent verbatim as the Authorization header.
	AuthToken string    `json:"auth_token,omitempty"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Triggered reports whether the webhook's triggers include event.
func (w *Webhook) Triggered(event api.WebhookEvent) bool {
	for _, t := range w.Triggers {
		if t == event {
			return true
		}
	}
	return false
}

// WebhookQuery selects webhooks for a list.
type WebhookQuery struct {
	Page
	// Filters: only From and To apply (webhooks have no mode or metadata).
	Filters
	MerchantID string
	// StoreID: the webhooks of this store. With MerchantWide also the
	// merchant-wide webhooks of MerchantID; with StoreID "" only those.
	StoreID      string
	MerchantWide bool
	// Active filters on the active flag when not nil.
	Active *bool
}

// WebhookDelivery is one event sent to one webhook, with every attempt
// (docs/webhooks.md, "Delivery"). Times are on the sandbox clock of
// StoreID, the store the event happened in.
type WebhookDelivery struct {
	ID         string `json:"id"`
	WebhookID  string `json:"webhook_id"`
	StoreID    string `json:"store_id"`
	MerchantID string `json:"merchant_id"`
	// EventID is the payload's id: shared by every attempt, and by the
	// deliveries of one event to several webhooks.
	EventID string           `json:"event_id"`
	Event   api.WebhookEvent `json:"event"`
	// Data is the resource as the API returned it at the event.
	Data   json.RawMessage           `json:"data"`
	Status api.WebhookDeliveryStatus `json:"status"`
	// DueAt is when the next attempt is due; nil unless Status is pending.
	DueAt     *time.Time       `json:"due_at,omitempty"`
	Attempts  []WebhookAttempt `json:"attempts"`
	CreatedAt time.Time        `json:"created_at"`
	UpdatedAt time.Time        `json:"updated_at"`
}

// WebhookAttempt is one HTTP request of a delivery.
type WebhookAttempt struct {
	Number int       `json:"number"`
	At     time.Time `json:"at"`
	URL    string    `json:"url"`
	// HTTPStatus is 0 when no response came (timeout, connection error).
	HTTPStatus int           `json:"http_status,omitempty"`
	Error      string        `json:"error,omitempty"`
	Duration   time.Duration `json:"duration"`
}

// WebhookDeliveryQuery selects deliveries for the delivery log.
type WebhookDeliveryQuery struct {
	Page
	// Filters: only From and To apply.
	Filters
	StoreID   string
	WebhookID string
	Event     api.WebhookEvent
	Status    api.WebhookDeliveryStatus
}

// WebhookStorage persists webhooks and their deliveries.
type WebhookStorage interface {
	// CreateWebhook inserts w unless its scope (its store, or its
	// merchant's merchant-wide webhooks) already has a webhook with the
	// same URL (ErrConflict) or max webhooks (ErrLimit).
	CreateWebhook(ctx context.Context, w *Webhook, max int) error
	GetWebhook(ctx context.Context, id string) (*Webhook, error)
	// UpdateWebhook replaces w; ErrConflict if another webhook of its
	// scope has its URL.
	UpdateWebhook(ctx context.Context, w *Webhook) error
	// DeleteWebhook deletes a webhook (its deliveries stay in the log).
	DeleteWebhook(ctx context.Context, id string) error
	ListWebhooks(ctx context.Context, q WebhookQuery) (List[*Webhook], error)
	// ActiveWebhooks returns the active webhooks that receive the events
	// of a store: the store's own and its merchant's merchant-wide ones,
	// oldest first.
	ActiveWebhooks(ctx context.Context, merchantID, storeID string) ([]*Webhook, error)

	// CreateWebhookDeliveries inserts deliveries, all or none; a delivery
	// of an event (EventID) to a webhook that has one already is left out.
	CreateWebhookDeliveries(ctx context.Context, ds []*WebhookDelivery) error
	GetWebhookDelivery(ctx context.Context, id string) (*WebhookDelivery, error)
	UpdateWebhookDelivery(ctx context.Context, d *WebhookDelivery) error
	// ListDueWebhookDeliveries returns the pending deliveries of a store
	// whose DueAt is at or before t, by DueAt then creation.
	ListDueWebhookDeliveries(ctx context.Context, storeID string, t time.Time) ([]*WebhookDelivery, error)
	ListWebhookDeliveries(ctx context.Context, q WebhookDeliveryQuery) (List[*WebhookDelivery], error)
}
