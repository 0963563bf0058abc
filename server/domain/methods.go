package domain

import (
	"time"

	"kessai/api"
)

// The payment-type specific parts of tokens and charges other than cards
// (docs/payment-methods.md). They are stored with their token or charge.

// KonbiniData is what a konbini token holds.
type KonbiniData struct {
	CustomerName     string `json:"customer_name"`
	PhoneCountryCode int    `json:"phone_country_code"`
	PhoneLocalNumber string `json:"phone_local_number"`
	// Store is the convenience store (api.Konbini* values).
	Store string `json:"store"`
}

// OnlineData is what an online token holds.
type OnlineData struct {
	Brand          string         `json:"brand"`
	CallMethod     api.CallMethod `json:"call_method"`
	UserIdentifier *string        `json:"user_identifier,omitempty"`
	OSType         *string        `json:"os_type,omitempty"`
}

// PaidyData is what a Paidy token holds.
type PaidyData struct {
	PaidyToken       string       `json:"paidy_token"`
	PhoneCountryCode *int         `json:"phone_country_code,omitempty"`
	PhoneLocalNumber *string      `json:"phone_local_number,omitempty"`
	ShippingAddress  *api.Address `json:"shipping_address,omitempty"`
}

// Expiration is the payment window a konbini or bank-transfer token was
// created with: Period is an ISO-8601 duration, TimeShift a time with zone
// ("09:00:00+09:00"); either may be empty.
type Expiration struct {
	Period    string `json:"period,omitempty"`
	TimeShift string `json:"time_shift,omitempty"`
}

// VirtualAccount is a bank-transfer virtual account.
type VirtualAccount struct {
	ID            string `json:"id"`
	BranchCode    string `json:"branch_code"`
	BranchName    string `json:"branch_name"`
	AccountNumber string `json:"account_number"`
	HolderName    string `json:"holder_name"`
}

// LedgerEntry is a movement on a bank-transfer charge's virtual account:
// a deposit, or the payment applying the deposits to the charge. Balance
// is the money on the account not yet applied, after the entry.
type LedgerEntry struct {
	Type          api.BankLedgerType `json:"type"`
	Amount        int64              `json:"amount"`
	Balance       int64              `json:"balance"`
	TransactionID int64              `json:"transaction_id"`
	At            time.Time          `json:"at"`
}

// ThreeDS is the 3-D Secure step of a token or a charge. Status is nil
// when no challenge runs; DueAt is when an awaiting challenge times out.
type ThreeDS struct {
	Mode             api.ThreeDSMode    `json:"mode,omitempty"`
	Status           *api.ThreeDSStatus `json:"status,omitempty"`
	RedirectEndpoint *string            `json:"redirect_endpoint,omitempty"`
	RedirectID       *string            `json:"redirect_id,omitempty"`
	Error            *api.PaymentError  `json:"error,omitempty"`
	DueAt            *time.Time         `json:"due_at,omitempty"`
}

// Awaiting reports whether the step awaits the buyer.
func (t *ThreeDS) Awaiting() bool {
	return t != nil && t.Status != nil && *t.Status == api.ThreeDSAwaiting
}

// Payment is the state of a charge that awaits the buyer's payment
// (konbini, bank transfer, online): when it began awaiting, its deadline
// is the charge's CaptureAt (konbini, bank transfer) or Deadline (online).
type Payment struct {
	AwaitingSince *time.Time `json:"awaiting_since,omitempty"`
	Deadline      *time.Time `json:"deadline,omitempty"`
	// PayAt is when the sandbox buyer pays in test mode (konbini: ten
	// minutes after the application; bank transfer: ten minutes after
	// the account was shown); nil when no automatic payment comes.
	PayAt *time.Time `json:"pay_at,omitempty"`
	// IssuerTokenRead is set at the first read of the issuer token.
	IssuerTokenRead bool `json:"issuer_token_read,omitempty"`
	// KonbiniStore is the token's convenience store.
	KonbiniStore string `json:"konbini_store,omitempty"`
	// OnlineBrand and CallMethod are the online token's.
	OnlineBrand string         `json:"online_brand,omitempty"`
	CallMethod  api.CallMethod `json:"call_method,omitempty"`
	// Account is the bank-transfer virtual account; Deposited the total
	// received; Ledger its movements, oldest first.
	Account   *VirtualAccount `json:"account,omitempty"`
	Deposited int64           `json:"deposited,omitempty"`
	Ledger    []LedgerEntry   `json:"ledger,omitempty"`
}
