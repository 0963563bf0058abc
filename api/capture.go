package api

// CaptureRequest is the body of POST /stores/{storeId}/charges/{chargeId}/capture
// (docs/charges.md, "Capture"). ID and StoreID repeat the path and are
// optional; when sent they must match it.
type CaptureRequest struct {
	ID      string `json:"id,omitempty"`
	StoreID string `json:"store_id,omitempty"`
	// Amount in minor units, at most the authorized amount; a numeric
	// string is accepted.
	Amount *Amount `json:"amount"`
	// Currency must be the currency of the authorization.
	Currency string `json:"currency"`
}

// ReasonMustMatchCharge is the validation reason of a field that must
// repeat a value of the charge: the capture's id, store_id and currency.
const ReasonMustMatchCharge = "MUST_MATCH_CHARGE"

// Payment errors of captures and refunds (docs/charges.md).
const (
	// PaymentErrorAuthorizationExpired: a capture after the authorization
	// expired.
	PaymentErrorAuthorizationExpired = 313
	// PaymentErrorPartialRefund: a partial refund on a payment method
	// without partial refunds.
	PaymentErrorPartialRefund = 318

	AuthorizationExpiredMessage = "Authorization expired"
	PartialRefundNotSupported   = "Partial refunds are not supported for this payment method"
	RefundPeriodExpiredMessage  = "Refund period has passed"
	TestRefundFailedMessage     = "Test refund failed purposely"
	TestCancelFailedMessage     = "Test cancel failed purposely"
	ChargeNotCancelableMessage  = "This charge can no longer be canceled"
)
