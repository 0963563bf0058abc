package domain

import (
	"context"
	"time"

	"kessai/api"
)

// Merchant is a merchant account (加盟店).
type Merchant struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Verified  bool      `json:"verified"`
	CreatedAt time.Time `json:"created_at"`
}

// Store is a merchant's store (店舗), the entity the API calls a store.
type Store struct {
	ID         string      `json:"id"`
	MerchantID string      `json:"merchant_id"`
	Name       string      `json:"name"`
	Config     StoreConfig `json:"config"`
	CreatedAt  time.Time   `json:"created_at"`
}

// StoreConfig is the part of a store's configuration the sandbox acts on;
// everything else in checkout_info uses fixed defaults.
type StoreConfig struct {
	CardEnabled bool `json:"card_enabled"`
	// CardBrands are the enabled card brands (api.Brand* values).
	CardBrands              []string                    `json:"card_brands"`
	RecurringTokenPrivilege api.RecurringTokenPrivilege `json:"recurring_token_privilege"`
	AllowEmptyCVV           bool                        `json:"allow_empty_cvv"`
	SubscriptionsEnabled    bool                        `json:"subscriptions_enabled"`
	LogoImage               *string                     `json:"logo_image,omitempty"`
	Theme                   *api.ThemeColors            `json:"theme,omitempty"`
	// Limits adjusts the sandbox limits of the store (docs/limits.md).
	Limits LimitsConfig `json:"limits"`
}

// MerchantStorage persists merchants.
type MerchantStorage interface {
	CreateMerchant(ctx context.Context, m *Merchant) error
	GetMerchant(ctx context.Context, id string) (*Merchant, error)
}

// StoreStorage persists stores.
type StoreStorage interface {
	CreateStore(ctx context.Context, s *Store) error
	GetStore(ctx context.Context, id string) (*Store, error)
	// UpdateStore replaces a store (name, configuration).
	UpdateStore(ctx context.Context, s *Store) error
	// ListStores returns all stores in creation order.
	ListStores(ctx context.Context) ([]*Store, error)
}
