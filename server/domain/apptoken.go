package domain

import (
	"context"
	"time"

	"kessai/api"
)

// AppToken is an application token: the JWT, its hashed secret and the
// registered domains (docs/sandbox-api.md, "Authentication and access").
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

// AppTokenStorage persists app tokens.
type AppTokenStorage interface {
	CreateAppToken(ctx context.Context, t *AppToken) error
	GetAppToken(ctx context.Context, id string) (*AppToken, error)
	// UpdateAppToken replaces an app token (e.g. to deactivate it).
	UpdateAppToken(ctx context.Context, t *AppToken) error
	// ListAppTokens returns the app tokens of a store in creation order.
	ListAppTokens(ctx context.Context, storeID string) ([]*AppToken, error)
}
