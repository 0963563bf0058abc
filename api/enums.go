package api

// Mode is the processing mode of an app token and of every resource created
// through it (docs/sandbox-api.md, "Authentication and access").
type Mode string

// Modes.
const (
	ModeTest Mode = "test"
	ModeLive Mode = "live"
)

// PaymentType is the payment method of a transaction token or brand
// (docs/tokens-and-lists.md; docs/sandbox.md, "How checkout_info is built").
type PaymentType string

// Payment types.
const (
	PaymentTypeCard         PaymentType = "card"
	PaymentTypePaidy        PaymentType = "paidy"
	PaymentTypeOnline       PaymentType = "online"
	PaymentTypeKonbini      PaymentType = "konbini"
	PaymentTypeBankTransfer PaymentType = "bank_transfer"
	PaymentTypeQRMerchant   PaymentType = "qr_merchant"
)

// TokenType is the type of a transaction token (docs/tokens-and-lists.md).
type TokenType string

// Transaction-token types.
const (
	TokenTypeOneTime      TokenType = "one_time"
	TokenTypeSubscription TokenType = "subscription"
	TokenTypeRecurring    TokenType = "recurring"
)

// UsageLimit bounds how often a recurring token may be charged (docs/tokens-and-lists.md).
type UsageLimit string

// Usage limits.
const (
	UsageLimitDaily    UsageLimit = "daily"
	UsageLimitWeekly   UsageLimit = "weekly"
	UsageLimitMonthly  UsageLimit = "monthly"
	UsageLimitAnnually UsageLimit = "annually"
)

// RecurringTokenPrivilege is the store's permission to create recurring
// tokens (checkout_info.recurring_token_privilege).
type RecurringTokenPrivilege string

// Recurring-token privileges.
const (
	RecurringNone     RecurringTokenPrivilege = "none"
	RecurringBounded  RecurringTokenPrivilege = "bounded"
	RecurringInfinite RecurringTokenPrivilege = "infinite"
)

// ChargeStatus is the status of a charge (docs/charges.md).
type ChargeStatus string

// Charge statuses.
const (
	ChargePending    ChargeStatus = "pending"
	ChargeAwaiting   ChargeStatus = "awaiting"
	ChargeSuccessful ChargeStatus = "successful"
	ChargeFailed     ChargeStatus = "failed"
	ChargeError      ChargeStatus = "error"
	ChargeAuthorized ChargeStatus = "authorized"
	ChargeCanceled   ChargeStatus = "canceled"
)

// ChargeStatuses lists every charge status.
var ChargeStatuses = []ChargeStatus{ChargePending, ChargeAwaiting, ChargeAuthorized, ChargeSuccessful, ChargeFailed, ChargeError, ChargeCanceled}

// Final reports whether s is a final charge state for polling purposes
// (docs/sandbox-api.md, "Polling": canceled, error, failed, successful).
func (s ChargeStatus) Final() bool {
	switch s {
	case ChargeCanceled, ChargeError, ChargeFailed, ChargeSuccessful:
		return true
	}
	return false
}

// CVVAuthorizeStatus is the state of a token's CVV authorization (docs/tokens-and-lists.md).
type CVVAuthorizeStatus string

// CVV-authorization statuses.
const (
	CVVAuthPending  CVVAuthorizeStatus = "pending"
	CVVAuthCurrent  CVVAuthorizeStatus = "current"
	CVVAuthFailed   CVVAuthorizeStatus = "failed"
	CVVAuthInactive CVVAuthorizeStatus = "inactive"
)

// ThreeDSStatus is the state of a 3-D Secure step (the UnivaPay 3-D Secure documentation).
type ThreeDSStatus string

// 3-D Secure statuses.
const (
	ThreeDSPending    ThreeDSStatus = "pending"
	ThreeDSAwaiting   ThreeDSStatus = "awaiting"
	ThreeDSSuccessful ThreeDSStatus = "successful"
	ThreeDSFailed     ThreeDSStatus = "failed"
	ThreeDSError      ThreeDSStatus = "error"
)

// Card brands (data.card.brand, supported_brands[].brand for cards).
const (
	BrandVisa            = "visa"
	BrandMastercard      = "mastercard"
	BrandJCB             = "jcb"
	BrandAmericanExpress = "american_express"
	BrandDinersClub      = "diners_club"
	BrandDiscover        = "discover"
	BrandUnionPay        = "unionpay"
	BrandMaestro         = "maestro"
	BrandUnknown         = "unknown"
)

// Idempotency-Status header values (docs/limits.md, "Idempotency").
const (
	IdempotencyDisabled       = "disabled"
	IdempotencyStored         = "successfully_stored"
	IdempotencyRetrieved      = "retrieved_idempotent_response"
	IdempotencyError          = "error"
	IdempotencyConflictingKey = "conflicting_key"
	HeaderIdempotencyKey      = "Idempotency-Key"
	HeaderIdempotencyStatus   = "Idempotency-Status"
)
