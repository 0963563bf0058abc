package domain

import (
	"context"
	"time"

	"kessai/api"
)

// Subscription is a subscription (定期課金): the contract, its schedule
// settings and the state of its schedule (docs/subscriptions.md).
//
// The schedule state is what the schedule engine reads and advances:
// NextPayment is the payment due next (its index, date and amount),
// LastPayment the last one paid, DueAt when the engine must next act on
// the subscription (charge NextPayment or apply PendingStatus), on the
// store's sandbox clock.
type Subscription struct {
	ID         string                 `json:"id"`
	StoreID    string                 `json:"store_id"`
	MerchantID string                 `json:"merchant_id"`
	TokenID    string                 `json:"token_id"`
	Mode       api.Mode               `json:"mode"`
	Status     api.SubscriptionStatus `json:"status"`
	Amount     int64                  `json:"amount"`
	Currency   string                 `json:"currency"`
	// InitialAmount is the first payment when set (0 = none charged).
	InitialAmount      *int64 `json:"initial_amount,omitempty"`
	OnlyDirectCurrency bool   `json:"only_direct_currency"`
	// Period is the named period ("monthly", …); CyclicalPeriod the
	// ISO-8601 duration given instead. Exactly one is set.
	Period                       string               `json:"period,omitempty"`
	CyclicalPeriod               string               `json:"cyclical_period,omitempty"`
	Schedule                     ScheduleSettings     `json:"schedule"`
	FirstChargeAuthorizationOnly bool                 `json:"first_charge_authorization_only"`
	FirstChargeCaptureAfter      *string              `json:"first_charge_capture_after,omitempty"`
	InstallmentPlan              *api.InstallmentPlan `json:"installment_plan,omitempty"`
	SubscriptionPlan             *SubscriptionPlan    `json:"subscription_plan,omitempty"`
	Metadata                     api.Metadata         `json:"metadata"`
	PaymentType                  api.PaymentType      `json:"payment_type"`
	NextPayment                  *ScheduledPayment    `json:"next_payment,omitempty"`
	// LastPayment is the last payment paid (its final state, kept for the
	// payment rows and the schedule rules).
	LastPayment   *ScheduledPayment       `json:"last_payment,omitempty"`
	DueAt         *time.Time              `json:"due_at,omitempty"`
	PendingStatus *api.SubscriptionStatus `json:"pending_status,omitempty"`
	// Skipped counts the cycle dates a resume skipped: payment n falls on
	// cycle date n+Skipped.
	Skipped int `json:"skipped,omitempty"`
	// PaymentsPaid and AmountPaid count the successful payments.
	PaymentsPaid int   `json:"payments_paid"`
	AmountPaid   int64 `json:"amount_paid"`
	// Retries counts the failed attempts of NextPayment since its last
	// success or resume (the schedule engine's retry rule); while it is
	// not 0, NextPayment is due on its RetryDate.
	Retries   int       `json:"retries,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Outbox keeps the follow-ups of its changes not done yet (followup.go).
	Outbox
}

// ScheduleSettings are the schedule settings of a subscription.
type ScheduleSettings struct {
	// StartOn is the date of the second payment (YYYY-MM-DD), if given.
	StartOn            *string `json:"start_on,omitempty"`
	ZoneID             string  `json:"zone_id"`
	PreserveEndOfMonth *bool   `json:"preserve_end_of_month,omitempty"`
	// RetryInterval is an ISO-8601 duration (PnD, PnW, PnM).
	RetryInterval   *string `json:"retry_interval,omitempty"`
	TerminationMode string  `json:"termination_mode"`
}

// SubscriptionPlan is a fixed-count plan: FixedCycles payments, or
// payments of FixedCycleAmount until Amount is paid.
type SubscriptionPlan struct {
	PlanType         string `json:"plan_type"`
	FixedCycles      int    `json:"fixed_cycles,omitempty"`
	FixedCycleAmount int64  `json:"fixed_cycle_amount,omitempty"`
}

// ScheduledPayment is one payment of a subscription's schedule, and a row
// of its payments list (docs/subscriptions.md, "Payments"). Index 0 is the
// first payment (made at creation).
type ScheduledPayment struct {
	ID      string `json:"id"`
	Index   int    `json:"index"`
	DueDate string `json:"due_date"` // YYYY-MM-DD in the subscription's zone
	Amount  int64  `json:"amount"`
	IsLast  bool   `json:"is_last"`
	// RetryDate is when a failed attempt is retried (YYYY-MM-DD).
	RetryDate *string `json:"retry_date,omitempty"`
	// ChargeID is the charge of the attempt in progress (or of the last
	// one, once paid or for a first payment); the schedule engine sets it
	// when it claims the payment, before the charge exists.
	ChargeID *string `json:"charge_id,omitempty"`
	// Attempts counts the attempts to pay: charges started, and charges
	// the limits refused. AttemptedAt is the time of the last one.
	Attempts    int        `json:"attempts,omitempty"`
	AttemptedAt *time.Time `json:"attempted_at,omitempty"`
	// PaidAt is when the payment's charge succeeded (nil: not paid).
	PaidAt    *time.Time `json:"paid_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// Attempted reports whether p was ever attempted or paid: its payment
// row stays when it is no longer the next payment.
func (p *ScheduledPayment) Attempted() bool { return p.Attempts > 0 || p.PaidAt != nil }

// SubscriptionQuery filters a list of subscriptions.
type SubscriptionQuery struct {
	Scope
	Page
	Filters
	// Search matches subscriptions with a metadata value containing it
	// (case-insensitive).
	Search string
	// Statuses: any of these (none = all).
	Statuses []api.SubscriptionStatus
}

// SubscriptionPaymentQuery is a page of a subscription's payment rows.
type SubscriptionPaymentQuery struct {
	Page
	SubscriptionID string
}

// SubscriptionStorage persists subscriptions and their payment rows.
//
// Payment rows: CreateSubscription, UpdateSubscription and
// ClaimDueSubscription keep, in the same transaction, one row per payment
// of the subscription that was attempted or paid (ScheduledPayment.Attempted)
// and one for its NextPayment: they insert or replace (by ID) the rows of
// sub.LastPayment and sub.NextPayment, and delete the subscription's other
// rows that were never attempted (a next payment withdrawn by a cancel, or
// replaced). DeleteSubscription deletes its rows.
type SubscriptionStorage interface {
	// CreateSubscription inserts sub (and its payment rows) and,
	// atomically, marks its token (sub.TokenID) used at sub.CreatedAt;
	// with consume it also deactivates the token and fails with
	// ErrTokenInactive if it was no longer active, ErrNotFound if it does
	// not exist.
	CreateSubscription(ctx context.Context, sub *Subscription, consume bool) error
	// UseToken marks a token used at t, as CreateSubscription does (a
	// subscription's token swap).
	UseToken(ctx context.Context, tokenID string, t time.Time, consume bool) error
	GetSubscription(ctx context.Context, id string) (*Subscription, error)
	// UpdateSubscription replaces sub and its payment rows.
	UpdateSubscription(ctx context.Context, sub *Subscription) error
	// DeleteSubscription removes a subscription and its payment rows
	// (undoing a creation whose first charge could not start).
	DeleteSubscription(ctx context.Context, id string) error
	ListSubscriptions(ctx context.Context, q SubscriptionQuery) (List[*Subscription], error)
	// ListDueSubscriptions returns the subscriptions of a store whose
	// DueAt is at or before t, oldest first.
	ListDueSubscriptions(ctx context.Context, storeID string, t time.Time) ([]*Subscription, error)
	// ClaimDueSubscription is how the schedule engine takes a subscription
	// to act on, so that each payment is attempted once even with several
	// processes on one storage: in one transaction it picks the
	// subscription of the store with the oldest DueAt at or before t
	// (ties by ID), calls claim on it, stores the result (with its payment
	// rows, as UpdateSubscription) and returns it; ErrNotFound when none
	// is due. claim must set DueAt to nil or after t, and must not use the
	// storage. A subscription being claimed by another transaction is
	// skipped or waited for, never claimed twice at once (PostgreSQL:
	// SELECT … FOR UPDATE SKIP LOCKED; SQLite: the write lock).
	ClaimDueSubscription(ctx context.Context, storeID string, t time.Time, claim func(*Subscription)) (*Subscription, error)
	// GetSubscriptionPayment returns the payment row id of a
	// subscription, ErrNotFound if it has none with that ID.
	GetSubscriptionPayment(ctx context.Context, subscriptionID, id string) (*ScheduledPayment, error)
	// ListSubscriptionPayments returns a page of a subscription's payment
	// rows in ID order (payment IDs are time-ordered: newest first by
	// default).
	ListSubscriptionPayments(ctx context.Context, q SubscriptionPaymentQuery) (List[*ScheduledPayment], error)
	// ActiveSubscriptionTokenExists reports whether the store has an
	// active subscription token for the card with this fingerprint created
	// at or after since.
	ActiveSubscriptionTokenExists(ctx context.Context, storeID, fingerprint string, since time.Time) (bool, error)
}
