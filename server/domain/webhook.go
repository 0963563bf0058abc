package domain

// WebhookStorage persists webhooks. (Filled in by its issue.)
type WebhookStorage interface{}
