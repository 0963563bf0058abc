package api

import "encoding/json"

// SubscriptionStatus is the status of a subscription (docs/subscriptions.md,
// "States").
type SubscriptionStatus string

// Subscription statuses.
const (
	SubscriptionUnverified  SubscriptionStatus = "unverified"  // created, first charge pending
	SubscriptionUnconfirmed SubscriptionStatus = "unconfirmed" // first charge failed
	SubscriptionCurrent     SubscriptionStatus = "current"     // running
	SubscriptionUnpaid      SubscriptionStatus = "unpaid"      // waiting for a retry or the first charge after a resume
	SubscriptionSuspended   SubscriptionStatus = "suspended"   // paused, resumable
	SubscriptionCanceled    SubscriptionStatus = "canceled"    // stopped for good
	SubscriptionCompleted   SubscriptionStatus = "completed"   // every payment of a fixed plan or the installment done
)

// SubscriptionStatuses lists every status (the values of the list filter).
var SubscriptionStatuses = []SubscriptionStatus{
	SubscriptionUnverified, SubscriptionUnconfirmed, SubscriptionCanceled, SubscriptionUnpaid,
	SubscriptionSuspended, SubscriptionCurrent, SubscriptionCompleted,
}

// Final reports whether polling stops at s: every status but unverified
// (the SDK polls until a subscription leaves unverified).
func (s SubscriptionStatus) Final() bool { return s != SubscriptionUnverified }

// Subscription periods (the period field).
const (
	PeriodDaily        = "daily"
	PeriodWeekly       = "weekly"
	PeriodBiweekly     = "biweekly"
	PeriodMonthly      = "monthly"
	PeriodBimonthly    = "bimonthly"
	PeriodQuarterly    = "quarterly"
	PeriodSemiannually = "semiannually"
	PeriodAnnually     = "annually"
)

// Termination modes (schedule_settings.termination_mode): when a stop
// request (suspend, cancel) takes effect.
const (
	TerminationImmediate     = "immediate"
	TerminationOnNextPayment = "on_next_payment"
)

// Plan types of installment_plan and subscription_plan.
const (
	PlanRevolving        = "revolving"          // installment_plan only
	PlanFixedCycles      = "fixed_cycles"       // both
	PlanFixedCycleAmount = "fixed_cycle_amount" // subscription_plan only
)

// InstallmentCycles are the allowed installment_plan.fixed_cycles values.
var InstallmentCycles = []int{3, 5, 6, 10, 12, 15, 18, 20, 24}

// DefaultZoneID is the default schedule_settings.zone_id.
const DefaultZoneID = "Asia/Tokyo"

// ReasonInvalidStatusTransition is the validation reason of a PATCH status
// the subscription cannot move to from its current status.
const ReasonInvalidStatusTransition = "INVALID_STATUS_TRANSITION"

// Subscription is the subscription object, returned by POST /subscriptions,
// GET/PATCH /stores/{storeId}/subscriptions/{id}.
type Subscription struct {
	SubscriptionFields
	// NextPayment is the next payment due; null once the subscription is
	// canceled or completed.
	NextPayment *SubscriptionPayment `json:"next_payment"`
}

// SubscriptionFields are the fields the subscription object and its list
// items share.
type SubscriptionFields struct {
	ID                           string                `json:"id"`
	StoreID                      string                `json:"store_id"`
	TransactionTokenID           string                `json:"transaction_token_id"`
	Amount                       int64                 `json:"amount"`
	Currency                     string                `json:"currency"`
	AmountFormatted              json.Number           `json:"amount_formatted"`
	InitialAmount                *int64                `json:"initial_amount"`
	InitialAmountFormatted       *json.Number          `json:"initial_amount_formatted"`
	SubsequentCyclesStart        *string               `json:"subsequent_cycles_start"`
	ScheduleSettings             ScheduleSettings      `json:"schedule_settings"`
	OnlyDirectCurrency           bool                  `json:"only_direct_currency"`
	FirstChargeCaptureAfter      *string               `json:"first_charge_capture_after"`
	FirstChargeAuthorizationOnly bool                  `json:"first_charge_authorization_only"`
	Status                       SubscriptionStatus    `json:"status"`
	Metadata                     Metadata              `json:"metadata"`
	Mode                         Mode                  `json:"mode"`
	CreatedOn                    string                `json:"created_on"`
	Period                       *string               `json:"period"`
	CyclicalPeriod               *string               `json:"cyclical_period,omitempty"`
	InstallmentPlan              *InstallmentPlan      `json:"installment_plan,omitempty"`
	SubscriptionPlan             *SubscriptionPlanSpec `json:"subscription_plan,omitempty"`
}

// ScheduleSettings is schedule_settings of a subscription.
type ScheduleSettings struct {
	StartOn            *string `json:"start_on"` // YYYY-MM-DD, the second payment
	ZoneID             string  `json:"zone_id"`
	PreserveEndOfMonth *bool   `json:"preserve_end_of_month"`
	RetryInterval      *string `json:"retry_interval"`
	TerminationMode    string  `json:"termination_mode"`
}

// InstallmentPlan is installment_plan: the subscription is one card
// installment payment.
type InstallmentPlan struct {
	PlanType    string `json:"plan_type"`
	FixedCycles *int   `json:"fixed_cycles,omitempty"`
}

// SubscriptionPlanSpec is subscription_plan: a fixed number of payments,
// or payments of a fixed amount until amount is paid.
type SubscriptionPlanSpec struct {
	PlanType         string  `json:"plan_type"`
	FixedCycles      *int    `json:"fixed_cycles,omitempty"`
	FixedCycleAmount *Amount `json:"fixed_cycle_amount,omitempty"`
}

// SubscriptionPayment is a payment object: one scheduled payment of a
// subscription (next_payment, GET …/subscriptions/{id}/payments[/{id}]).
type SubscriptionPayment struct {
	ID              string      `json:"id"`
	DueDate         string      `json:"due_date"` // YYYY-MM-DD, run at 07:00 (or 09:00) in ZoneID
	ZoneID          string      `json:"zone_id"`
	Amount          int64       `json:"amount"`
	Currency        string      `json:"currency"`
	AmountFormatted json.Number `json:"amount_formatted"`
	IsPaid          bool        `json:"is_paid"`
	IsLastPayment   bool        `json:"is_last_payment"`
	CreatedOn       string      `json:"created_on"`
	UpdatedOn       string      `json:"updated_on"`
	// RetryDate is when the payment is retried if it fails, or after it
	// failed (YYYY-MM-DD).
	RetryDate *string `json:"retry_date"`
}

// SubscriptionListItem is an item of GET /stores/{storeId}/subscriptions:
// the subscription without next_payment, with names, the payment type, the
// next payment date and data of the buyer.
type SubscriptionListItem struct {
	SubscriptionFields
	StoreNames
	PaymentType     PaymentType          `json:"payment_type"`
	NextPaymentDate *string              `json:"next_payment_date"`
	UserData        SubscriptionUserData `json:"user_data"`
}

// SubscriptionUserData is user_data of a subscription list item.
type SubscriptionUserData struct {
	Type            string  `json:"type"` // always "charge"
	CardholderName  *string `json:"cardholder_name"`
	Email           *string `json:"email"`
	Brand           *string `json:"brand"`
	Gateway         *string `json:"gateway"`
	ServiceProvider *string `json:"service_provider"`
}

// SubscriptionCreateRequest is the body of POST /subscriptions.
type SubscriptionCreateRequest struct {
	TransactionTokenID string  `json:"transaction_token_id"`
	Amount             *Amount `json:"amount"`
	Currency           string  `json:"currency"`
	// InitialAmount is the first payment when it differs from Amount; 0 =
	// no first charge (card registration with a CVV authorization).
	InitialAmount                *Amount                `json:"initial_amount,omitempty"`
	Period                       string                 `json:"period,omitempty"`
	CyclicalPeriod               string                 `json:"cyclical_period,omitempty"`
	ScheduleSettings             *ScheduleSettingsInput `json:"schedule_settings,omitempty"`
	InstallmentPlan              *InstallmentPlanInput  `json:"installment_plan,omitempty"`
	SubscriptionPlan             *SubscriptionPlanInput `json:"subscription_plan,omitempty"`
	FirstChargeAuthorizationOnly *FlexBool              `json:"first_charge_authorization_only,omitempty"`
	FirstChargeCaptureAfter      string                 `json:"first_charge_capture_after,omitempty"`
	OnlyDirectCurrency           *FlexBool              `json:"only_direct_currency,omitempty"`
	Metadata                     Metadata               `json:"metadata,omitempty"`
}

// ScheduleSettingsInput is schedule_settings of POST /subscriptions.
// StartIn and StartDayOfMonth are the widget's subscriptionStartIn and
// subscriptionStartDayOfMonth; the server turns them into StartOn.
type ScheduleSettingsInput struct {
	StartOn            string    `json:"start_on,omitempty"`
	ZoneID             string    `json:"zone_id,omitempty"`
	PreserveEndOfMonth *FlexBool `json:"preserve_end_of_month,omitempty"`
	RetryInterval      string    `json:"retry_interval,omitempty"`
	TerminationMode    string    `json:"termination_mode,omitempty"`
	StartIn            string    `json:"start_in,omitempty"`
	StartDayOfMonth    *int      `json:"start_day_of_month,omitempty"`
}

// InstallmentPlanInput is installment_plan of POST /subscriptions.
type InstallmentPlanInput struct {
	PlanType    string `json:"plan_type"`
	FixedCycles *int   `json:"fixed_cycles,omitempty"`
}

// SubscriptionPlanInput is subscription_plan of POST /subscriptions.
type SubscriptionPlanInput struct {
	PlanType         string  `json:"plan_type"`
	FixedCycles      *int    `json:"fixed_cycles,omitempty"`
	FixedCycleAmount *Amount `json:"fixed_cycle_amount,omitempty"`
}

// SubscriptionUpdateBody is the body of
// PATCH /stores/{storeId}/subscriptions/{id}: absent fields are unchanged.
type SubscriptionUpdateBody struct {
	TransactionTokenID *string             `json:"transaction_token_id,omitempty"`
	Amount             *Amount             `json:"amount,omitempty"`
	Metadata           Metadata            `json:"metadata,omitempty"`
	Status             *SubscriptionStatus `json:"status,omitempty"`
	ScheduleSettings   *struct {
		TerminationMode *string `json:"termination_mode,omitempty"`
	} `json:"schedule_settings,omitempty"`
}
