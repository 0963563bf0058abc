package api

import "encoding/json"

// RequestLogEntry is one request of a store's request log
// (GET /sandbox/requests, a Kessai sandbox addition): what the API
// received and answered.
type RequestLogEntry struct {
	ID string `json:"id"`
	// Kind is "request", or "status_change" for a change of the status
	// of a charge, refund or cancel (ResourceType) from FromStatus to
	// ToStatus (Method and Path are then empty).
	Kind         string  `json:"kind"`
	ResourceType *string `json:"resource_type"`
	FromStatus   *string `json:"from_status"`
	ToStatus     *string `json:"to_status"`
	Method       string  `json:"method"`
	// Path is the request's path and query.
	Path   string `json:"path"`
	Status int    `json:"status"`
	// Secret: the request carried the app token's secret (a server); false
	// for a browser (the widget).
	Secret         bool    `json:"secret"`
	IdempotencyKey *string `json:"idempotency_key"`
	// Replay: the answer was the stored response of the idempotency key.
	Replay bool `json:"replay"`
	// ResourceIDs are the IDs the request touched: those of its path and
	// of the resource it answered with.
	ResourceIDs []string `json:"resource_ids"`
	DurationMS  int64    `json:"duration_ms"`
	// Body is the JSON body of a POST, PATCH or PUT, null for the token
	// routes (card data) and bodies over 8 KB.
	Body json.RawMessage `json:"body"`
	// CreatedOn is when it was answered, on the store's sandbox clock.
	CreatedOn string `json:"created_on"`
}
