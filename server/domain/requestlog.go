package domain

import (
	"context"
	"time"
)

// RequestLogEntry is one API request in its store's request log
// (docs/dashboard.md, "The request log"): what the server received and
// answered, kept so that a developer can see the requests that touched a
// resource. The log also holds the status changes of charges, refunds
// and cancels (Kind "status"), so that a resource's history reads in one
// list.
type RequestLogEntry struct {
	// ID is a time-ordered UUID: the log reads newest first.
	ID      string `json:"id"`
	StoreID string `json:"store_id"`
	// Kind is "" for a request, KindStatusChange for a status change
	// (From to To) of the resource ResourceIDs[0].
	Kind string `json:"kind,omitempty"`
	// Resource is what changed status: charge, refund or cancel.
	Resource string `json:"resource,omitempty"`
	From     string `json:"from,omitempty"`
	To       string `json:"to,omitempty"`
	// At is the store's sandbox time when the request was answered.
	At     time.Time `json:"at"`
	Method string    `json:"method"`
	// Path is the request's path and query.
	Path   string `json:"path"`
	Status int    `json:"status"`
	// Secret: the request carried the app token's secret (a server);
	// otherwise it came from a browser (the widget).
	Secret         bool   `json:"secret"`
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	// Replay: the answer was the stored response of IdempotencyKey.
	Replay bool `json:"replay,omitempty"`
	// ResourceIDs are the IDs the request touched: those in its path and
	// that of the resource it created.
	ResourceIDs []string `json:"resource_ids"`
	// Body is the JSON body of a request that changes something (empty
	// for tokens, whose bodies hold card data, and for large bodies).
	Body string `json:"body,omitempty"`
	// Duration is how long the server took to answer (real time).
	Duration time.Duration `json:"duration"`
}

// KindStatusChange marks a status change in the request log.
const KindStatusChange = "status"

// RequestLogQuery selects entries of a store's request log.
type RequestLogQuery struct {
	Page
	StoreID string
	// ResourceID: only the requests that touched this resource.
	ResourceID string
	// PathPrefix: only the requests whose path starts with it.
	PathPrefix string
}

// RequestLogStorage persists the request log.
type RequestLogStorage interface {
	// AddRequests appends entries to the logs of their stores, then drops
	// the oldest entries of each of those stores beyond keep.
	AddRequests(ctx context.Context, entries []*RequestLogEntry, keep int) error
	// ListRequests pages through a store's log by ID, newest first unless
	// Asc.
	ListRequests(ctx context.Context, q RequestLogQuery) (List[*RequestLogEntry], error)
}
