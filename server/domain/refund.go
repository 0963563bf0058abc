package domain

import (
	"context"
	"errors"
	"time"

	"kessai/api"
)

// Refund is a refund of a successful charge. DueAt is when the sandbox
// engine settles it (nil once it is final). Times are on the store's
// sandbox clock.
type Refund struct {
	ID         string            `json:"id"`
	StoreID    string            `json:"store_id"`
	MerchantID string            `json:"merchant_id"`
	ChargeID   string            `json:"charge_id"`
	Status     api.RefundStatus  `json:"status"`
	Amount     int64             `json:"amount"`
	Currency   string            `json:"currency"`
	Reason     *api.RefundReason `json:"reason,omitempty"`
	Message    *string           `json:"message,omitempty"`
	Error      *api.PaymentError `json:"error,omitempty"`
	Metadata   api.Metadata      `json:"metadata"`
	Mode       api.Mode          `json:"mode"`
	DueAt      *time.Time        `json:"due_at,omitempty"`
	CreatedAt  time.Time         `json:"created_at"`
	UpdatedAt  time.Time         `json:"updated_at"`
	// Outbox keeps the follow-ups of its changes not done yet (followup.go).
	Outbox
}

// ErrRefundExceedsCharge: CreateRefund would take the refunds of a charge
// above its charged amount.
var ErrRefundExceedsCharge = errors.New("refunds exceed the charged amount")

// RefundQuery filters a list of refunds.
type RefundQuery struct {
	Scope
	Page
	Filters
	ChargeID string
}

// Transaction is an item of the transaction history: a charge, or a refund
// with its charge. Token is the charge's token, nil when it was deleted.
type Transaction struct {
	Type   api.TransactionType
	Charge *Charge
	Refund *Refund
	Token  *TxToken
}

// TransactionQuery filters the transaction history (docs/charges.md,
// "Transaction history"). Filters.ToInclusive should be set: its "to" is
// inclusive.
type TransactionQuery struct {
	Scope
	Page
	Filters
	// Type is charge, refund or "" (both).
	Type api.TransactionType
	// Status is a charge or refund status ("" = any).
	Status string
	// Search matches the charge or refund ID, a metadata value, the
	// cardholder name or e-mail (case-insensitive, part of it) or the card's
	// last four digits.
	Search string
}

// RefundStorage persists refunds and lists the transaction history.
type RefundStorage interface {
	// CreateRefund inserts r unless the charge's pending and successful
	// refunds, r included, would total more than max; then it returns
	// ErrRefundExceedsCharge and stores nothing. The check and the insert
	// are atomic: concurrent calls never exceed max together.
	CreateRefund(ctx context.Context, r *Refund, max int64) error
	GetRefund(ctx context.Context, id string) (*Refund, error)
	UpdateRefund(ctx context.Context, r *Refund) error
	// ListDueRefunds returns the refunds of a store whose DueAt is at or
	// before t, oldest first.
	ListDueRefunds(ctx context.Context, storeID string, t time.Time) ([]*Refund, error)
	ListRefunds(ctx context.Context, q RefundQuery) (List[*Refund], error)
	// ListTransactions lists charges and refunds together, by ID (creation
	// order), newest first unless q.Asc. A cursor may be a charge or a
	// refund ID.
	ListTransactions(ctx context.Context, q TransactionQuery) (List[*Transaction], error)
}
