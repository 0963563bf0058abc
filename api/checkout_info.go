package api

// CheckoutInfo is the body of GET /checkout_info (docs/sandbox.md, "How checkout_info is built"): the settings
// of the store bound to the app token, which drive the widget.
type CheckoutInfo struct {
	Mode                               Mode                          `json:"mode"`
	RecurringTokenPrivilege            RecurringTokenPrivilege       `json:"recurring_token_privilege"`
	Name                               string                        `json:"name"`
	CardConfiguration                  CardConfiguration             `json:"card_configuration"`
	SubscriptionConfiguration          EnabledFlag                   `json:"subscription_configuration"`
	InstallmentsConfiguration          InstallmentsConfiguration     `json:"installments_configuration"`
	SubscriptionPlanConfiguration      SubscriptionPlanConfiguration `json:"subscription_plan_configuration"`
	CheckoutConfiguration              CheckoutConfiguration         `json:"checkout_configuration"`
	QRScanConfiguration                QRScanConfiguration           `json:"qr_scan_configuration"`
	ConvenienceConfiguration           ConvenienceConfiguration      `json:"convenience_configuration"`
	PaidyConfiguration                 EnabledFlag                   `json:"paidy_configuration"`
	PaidyPublicKey                     *string                       `json:"paidy_public_key"`
	LogoImage                          *string                       `json:"logo_image"`
	Theme                              Theme                         `json:"theme"`
	RecurringCardChargeCVVConfirmation CVVConfirmation               `json:"recurring_card_charge_cvv_confirmation"`
	OnlineConfiguration                EnabledFlag                   `json:"online_configuration"`
	BankTransferConfiguration          BankTransferConfiguration     `json:"bank_transfer_configuration"`
	SupportedBrands                    []SupportedBrand              `json:"supported_brands"`
	// Products is the store's product catalogue, which the widget's
	// productCodes name: a Kessai extension (UnivaPay keeps products in its
	// merchant console and has no API for them), absent when the store has
	// none (docs/sandbox.md, "Products").
	Products []Product `json:"products,omitempty"`
}

// Product is one product of a store's catalogue (docs/sandbox.md,
// "Products"): a one-time product with its unit price.
type Product struct {
	// Code is what productCodes names (letters, digits, "-", "_", ".").
	Code string `json:"code"`
	Name string `json:"name"`
	// Amount is the unit price in the currency's minor unit.
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// EnabledFlag is a configuration object with only {"enabled": bool}.
type EnabledFlag struct {
	Enabled bool `json:"enabled"`
}

// CardConfiguration is checkout_info.card_configuration.
type CardConfiguration struct {
	Enabled                     bool       `json:"enabled"`
	DebitEnabled                bool       `json:"debit_enabled"`
	PrepaidEnabled              bool       `json:"prepaid_enabled"`
	DebitAuthorizationEnabled   bool       `json:"debit_authorization_enabled"`
	PrepaidAuthorizationEnabled bool       `json:"prepaid_authorization_enabled"`
	OnlyDirectCurrency          bool       `json:"only_direct_currency"`
	ForbiddenCardBrands         []string   `json:"forbidden_card_brands"`
	AllowedCountriesByIP        []string   `json:"allowed_countries_by_ip"`
	ForeignCardsAllowed         bool       `json:"foreign_cards_allowed"`
	FailOnNewEmail              *bool      `json:"fail_on_new_email"`
	CardLimit                   *CardLimit `json:"card_limit"`
	// AllowEmptyCVV true means the CVV may be empty.
	AllowEmptyCVV            bool `json:"allow_empty_cvv"`
	AllowDirectTokenCreation bool `json:"allow_direct_token_creation"`
	ThreeDSRequired          bool `json:"three_ds_required"`
	ThreeDSAddressRequired   bool `json:"three_ds_address_required"`
}

// CardLimit is a per-card amount limit over a period.
type CardLimit struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Duration string `json:"duration"` // ISO-8601 duration
}

// InstallmentsConfiguration is checkout_info.installments_configuration.
type InstallmentsConfiguration struct {
	Enabled               bool          `json:"enabled"`
	CardProcessor         CardProcessor `json:"card_processor"`
	SupportedPaymentTypes []string      `json:"supported_payment_types"`
	MinChargeAmount       *MoneyAmount  `json:"min_charge_amount"`
	MaxPayoutPeriod       *string       `json:"max_payout_period"`
	OnlyWithProcessor     bool          `json:"only_with_processor"`
}

// CardProcessor tells which card installment kinds the processor supports.
type CardProcessor struct {
	Revolving  bool `json:"revolving"`
	FixedCycle bool `json:"fixed_cycle"`
}

// SubscriptionPlanConfiguration is checkout_info.subscription_plan_configuration.
type SubscriptionPlanConfiguration struct {
	Enabled               bool         `json:"enabled"`
	FixedCycle            bool         `json:"fixed_cycle"`
	FixedCycleAmount      bool         `json:"fixed_cycle_amount"`
	SupportedPaymentTypes []string     `json:"supported_payment_types"`
	MinChargeAmount       *MoneyAmount `json:"min_charge_amount"`
	MaxPayoutPeriod       *string      `json:"max_payout_period"`
}

// CheckoutConfiguration is checkout_info.checkout_configuration.
type CheckoutConfiguration struct {
	ECEmail    EnabledFlag `json:"ec_email"`
	ECProducts EnabledFlag `json:"ec_products"`
}

// QRScanConfiguration is checkout_info.qr_scan_configuration.
type QRScanConfiguration struct {
	Enabled                 bool     `json:"enabled"`
	ForbiddenQRScanGateways []string `json:"forbidden_qr_scan_gateways"`
}

// ConvenienceConfiguration is checkout_info.convenience_configuration.
type ConvenienceConfiguration struct {
	Enabled             bool                `json:"enabled"`
	Expiration          string              `json:"expiration"` // ISO-8601 duration, e.g. "PT720H"
	ExpirationTimeShift ExpirationTimeShift `json:"expiration_time_shift"`
}

// ExpirationTimeShift is a clock time applied to a deadline, e.g.
// {"value":"13:00:00+09:00","enabled":false}.
type ExpirationTimeShift struct {
	Value   string `json:"value"`
	Enabled bool   `json:"enabled"`
}

// Theme is checkout_info.theme.
type Theme struct {
	Colors ThemeColors `json:"colors"`
}

// ThemeColors are the widget colours (hex strings).
type ThemeColors struct {
	MainBackground      string `json:"main_background"`
	SecondaryBackground string `json:"secondary_background"`
	MainColor           string `json:"main_color"`
	MainText            string `json:"main_text"`
	PrimaryText         string `json:"primary_text"`
	SecondaryText       string `json:"secondary_text"`
	BaseText            string `json:"base_text"`
}

// CVVConfirmation is checkout_info.recurring_card_charge_cvv_confirmation.
type CVVConfirmation struct {
	Enabled   bool          `json:"enabled"`
	Threshold []MoneyAmount `json:"threshold"`
}

// BankTransferConfiguration is checkout_info.bank_transfer_configuration.
type BankTransferConfiguration struct {
	Enabled                                  bool                `json:"enabled"`
	MatchAmount                              string              `json:"match_amount"`
	Expiration                               string              `json:"expiration"`
	ExpirationTimeShift                      ExpirationTimeShift `json:"expiration_time_shift"`
	VirtualBankAccountsThreshold             int                 `json:"virtual_bank_accounts_threshold"`
	VirtualBankAccountsFetchCount            int                 `json:"virtual_bank_accounts_fetch_count"`
	DefaultExtensionPeriod                   string              `json:"default_extension_period"`
	MaximumExtensionPeriod                   string              `json:"maximum_extension_period"`
	AutomaticExtensionEnabled                bool                `json:"automatic_extension_enabled"`
	ChargeRequestNotificationEnabled         bool                `json:"charge_request_notification_enabled"`
	ChargeRequestCanceledNotificationEnabled bool                `json:"charge_request_canceled_notification_enabled"`
	ChargeExpiredNotificationEnabled         bool                `json:"charge_expired_notification_enabled"`
	DepositReceivedNotificationEnabled       bool                `json:"deposit_received_notification_enabled"`
	DepositInsufficientNotificationEnabled   bool                `json:"deposit_insufficient_notification_enabled"`
	DepositExceededNotificationEnabled       bool                `json:"deposit_exceeded_notification_enabled"`
	ExtensionNotificationEnabled             bool                `json:"extension_notification_enabled"`
	RemindNotificationPeriod                 string              `json:"remind_notification_period"`
	RemindNotificationEnabled                bool                `json:"remind_notification_enabled"`
}

// SupportedBrand is one entry of checkout_info.supported_brands. CardBrand is
// set (to Brand) for card entries and OnlineBrand for online entries; both
// are omitted otherwise, as in the seed example.
type SupportedBrand struct {
	PaymentType              PaymentType `json:"payment_type"`
	Brand                    string      `json:"brand"`
	CardBrand                string      `json:"card_brand,omitempty"`
	OnlineBrand              string      `json:"online_brand,omitempty"`
	DynamicInfo              bool        `json:"dynamic_info"`
	SupportAuthCapture       bool        `json:"support_auth_capture"`
	RequiresFullName         bool        `json:"requires_full_name"`
	SupportDynamicDescriptor bool        `json:"support_dynamic_descriptor"`
	RequiresCVV              bool        `json:"requires_cvv"`
	CountriesAllowed         []string    `json:"countries_allowed"`
	SupportedCurrencies      []string    `json:"supported_currencies"`
	CVVAuth                  bool        `json:"cvv_auth"`
	InstallmentCapable       bool        `json:"installment_capable"`
}
