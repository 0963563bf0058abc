package api

// WebhookEvent is the name of a webhook event, used in a webhook's
// triggers and in the "event" of each delivery (docs/sandbox-api.md,
// "Webhooks").
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
