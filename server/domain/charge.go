package domain

import (
	"context"
	"time"

	"kessai/api"
)

// Charge is a charge. DueAt is when the sandbox engine must next act on it
// (settle a pending charge, capture an authorization at capture_at, …); nil
// when nothing is scheduled. Times are on the store's sandbox clock.
type Charge struct {
	ID                    string            `json:"id"`
	StoreID               string            `json:"store_id"`
	MerchantID            string            `json:"merchant_id"`
	TokenID               string            `json:"token_id"`
	TokenType             api.TokenType     `json:"token_type"`
	Amount                int64             `json:"amount"`
	Currency              string            `json:"currency"`
	ChargedAmount         *int64            `json:"charged_amount,omitempty"`
	ChargedCurrency       *string           `json:"charged_currency,omitempty"`
	Capture               bool              `json:"capture"`
	CaptureAt             *time.Time        `json:"capture_at,omitempty"`
	OnlyDirectCurrency    bool              `json:"only_direct_currency"`
	MerchantTransactionID *string           `json:"merchant_transaction_id,omitempty"`
	Descriptor            *string           `json:"descriptor,omitempty"`
	Status                api.ChargeStatus  `json:"status"`
	Error                 *api.PaymentError `json:"error,omitempty"`
	Metadata              api.Metadata      `json:"metadata"`
	Mode                  api.Mode          `json:"mode"`
	RedirectEndpoint      *string           `json:"redirect_endpoint,omitempty"`
	RedirectID            *string           `json:"redirect_id,omitempty"`
	SubscriptionID        *string           `json:"subscription_id,omitempty"`
	// PaymentType of the token.
	PaymentType api.PaymentType `json:"payment_type"`
	// LastFour of the token's card at creation, or of a konbini token's
	// phone number: decides the test outcome.
	LastFour string `json:"last_four"`
	// CardFingerprint identifies the card across tokens (Card.Fingerprint).
	CardFingerprint string `json:"card_fingerprint,omitempty"`
	// Payment is the state of a konbini, bank-transfer or online charge
	// (docs/payment-methods.md); nil for the other types.
	Payment *Payment `json:"payment,omitempty"`
	// ThreeDS is the charge's 3-D Secure step: set when the request had
	// a three_ds object or a challenge runs.
	ThreeDS   *ThreeDS   `json:"three_ds,omitempty"`
	DueAt     *time.Time `json:"due_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	// Outbox keeps the follow-ups of its changes not done yet (followup.go).
	Outbox
}

// ChargeQuery filters a list of charges (docs/tokens-and-lists.md, "Charge
// list"). Empty fields do not filter; all filters are ANDed. The card,
// e-mail and phone filters look at the charge's transaction token, so they
// no longer find the charges of a deleted token.
type ChargeQuery struct {
	Scope
	Page
	Filters
	TransactionTokenID string
	SubscriptionID     string
	// Card filters: all four or none. Name matches the whole cardholder
	// name, ignoring case.
	LastFour          string
	Name              string
	ExpMonth, ExpYear int
	// Email matches the token's whole address, ignoring case.
	Email string
	// Phone (digits only) matches the token's billing phone number as
	// TokenQuery.PhoneNumber does.
	Phone string
	// AmountFrom < amount < AmountTo (the requested amount).
	AmountFrom, AmountTo *int64
	// Currency matches the requested or the charged currency.
	Currency string
}

// ChargeStorage persists charges.
type ChargeStorage interface {
	// CreateCharge inserts c and, atomically, marks token tokenID used at
	// c.CreatedAt; with consume it also deactivates the token and fails
	// with ErrTokenInactive if it was no longer active. The guards are
	// checked in the same transaction, serialised per store with every other
	// guarded creation of every process: the first guard whose count has
	// reached its Max fails the creation with its Err.
	CreateCharge(ctx context.Context, c *Charge, tokenID string, consume bool, guards ...ChargeGuard) error
	GetCharge(ctx context.Context, id string) (*Charge, error)
	UpdateCharge(ctx context.Context, c *Charge) error
	// ListDueCharges returns the charges of a store whose DueAt is at or
	// before t, oldest first.
	ListDueCharges(ctx context.Context, storeID string, t time.Time) ([]*Charge, error)
	ListCharges(ctx context.Context, q ChargeQuery) (List[*Charge], error)
}
