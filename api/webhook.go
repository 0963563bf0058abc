package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
)

// WebhookEvent is the name of a webhook event, used in a webhook's
// triggers and in the "event" of each delivery (docs/webhooks.md,
// "Events").
type WebhookEvent string

// Webhook events.
const (
	EventChargeUpdated         WebhookEvent = "charge_updated"
	EventChargeFinished        WebhookEvent = "charge_finished"
	EventSubscriptionPayment   WebhookEvent = "subscription_payment"
	EventSubscriptionCompleted WebhookEvent = "subscription_completed"
	EventSubscriptionFailure   WebhookEvent = "subscription_failure"
	EventSubscriptionCanceled  WebhookEvent = "subscription_canceled"
	EventSubscriptionSuspended WebhookEvent = "subscription_suspended"
	EventSubscriptionCreated   WebhookEvent = "subscription_created"
	EventTokenCreated          WebhookEvent = "token_created"
	EventTokenUpdated          WebhookEvent = "token_updated"
	EventTokenCVVAuthUpdated   WebhookEvent = "token_cvv_auth_updated"
	EventRefundFinished        WebhookEvent = "refund_finished"
	EventRecurringTokenDeleted WebhookEvent = "recurring_token_deleted"
	EventTokenReplaced         WebhookEvent = "token_replaced"
	EventCancelFinished        WebhookEvent = "cancel_finished"
)

// WebhookEvents lists every event a webhook can be triggered by.
var WebhookEvents = []WebhookEvent{
	EventChargeUpdated, EventChargeFinished,
	EventSubscriptionPayment, EventSubscriptionCompleted, EventSubscriptionFailure,
	EventSubscriptionCanceled, EventSubscriptionSuspended, EventSubscriptionCreated,
	EventTokenCreated, EventTokenUpdated, EventTokenCVVAuthUpdated,
	EventRefundFinished, EventRecurringTokenDeleted, EventTokenReplaced, EventCancelFinished,
}

// ValidWebhookEvent reports whether e is one of WebhookEvents.
func ValidWebhookEvent(e WebhookEvent) bool {
	for _, v := range WebhookEvents {
		if v == e {
			return true
		}
	}
	return false
}

// Webhook is the webhook object (docs/webhooks.md, "The webhook object"),
// returned by the webhook endpoints. The auth_token is never returned.
type Webhook struct {
	ID         string `json:"id"`
	MerchantID string `json:"merchant_id"`
	// StoreID is null for a merchant-wide webhook (events of every store).
	StoreID   *string        `json:"store_id"`
	Triggers  []WebhookEvent `json:"triggers"`
	URL       string         `json:"url"`
	Active    bool           `json:"active"`
	CreatedOn string         `json:"created_on"`
	UpdatedOn string         `json:"updated_on"`
}

// WebhookTriggers is the triggers field of a webhook request: a JSON array
// of event names, or one string of names separated by commas (the
// UnivaPay documentation types the field "string").
type WebhookTriggers []WebhookEvent

// UnmarshalJSON implements json.Unmarshaler.
func (t *WebhookTriggers) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*t = nil
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return typeError(b, reflect.TypeOf([]string{}))
		}
		out := WebhookTriggers{}
		for _, part := range strings.Split(s, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, WebhookEvent(part))
			}
		}
		*t = out
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return typeError(b, reflect.TypeOf([]string{}))
	}
	out := make(WebhookTriggers, 0, len(list))
	for _, s := range list {
		out = append(out, WebhookEvent(strings.TrimSpace(s)))
	}
	*t = out
	return nil
}

// WebhookCreateRequest is the body of POST /stores/{storeId}/webhooks and
// POST /webhooks.
type WebhookCreateRequest struct {
	Triggers WebhookTriggers `json:"triggers"`
	URL      string          `json:"url"`
	// AuthToken is sent verbatim as the Authorization header of each
	// delivery; empty means no header.
	AuthToken string `json:"auth_token,omitempty"`
	// Active defaults to true.
	Active *FlexBool `json:"active,omitempty"`
}

// WebhookUpdateRequest is the body of PATCH …/webhooks/{webhookId}: only
// the fields present change. "active": true re-enables a webhook stopped
// after failed deliveries.
type WebhookUpdateRequest struct {
	Triggers  *WebhookTriggers `json:"triggers,omitempty"`
	URL       *string          `json:"url,omitempty"`
	AuthToken *string          `json:"auth_token,omitempty"`
	Active    *FlexBool        `json:"active,omitempty"`
}

// WebhookPayload is the JSON body of a webhook delivery (docs/webhooks.md,
// "Payload"), in the field order of the UnivaPay documentation's example.
type WebhookPayload struct {
	// ID is the event ID, the same for every attempt (receivers
	// de-duplicate by it).
	ID    string          `json:"id"`
	Event WebhookEvent    `json:"event"`
	Data  json.RawMessage `json:"data"`
	// CreatedOn is when the event happened.
	CreatedOn string `json:"created_on"`
	WebhookID string `json:"webhook_id"`
	// Successful is always true (it mirrors the admin screen's log).
	Successful bool `json:"successful"`
	// FiredOn is when this attempt was sent.
	FiredOn string `json:"fired_on"`
}

// WebhookDeliveryStatus is the state of a delivery in the sandbox's
// delivery log.
type WebhookDeliveryStatus string

// Webhook delivery statuses.
const (
	// DeliveryPending: waiting for its first attempt or a retry.
	DeliveryPending WebhookDeliveryStatus = "pending"
	// DeliverySuccessful: the receiver answered 2xx.
	DeliverySuccessful WebhookDeliveryStatus = "successful"
	// DeliveryFailed: no more attempts (a 3xx answer, or 10 failed
	// attempts).
	DeliveryFailed WebhookDeliveryStatus = "failed"
	// DeliveryCanceled: the webhook was stopped or deleted before the
	// next attempt.
	DeliveryCanceled WebhookDeliveryStatus = "canceled"
)

// WebhookDeliveryStatuses lists every delivery status.
var WebhookDeliveryStatuses = []WebhookDeliveryStatus{DeliveryPending, DeliverySuccessful, DeliveryFailed, DeliveryCanceled}

// WebhookDelivery is one entry of the delivery log
// (GET /sandbox/webhook_deliveries): an event sent to one webhook, with
// every attempt.
type WebhookDelivery struct {
	ID        string                `json:"id"`
	WebhookID string                `json:"webhook_id"`
	StoreID   string                `json:"store_id"`
	EventID   string                `json:"event_id"`
	Event     WebhookEvent          `json:"event"`
	Status    WebhookDeliveryStatus `json:"status"`
	// NextAttemptOn is when a pending delivery is (re)tried, on the
	// store's sandbox clock.
	NextAttemptOn *string          `json:"next_attempt_on"`
	Attempts      []WebhookAttempt `json:"attempts"`
	// Data is the payload's data: the resource as it was at the event.
	Data json.RawMessage `json:"data"`
	// CreatedOn is when the delivery was made: when the event happened
	// (the payload's created_on), or when it was resent.
	CreatedOn string `json:"created_on"`
	UpdatedOn string `json:"updated_on"`
	// ResentFrom is the delivery a resend repeats, null otherwise
	// (Kessai sandbox).
	ResentFrom *string `json:"resent_from"`
}

// WebhookAttempt is one HTTP request of a delivery.
type WebhookAttempt struct {
	// Number counts from 1.
	Number int `json:"number"`
	// FiredOn is when it was sent, on the store's sandbox clock.
	FiredOn string `json:"fired_on"`
	URL     string `json:"url"`
	// HTTPStatus is the receiver's status, null when there was no answer.
	HTTPStatus *int `json:"http_status"`
	// ErrorMessage is null for a 2xx answer.
	ErrorMessage *string `json:"error_message"`
	DurationMS   int64   `json:"duration_ms"`
}
