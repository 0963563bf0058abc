package domain

import (
	"context"
	"encoding/json"
	"time"

	"kessai/api"
)

// Merchant is a merchant account (加盟店).
type Merchant struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	// Verified merchants may use live mode (docs/sandbox.md, "Live mode").
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

// StoreConfig is a store's configuration: what checkout_info shows and
// what the rules of the API read (docs/sandbox.md, "Store configuration",
// lists every key with the demo store's default). Its JSON form is the
// configuration file of `kessai store configure`.
//
// Decoding starts from DefaultStoreConfig, so keys missing from a stored or
// submitted document keep their defaults.
type StoreConfig struct {
	// Cards.

	CardEnabled bool `json:"card_enabled"`
	// CardBrands are the enabled card brands (api.Brand* values).
	CardBrands []string `json:"card_brands"`
	// CardCountries are the issuer countries (ISO 3166-1 alpha-2) whose
	// cards the store accepts; nil accepts every country.
	CardCountries []string `json:"card_countries"`
	// ForeignCardsAllowed false rejects cards issued outside Country.
	ForeignCardsAllowed bool `json:"foreign_cards_allowed"`
	DebitEnabled        bool `json:"debit_enabled"`
	PrepaidEnabled      bool `json:"prepaid_enabled"`
	// AllowEmptyCVV true lets card tokens be created without a CVV.
	AllowEmptyCVV bool `json:"allow_empty_cvv"`
	// AllowDirectTokenCreation lets a back end (with the secret) send card
	// data to POST /tokens (a PCI-DSS-approved merchant).
	AllowDirectTokenCreation bool `json:"allow_direct_token_creation"`
	OnlyDirectCurrency       bool `json:"only_direct_currency"`
	ThreeDSRequired          bool `json:"three_ds_required"`
	ThreeDSAddressRequired   bool `json:"three_ds_address_required"`
	// AllowedCountriesByIP is shown in checkout_info; nil allows every
	// country.
	AllowedCountriesByIP []string `json:"allowed_countries_by_ip"`
	// CardCurrencies are the currencies card brands list as supported.
	CardCurrencies []string `json:"card_currencies"`

	// Other payment methods.

	KonbiniEnabled bool `json:"konbini_enabled"`
	// KonbiniBrands are the enabled convenience-store codes.
	KonbiniBrands []string `json:"konbini_brands"`
	// KonbiniExpiration is the default payment deadline (ISO-8601).
	KonbiniExpiration   string `json:"konbini_expiration"`
	BankTransferEnabled bool   `json:"bank_transfer_enabled"`
	// BankTransferExpiration is the default transfer deadline (ISO-8601).
	BankTransferExpiration string `json:"bank_transfer_expiration"`
	OnlineEnabled          bool   `json:"online_enabled"`
	// OnlineBrands are the enabled online (QR / wallet) brands.
	OnlineBrands []string `json:"online_brands"`
	PaidyEnabled bool     `json:"paidy_enabled"`

	// Recurring tokens, subscriptions, installments.

	RecurringTokenPrivilege api.RecurringTokenPrivilege `json:"recurring_token_privilege"`
	// CVVConfirmationEnabled: charging a recurring card token for more
	// than CVVConfirmationThreshold needs a fresh CVV.
	CVVConfirmationEnabled   bool    `json:"cvv_confirmation_enabled"`
	CVVConfirmationThreshold []Money `json:"cvv_confirmation_threshold"`
	SubscriptionsEnabled     bool    `json:"subscriptions_enabled"`
	InstallmentsEnabled      bool    `json:"installments_enabled"`
	// InstallmentsMinChargeAmount is the smallest amount per cycle; nil
	// means none.
	InstallmentsMinChargeAmount *Money `json:"installments_min_charge_amount"`
	// InstallmentsMaxPayoutPeriod bounds an installment plan (ISO-8601).
	InstallmentsMaxPayoutPeriod string `json:"installments_max_payout_period"`
	// InstallmentsPaymentTypes are the payment types installments and
	// subscription plans accept.
	InstallmentsPaymentTypes []string `json:"installments_payment_types"`

	// The store.

	// Country is where the store is based (foreign cards).
	Country         string `json:"country"`
	DefaultCurrency string `json:"default_currency"`
	// Descriptor is the statement descriptor; nil means none.
	Descriptor *string `json:"descriptor"`
	// LogoImage is the URL of the store logo; nil shows the default.
	LogoImage *string `json:"logo_image"`
	// Theme are the widget colours; nil (or an empty colour) means the
	// default.
	Theme *api.ThemeColors `json:"theme"`

	// Products is the store's product catalogue, which the widget's
	// productCodes name (docs/sandbox.md, "Products").
	Products []api.Product `json:"products"`

	// Limits adjusts the sandbox limits of the store (docs/limits.md).
	Limits LimitsConfig `json:"limits"`
}

// Money is an amount in the minor unit of its currency.
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// Known values of the configuration.
var (
	CardBrandValues = []string{api.BrandVisa, api.BrandMastercard, api.BrandJCB, api.BrandAmericanExpress,
		api.BrandDinersClub, api.BrandDiscover, api.BrandUnionPay, api.BrandMaestro}
	KonbiniBrandValues = []string{"seven_eleven", "family_mart", "lawson", "mini_stop", "seico_mart",
		"circle_k", "sunkus", "daily_yamazaki", "yamazaki_daily_store", "pay_easy"}
	OnlineBrandValues       = []string{"alipay_online", "alipay_plus_online", "pay_pay_online", "we_chat_online", "d_barai_online"}
	InstallmentPaymentTypes = []string{"card", "konbini", "apple_pay", "paidy", "bank_transfer"}
)

// DefaultTheme are the widget colours of a store without its own.
func DefaultTheme() api.ThemeColors {
	return api.ThemeColors{
		MainBackground:      "#FFFFFF",
		SecondaryBackground: "#F5F8FC",
		MainColor:           "#4C5F85",
		MainText:            "#FFFFFF",
		PrimaryText:         "#4C5F85",
		SecondaryText:       "#4C5F85",
		BaseText:            "#4C5F85",
	}
}

// DefaultStoreConfig is the configuration of a new store (the demo
// store's): cards of the five Japanese brands, recurring tokens and
// subscriptions enabled; the other payment methods present but disabled.
// Every call returns fresh slices.
func DefaultStoreConfig() StoreConfig {
	theme := DefaultTheme()
	return StoreConfig{
		CardEnabled:              true,
		CardBrands:               []string{api.BrandVisa, api.BrandMastercard, api.BrandJCB, api.BrandAmericanExpress, api.BrandDinersClub},
		ForeignCardsAllowed:      true,
		DebitEnabled:             true,
		PrepaidEnabled:           true,
		AllowDirectTokenCreation: true,
		CardCurrencies:           []string{"JPY", "USD"},

		KonbiniBrands:          append([]string(nil), KonbiniBrandValues...),
		KonbiniExpiration:      "PT720H",
		BankTransferExpiration: "PT168H",
		OnlineBrands:           append([]string(nil), OnlineBrandValues...),

		RecurringTokenPrivilege:     api.RecurringInfinite,
		CVVConfirmationThreshold:    []Money{{Amount: 10000, Currency: "JPY"}},
		SubscriptionsEnabled:        true,
		InstallmentsEnabled:         true,
		InstallmentsMaxPayoutPeriod: "P100Y",
		InstallmentsPaymentTypes:    append([]string(nil), InstallmentPaymentTypes...),

		Country:         "JP",
		DefaultCurrency: "JPY",
		Theme:           &theme,
		Products:        []api.Product{},
	}
}

// UnmarshalJSON decodes a configuration over DefaultStoreConfig: a key
// that is absent keeps its default (stores saved by an older version).
func (c *StoreConfig) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	type plain StoreConfig
	v := plain(DefaultStoreConfig())
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*c = StoreConfig(v)
	return nil
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
	// ResetStore deletes every record of a store (tokens, charges and
	// everything else that belongs to it) but keeps the store itself, its
	// configuration and its app tokens. It returns how many records it
	// deleted per kind (table), and ErrNotFound for an unknown store.
	ResetStore(ctx context.Context, storeID string) (map[string]int, error)
}
