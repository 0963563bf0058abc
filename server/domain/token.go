package domain

import (
	"context"
	"time"

	"kessai/api"
)

// Card is what the server keeps of a tokenised card: never the full number
// or the CVV. The sandbox outcome is decided from LastFour (docs/charges.md, "Test cards").
type Card struct {
	Cardholder string `json:"cardholder"`
	ExpMonth   int    `json:"exp_month"`
	ExpYear    int    `json:"exp_year"`
	BIN        string `json:"bin"`
	LastFour   string `json:"last_four"`
	Brand      string `json:"brand"`
	Country    string `json:"country"`
	// Fingerprint identifies the card number without revealing it (an
	// HMAC under the server key): the card lock and the charge-frequency
	// limit count per card.
	Fingerprint string `json:"fingerprint,omitempty"`
}

// Billing is the billing address of a card token.
type Billing struct {
	Line1            *string `json:"line1,omitempty"`
	Line2            *string `json:"line2,omitempty"`
	State            *string `json:"state,omitempty"`
	City             *string `json:"city,omitempty"`
	Country          *string `json:"country,omitempty"`
	Zip              *string `json:"zip,omitempty"`
	PhoneCountryCode *int    `json:"phone_country_code,omitempty"`
	PhoneLocalNumber *string `json:"phone_local_number,omitempty"`
}

// CVVAuth is the CVV-authorization state of a token (docs/tokens-and-lists.md).
type CVVAuth struct {
	Enabled   bool                    `json:"enabled"`
	Status    *api.CVVAuthorizeStatus `json:"status,omitempty"`
	Currency  *string                 `json:"currency,omitempty"`
	ProcessAt *time.Time              `json:"process_at,omitempty"`
}

// TxToken is a transaction token.
type TxToken struct {
	ID                      string          `json:"id"`
	StoreID                 string          `json:"store_id"`
	MerchantID              string          `json:"merchant_id"`
	AppTokenID              string          `json:"app_token_id"`
	Email                   string          `json:"email"`
	IPAddress               *string         `json:"ip_address,omitempty"`
	PaymentType             api.PaymentType `json:"payment_type"`
	Type                    api.TokenType   `json:"type"`
	UsageLimit              *api.UsageLimit `json:"usage_limit,omitempty"`
	Active                  bool            `json:"active"`
	Mode                    api.Mode        `json:"mode"`
	Metadata                api.Metadata    `json:"metadata"`
	Card                    *Card           `json:"card,omitempty"`
	Billing                 *Billing        `json:"billing,omitempty"`
	CVVAuth                 CVVAuth         `json:"cvv_auth"`
	ThreeDS                 bool            `json:"three_ds"`
	ThreeDSRedirectEndpoint *string         `json:"three_ds_redirect_endpoint,omitempty"`
	CreatedAt               time.Time       `json:"created_at"`
	UpdatedAt               time.Time       `json:"updated_at"`
	LastUsedAt              *time.Time      `json:"last_used_at,omitempty"`
	// CVVProvidedAt is when a CVV was last sent with PATCH
	// /stores/{storeId}/tokens/{id}: it stays valid for 5 minutes and is
	// used up by the next charge (a LastUsedAt after it).
	CVVProvidedAt *time.Time `json:"cvv_provided_at,omitempty"`
	// PreviousID is the token this one replaced (renew).
	PreviousID *string `json:"previous_id,omitempty"`

	// The other payment types (docs/payment-methods.md): one of Konbini,
	// Online, Paidy is set for those types; BankTransferBrand for
	// bank_transfer.
	Konbini           *KonbiniData `json:"konbini,omitempty"`
	Online            *OnlineData  `json:"online,omitempty"`
	Paidy             *PaidyData   `json:"paidy,omitempty"`
	BankTransferBrand string       `json:"bank_transfer_brand,omitempty"`
	// Expiration is the payment window of a konbini or bank-transfer
	// token.
	Expiration *Expiration `json:"expiration,omitempty"`
	// Account is the virtual account of a bank-transfer token, assigned
	// when its first charge awaits the transfer.
	Account *VirtualAccount `json:"account,omitempty"`
	// ThreeDSStep is the 3-D Secure step of a recurring card token
	// created with 3-D Secure; nil otherwise.
	ThreeDSStep *ThreeDS `json:"three_ds_step,omitempty"`

	// Outbox keeps the follow-ups of its changes not done yet (followup.go).
	Outbox
}

// TokenQuery filters a list of transaction tokens (docs/tokens-and-lists.md,
// "Token list"). Empty fields do not filter; all filters are ANDed.
type TokenQuery struct {
	Scope
	Page
	Filters
	ID      string
	ShortID string // the last 6 characters of the ID
	Type    api.TokenType
	// Email matches the whole address, ignoring case.
	Email string
	// Cardholder matches a part of the card's name, ignoring case.
	Cardholder string
	CardExp    string // yyyy-MM
	// CardLastFour is the card's last four digits.
	CardLastFour string
	// PhoneNumber (digits only) matches the billing phone number, with or
	// without its country code, ignoring separators.
	PhoneNumber string
	// Brand is the card brand (visa, …).
	Brand       string
	CustomerID  string // metadata univapay-customer-id
	PaymentType api.PaymentType
	PreviousID  string // the token a renewed token replaced
	ActiveOnly  bool
}

// TokenStorage persists transaction tokens.
type TokenStorage interface {
	CreateToken(ctx context.Context, t *TxToken) error
	GetToken(ctx context.Context, id string) (*TxToken, error)
	UpdateToken(ctx context.Context, t *TxToken) error
	// DeleteToken removes a token; GetToken then returns ErrNotFound.
	DeleteToken(ctx context.Context, id string) error
	ListTokens(ctx context.Context, q TokenQuery) (List[*TxToken], error)
}
