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
// NextPayment is the payment due next (its index, date and amount), DueAt
// when the engine must next act on the subscription (charge NextPayment or
// apply PendingStatus), on the store's sandbox clock.
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
	Period                       string                  `json:"period,omitempty"`
	CyclicalPeriod               string                  `json:"cyclical_period,omitempty"`
	Schedule                     ScheduleSettings        `json:"schedule"`
	FirstChargeAuthorizationOnly bool                    `json:"first_charge_authorization_only"`
	FirstChargeCaptureAfter      *string                 `json:"first_charge_capture_after,omitempty"`
	InstallmentPlan              *api.InstallmentPlan    `json:"installment_plan,omitempty"`
	SubscriptionPlan             *SubscriptionPlan       `json:"subscription_plan,omitempty"`
	Metadata                     api.Metadata            `json:"metadata"`
	PaymentType                  api.PaymentType         `json:"payment_type"`
	NextPayment                  *ScheduledPayment       `json:"next_payment,omitempty"`
	DueAt                        *time.Time              `json:"due_at,omitempty"`
	PendingStatus                *api.SubscriptionStatus `json:"pending_status,omitempty"`
	// Skipped counts the cycle dates a resume skipped: payment n falls on
	// cycle date n+Skipped.
	Skipped int `json:"skipped,omitempty"`
	// PaymentsPaid and AmountPaid count the successful payments.
	PaymentsPaid int   `json:"payments_paid"`
	AmountPaid   int64 `json:"amount_paid"`
	// Retries counts the failed attempts of NextPayment (the schedule
	// engine's retry rule).
	Retries   int       `json:"retries,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
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

// ScheduledPayment is one payment of a subscription's schedule. Index 0 is
// the first payment (made at creation).
type ScheduledPayment struct {
	ID      string `json:"id"`
	Index   int    `json:"index"`
	DueDate string `json:"due_date"` // YYYY-MM-DD in the subscription's zone
	Amount  int64  `json:"amount"`
	IsLast  bool   `json:"is_last"`
	// RetryDate is when a failed attempt is retried (YYYY-MM-DD).
	RetryDate *string `json:"retry_date,omitempty"`
	// ChargeID is the charge attempting the payment, once started.
	ChargeID  *string   `json:"charge_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

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

// SubscriptionStorage persists subscriptions.
type SubscriptionStorage interface {
	// CreateSubscription inserts sub and, atomically, marks its token
	// (sub.TokenID) used at sub.CreatedAt; with consume it also
	// deactivates the token and fails with ErrTokenInactive if it was no
	// longer active, ErrNotFound if it does not exist.
	CreateSubscription(ctx context.Context, sub *Subscription, consume bool) error
	// UseToken marks a token used at t, as CreateSubscription does (a
	// subscription's token swap).
	UseToken(ctx context.Context, tokenID string, t time.Time, consume bool) error
	GetSubscription(ctx context.Context, id string) (*Subscription, error)
	UpdateSubscription(ctx context.Context, sub *Subscription) error
	// DeleteSubscription removes a subscription (undoing a creation whose
	// first charge could not start).
	DeleteSubscription(ctx context.Context, id string) error
	ListSubscriptions(ctx context.Context, q SubscriptionQuery) (List[*Subscription], error)
	// ListDueSubscriptions returns the subscriptions of a store whose
	// DueAt is at or before t, oldest first (the schedule engine).
	ListDueSubscriptions(ctx context.Context, storeID string, t time.Time) ([]*Subscription, error)
	// ActiveSubscriptionTokenExists reports whether the store has an
	// active subscription token for the card with this fingerprint created
	// at or after since.
	ActiveSubscriptionTokenExists(ctx context.Context, storeID, fingerprint string, since time.Time) (bool, error)
}
