package domain

import (
	"context"
	"time"

	"kessai/api"
)

// Cancel is a cancel of an authorized or awaiting charge. DueAt is when the
// sandbox engine settles it (nil once it is final). Times are on the
// store's sandbox clock.
type Cancel struct {
	ID         string            `json:"id"`
	StoreID    string            `json:"store_id"`
	MerchantID string            `json:"merchant_id"`
	ChargeID   string            `json:"charge_id"`
	Status     api.CancelStatus  `json:"status"`
	Error      *api.PaymentError `json:"error,omitempty"`
	Metadata   api.Metadata      `json:"metadata"`
	Mode       api.Mode          `json:"mode"`
	DueAt      *time.Time        `json:"due_at,omitempty"`
	CreatedAt  time.Time         `json:"created_at"`
	UpdatedAt  time.Time         `json:"updated_at"`
	// Outbox keeps the follow-ups of its changes not done yet (followup.go).
	Outbox
}

// CancelQuery filters a list of cancels.
type CancelQuery struct {
	Scope
	Page
	Filters
	ChargeID string
}

// CancelStorage persists cancels.
type CancelStorage interface {
	CreateCancel(ctx context.Context, c *Cancel) error
	GetCancel(ctx context.Context, id string) (*Cancel, error)
	// UpdateCancel stores c and, when charge is not nil, that charge in the
	// same transaction (a successful cancel cancels its charge).
	UpdateCancel(ctx context.Context, c *Cancel, charge *Charge) error
	// ListDueCancels returns the cancels of a store whose DueAt is at or
	// before t, oldest first.
	ListDueCancels(ctx context.Context, storeID string, t time.Time) ([]*Cancel, error)
	ListCancels(ctx context.Context, q CancelQuery) (List[*Cancel], error)
}
