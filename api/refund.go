package api

import "encoding/json"

// RefundStatus is the status of a refund (docs/charges.md, "Refunds").
type RefundStatus string

// Refund statuses.
const (
	RefundPending    RefundStatus = "pending"
	RefundSuccessful RefundStatus = "successful"
	RefundFailed     RefundStatus = "failed"
	RefundError      RefundStatus = "error"
)

// Final reports whether s is a final refund status (polling stops there).
func (s RefundStatus) Final() bool { return s != RefundPending }

// RefundReason is the reason of a refund.
type RefundReason string

// Refund reasons. Chargeback is set by the card company, never by a
// merchant.
const (
	RefundReasonFraud           RefundReason = "fraud"
	RefundReasonDuplicate       RefundReason = "duplicate"
	RefundReasonCustomerRequest RefundReason = "customer_request"
	RefundReasonChargeback      RefundReason = "chargeback"
)

// Refund is the refund object, returned by POST, GET and PATCH of
// /stores/{storeId}/charges/{chargeId}/refunds[/{id}].
type Refund struct {
	ID              string        `json:"id"`
	StoreID         string        `json:"store_id"`
	ChargeID        string        `json:"charge_id"`
	Status          RefundStatus  `json:"status"`
	Amount          int64         `json:"amount"`
	Currency        string        `json:"currency"`
	AmountFormatted json.Number   `json:"amount_formatted"`
	Reason          *RefundReason `json:"reason"`
	Message         *string       `json:"message"`
	// Error is set when Status is failed or error.
	Error     *PaymentError `json:"error"`
	Metadata  Metadata      `json:"metadata"`
	Mode      Mode          `json:"mode"`
	CreatedOn string        `json:"created_on"`
}

// RefundListItem is an item of the refund list: the refund with the names
// of its merchant and store.
type RefundListItem struct {
	Refund
	StoreNames
}

// RefundCreateRequest is the body of POST
// /stores/{storeId}/charges/{chargeId}/refunds.
type RefundCreateRequest struct {
	// Amount in minor units; a numeric string is accepted.
	Amount *Amount `json:"amount"`
	// Currency must be the charge's currency (case-insensitive).
	Currency string   `json:"currency"`
	Reason   string   `json:"reason,omitempty"`
	Message  string   `json:"message,omitempty"`
	Metadata Metadata `json:"metadata,omitempty"`
}

// MetadataUpdateRequest is the body of the PATCH of a refund or a cancel:
// the metadata is merged into the resource's (null deletes a key).
type MetadataUpdateRequest struct {
	Metadata Metadata `json:"metadata"`
}

// TransactionType is the type of a transaction-history item.
type TransactionType string

// Transaction types.
const (
	TransactionCharge TransactionType = "charge"
	TransactionRefund TransactionType = "refund"
)

// TransactionStatusErrored is accepted as a status filter of the
// transaction history for the status error.
const TransactionStatusErrored = "errored"

// Transaction is an item of GET /stores/{storeId}/transaction_history and
// GET /transaction_history: a charge or a refund.
type Transaction struct {
	MerchantID   string `json:"merchant_id"`
	MerchantName string `json:"merchant_name"`
	StoreID      string `json:"store_id"`
	StoreName    string `json:"store_name"`
	// ResourceID is the charge ID (type charge) or the refund ID (type
	// refund).
	ResourceID string `json:"resource_id"`
	// ChargeID is the refunded charge of a refund, null for a charge.
	ChargeID        *string         `json:"charge_id"`
	Amount          int64           `json:"amount"`
	Currency        string          `json:"currency"`
	AmountFormatted json.Number     `json:"amount_formatted"`
	Type            TransactionType `json:"type"`
	// Status is the charge's or the refund's status.
	Status                        string              `json:"status"`
	PaymentType                   PaymentType         `json:"payment_type"`
	Mode                          Mode                `json:"mode"`
	Metadata                      Metadata            `json:"metadata"`
	BankTransferPaymentStatus     *string             `json:"bank_transfer_payment_status"`
	BankTransferLatestDepositDate *string             `json:"bank_transfer_latest_deposit_date"`
	UserData                      TransactionUserData `json:"user_data"`
	CreatedOn                     string              `json:"created_on"`
}

// TransactionUserData is user_data of a transaction: who paid, with what.
type TransactionUserData struct {
	Type                   TransactionType `json:"type"`
	CardholderName         *string         `json:"cardholder_name"`
	CardholderEmailAddress *string         `json:"cardholder_email_address"`
	Brand                  *string         `json:"brand"`
	Gateway                string          `json:"gateway"`
	ServiceProvider        string          `json:"service_provider"`
	// Refunds is always empty: refunds are items of their own.
	Refunds []string `json:"refunds"`
}
