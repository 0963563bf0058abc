// Package domain holds Kessai's server-side domain types and the Store
// interface that persists them. It sits at the centre: package server (HTTP
// handlers, auth, sandbox engine) uses it and package server/sqlite
// implements Store. It is a separate package only so that server can open
// the SQLite store without an import cycle; package server re-exports the
// names as aliases.
package domain

import (
	"context"
	"errors"
	"time"

	"kessai/api"
)

// Errors returned by Store implementations.
var (
	// ErrNotFound: the requested record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrTokenInactive: CreateCharge was asked to consume a token that is
	// no longer active (already used).
	ErrTokenInactive = errors.New("transaction token inactive")
)

// Merchant is a merchant account (加盟店).
type Merchant struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Verified  bool      `json:"verified"`
	CreatedAt time.Time `json:"created_at"`
}

// Shop is a merchant's store (店舗). It is called Shop to avoid a clash
// with the Store persistence interface.
type Shop struct {
	ID         string     `json:"id"`
	MerchantID string     `json:"merchant_id"`
	Name       string     `json:"name"`
	Config     ShopConfig `json:"config"`
	CreatedAt  time.Time  `json:"created_at"`
}

// ShopConfig is the part of a store's configuration the sandbox acts on;
// everything else in checkout_info uses fixed defaults.
type ShopConfig struct {
	CardEnabled bool `json:"card_enabled"`
	// CardBrands are the enabled card brands (api.Brand* values).
	CardBrands              []string                    `json:"card_brands"`
	RecurringTokenPrivilege api.RecurringTokenPrivilege `json:"recurring_token_privilege"`
	AllowEmptyCVV           bool                        `json:"allow_empty_cvv"`
	SubscriptionsEnabled    bool                        `json:"subscriptions_enabled"`
	LogoImage               *string                     `json:"logo_image,omitempty"`
	Theme                   *api.ThemeColors            `json:"theme,omitempty"`
}

// AppToken is an application token: the JWT, its hashed secret and the
// registered domains (api.md §1).
type AppToken struct {
	ID         string   `json:"id"` // the JWT's jti
	MerchantID string   `json:"merchant_id"`
	StoreID    string   `json:"store_id"`
	Mode       api.Mode `json:"mode"`
	Domains    []string `json:"domains"`
	// SecretHash is the hex SHA-256 of the secret; the secret itself is
	// never stored.
	SecretHash string    `json:"secret_hash"`
	JWT        string    `json:"jwt"`
	Active     bool      `json:"active"`
	CreatorID  string    `json:"creator_id"`
	Version    int       `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
}

// Card is what the server keeps of a tokenised card: never the full number
// or the CVV. The sandbox outcome is decided from LastFour (api.md §11.2).
type Card struct {
	Cardholder string `json:"cardholder"`
	ExpMonth   int    `json:"exp_month"`
	ExpYear    int    `json:"exp_year"`
	BIN        string `json:"bin"`
	LastFour   string `json:"last_four"`
	Brand      string `json:"brand"`
	Country    string `json:"country"`
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

// CVVAuth is the CVV-authorization state of a token (api.md §7.1.5).
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
}

// Charge is a charge. While Status is pending, ProcessAt is when the sandbox
// engine settles it.
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
	// LastFour of the token's card at creation: decides the test outcome.
	LastFour  string     `json:"last_four"`
	ProcessAt *time.Time `json:"process_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// IdempotentResponse is a response stored under an Idempotency-Key (api.md §5.1).
type IdempotentResponse struct {
	Scope     string    `json:"scope"` // merchant ID + mode
	Key       string    `json:"key"`
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	Status    int       `json:"status"`
	Body      []byte    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// Store persists the domain. Implementations must be safe for concurrent
// use. Get* methods return ErrNotFound for unknown IDs.
type Store interface {
	// GetSetting returns a named server setting (e.g. the JWT key).
	GetSetting(ctx context.Context, key string) ([]byte, error)
	// PutSetting creates or replaces a named server setting.
	PutSetting(ctx context.Context, key string, value []byte) error

	CreateMerchant(ctx context.Context, m *Merchant) error
	GetMerchant(ctx context.Context, id string) (*Merchant, error)

	CreateShop(ctx context.Context, s *Shop) error
	GetShop(ctx context.Context, id string) (*Shop, error)
	// ListShops returns all stores in creation order.
	ListShops(ctx context.Context) ([]*Shop, error)

	CreateAppToken(ctx context.Context, t *AppToken) error
	GetAppToken(ctx context.Context, id string) (*AppToken, error)
	// UpdateAppToken replaces an app token (e.g. to deactivate it).
	UpdateAppToken(ctx context.Context, t *AppToken) error
	// ListAppTokens returns the app tokens of a store in creation order.
	ListAppTokens(ctx context.Context, storeID string) ([]*AppToken, error)

	CreateToken(ctx context.Context, t *TxToken) error
	GetToken(ctx context.Context, id string) (*TxToken, error)
	UpdateToken(ctx context.Context, t *TxToken) error

	// CreateCharge inserts c and, atomically, marks token tokenID used at
	// c.CreatedAt; with consume it also deactivates the token and fails
	// with ErrTokenInactive if it was no longer active.
	CreateCharge(ctx context.Context, c *Charge, tokenID string, consume bool) error
	GetCharge(ctx context.Context, id string) (*Charge, error)
	UpdateCharge(ctx context.Context, c *Charge) error
	// ListDueCharges returns pending charges whose ProcessAt is at or
	// before t.
	ListDueCharges(ctx context.Context, t time.Time) ([]*Charge, error)

	// GetIdempotentResponse returns the response stored under scope+key.
	GetIdempotentResponse(ctx context.Context, scope, key string) (*IdempotentResponse, error)
	// PutIdempotentResponse creates or replaces a stored response.
	PutIdempotentResponse(ctx context.Context, r *IdempotentResponse) error

	Close() error
}
