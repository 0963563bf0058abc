package api

import "encoding/json"

// Store is the body of GET /stores/{storeId}: a store and its effective
// configuration.
type Store struct {
	ID            string             `json:"id"`
	Name          string             `json:"name"`
	CreatedOn     string             `json:"created_on"`
	Configuration StoreConfiguration `json:"configuration"`
	TMSStoreData  json.RawMessage    `json:"tms_store_data"`
}

// StoreListItem is an item of GET /stores.
type StoreListItem struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	CreatedOn    string `json:"created_on"`
	MerchantName string `json:"merchant_name"`
}

// CustomerIDRequest is the body of POST /stores/{id}/create_customer_id
// (customer_id may also be a query parameter).
type CustomerIDRequest struct {
	CustomerID string `json:"customer_id"`
}

// CustomerID is the response of POST /stores/{id}/create_customer_id.
type CustomerID struct {
	CustomerID string `json:"customer_id"`
}

// StoreConfiguration is the configuration object of a merchant (GET /me)
// and of a store (GET /stores/{storeId}); TransferSchedule is the
// merchant's only.
type StoreConfiguration struct {
	PercentFee                       *json.Number                    `json:"percent_fee"`
	FlatFees                         []MoneyAmount                   `json:"flat_fees"`
	LogoURL                          *string                         `json:"logo_url"`
	Country                          *string                         `json:"country"`
	Language                         *string                         `json:"language"`
	DisplayTimeZone                  *string                         `json:"display_time_zone"`
	MinTransferPayout                *MoneyAmount                    `json:"min_transfer_payout"`
	MinimumChargeAmounts             []MoneyAmount                   `json:"minimum_charge_amounts"`
	MaximumChargeAmounts             []MoneyAmount                   `json:"maximum_charge_amounts"`
	TransferSchedule                 *TransferSchedule               `json:"transfer_schedule,omitempty"`
	UserTransactionsConfiguration    UserTransactionsConfiguration   `json:"user_transactions_configuration"`
	RecurringTokenConfiguration      RecurringTokenConfiguration     `json:"recurring_token_configuration"`
	SecurityConfiguration            SecurityConfiguration           `json:"security_configuration"`
	CheckoutConfiguration            CheckoutConfiguration           `json:"checkout_configuration"`
	InstallmentsConfiguration        InstallmentsConfiguration       `json:"installments_configuration"`
	SubscriptionPlanConfiguration    SubscriptionPlanConfiguration   `json:"subscription_plan_configuration"`
	CardBrandPercentFees             CardBrandPercentFees            `json:"card_brand_percent_fees"`
	SubscriptionConfiguration        SubscriptionSettings            `json:"subscription_configuration"`
	CustomerManagementConfiguration  CustomerManagementConfiguration `json:"customer_management_configuration"`
	DescriptorProvidedConfiguration  *DescriptorConfiguration        `json:"descriptor_provided_configuration"`
	CardConfiguration                CardConfiguration               `json:"card_configuration"`
	QRScanConfiguration              QRScanConfiguration             `json:"qr_scan_configuration"`
	ConvenienceConfiguration         ConvenienceSettings             `json:"convenience_configuration"`
	PaidyConfiguration               EnabledFlag                     `json:"paidy_configuration"`
	QRMerchantConfiguration          EnabledFlag                     `json:"qr_merchant_configuration"`
	OnlineConfiguration              EnabledFlag                     `json:"online_configuration"`
	BankTransferConfiguration        BankTransferSettings            `json:"bank_transfer_configuration"`
	PlatformCredentialsEnabled       bool                            `json:"platform_credentials_enabled"`
	TaggedPlatformCredentialsEnabled bool                            `json:"tagged_platform_credentials_enabled"`
}

// TransferSchedule is when a merchant's sales are paid out.
type TransferSchedule struct {
	WaitPeriod         string  `json:"wait_period"`
	Period             string  `json:"period"`
	FullPeriodRequired *bool   `json:"full_period_required"`
	DayOfWeek          *string `json:"day_of_week"`
	WeekOfMonth        *int    `json:"week_of_month"`
	DayOfMonth         *int    `json:"day_of_month"`
	WeeklyClosingDay   *string `json:"weekly_closing_day"`
	WeeklyPayoutDay    *string `json:"weekly_payout_day"`
}

// UserTransactionsConfiguration says which e-mails are sent on
// transactions.
type UserTransactionsConfiguration struct {
	Enabled                             bool `json:"enabled"`
	NotifyCustomer                      bool `json:"notify_customer"`
	NotifyOnTest                        bool `json:"notify_on_test"`
	NotifyOnRecurringTokenCreation      bool `json:"notify_on_recurring_token_creation"`
	NotifyOnRecurringTokenCVVFailed     bool `json:"notify_on_recurring_token_cvv_failed"`
	NotifyOnWebhookFailure              bool `json:"notify_on_webhook_failure"`
	NotifyOnWebhookDisabled             bool `json:"notify_on_webhook_disabled"`
	NotifyUserOnFailedTransactions      bool `json:"notify_user_on_failed_transactions"`
	NotifyCustomerOnFailedTransactions  bool `json:"notify_customer_on_failed_transactions"`
	NotifyUserOnConvenienceInstructions bool `json:"notify_user_on_convenience_instructions"`
	NotifyOnSubscriptions               bool `json:"notify_on_subscriptions"`
	NotifyOnAuthorizations              bool `json:"notify_on_authorizations"`
	NotifyOnCVVAuthorizations           bool `json:"notify_on_cvv_authorizations"`
	NotifyOnCancels                     bool `json:"notify_on_cancels"`
	CustomerReferLinkEnabled            bool `json:"customer_refer_link_enabled"`
	NotifyOnConvenienceExpiry           bool `json:"notify_on_convenience_expiry"`
}

// RecurringTokenConfiguration is the recurring-token privilege of a store.
type RecurringTokenConfiguration struct {
	RecurringType             RecurringTokenPrivilege `json:"recurring_type"`
	ChargeWaitPeriod          *string                 `json:"charge_wait_period"`
	CardChargeCVVConfirmation CVVConfirmation         `json:"card_charge_cvv_confirmation"`
}

// SecurityConfiguration holds the security limits of a store.
type SecurityConfiguration struct {
	CardChargeCooldown             *string                     `json:"card_charge_cooldown"`
	SubscriptionCooldown           *string                     `json:"subscription_cooldown"`
	IdempotentCardChargeCooldown   *string                     `json:"idempotent_card_charge_cooldown"`
	IdempotentSubscriptionCooldown *string                     `json:"idempotent_subscription_cooldown"`
	RestrictIPAfterFailedCharge    RestrictIPAfterFailedCharge `json:"restrict_ip_after_failed_charge"`
	InspectSuspiciousLoginAfter    *string                     `json:"inspect_suspicious_login_after"`
	RefundPercentLimit             *json.Number                `json:"refund_percent_limit"`
	LimitChargeByCardConfiguration *LimitChargeByCard          `json:"limit_charge_by_card_configuration"`
	ConfirmationRequired           *bool                       `json:"confirmation_required"`
	MinRefundThreshold             *int64                      `json:"min_refund_threshold"`
	LimitRefundBySales             LimitRefundBySales          `json:"limit_refund_by_sales"`
}

// RestrictIPAfterFailedCharge is the IP restriction after failed charges.
type RestrictIPAfterFailedCharge struct {
	Enabled  bool    `json:"enabled"`
	Count    *int    `json:"count"`
	Cooldown *string `json:"cooldown"`
}

// LimitChargeByCard limits the number of charges of one card in a window.
type LimitChargeByCard struct {
	QuantityOfCharges int    `json:"quantity_of_charges"`
	DurationWindow    string `json:"duration_window"`
}

// LimitRefundBySales limits refunds to the sales of a period.
type LimitRefundBySales struct {
	Enabled       bool   `json:"enabled"`
	Period        string `json:"period"`
	RollingWindow bool   `json:"rolling_window"`
}

// CardBrandPercentFees are the fees per card brand (null: none set).
type CardBrandPercentFees struct {
	Visa            *json.Number `json:"visa"`
	AmericanExpress *json.Number `json:"american_express"`
	Mastercard      *json.Number `json:"mastercard"`
	Maestro         *json.Number `json:"maestro"`
	Discover        *json.Number `json:"discover"`
	JCB             *json.Number `json:"jcb"`
	DinersClub      *json.Number `json:"diners_club"`
	UnionPay        *json.Number `json:"union_pay"`
	PrivateLabel    *json.Number `json:"private_label"`
}

// SubscriptionSettings is configuration.subscription_configuration.
type SubscriptionSettings struct {
	Enabled                   bool  `json:"enabled"`
	FailedChargesToCancel     *int  `json:"failed_charges_to_cancel"`
	SuspendOnCancel           *bool `json:"suspend_on_cancel"`
	AllowMerchantAmountPatch  bool  `json:"allow_merchant_amount_patch"`
	AllowMerchantDueDatePatch bool  `json:"allow_merchant_due_date_patch"`
}

// CustomerManagementConfiguration is the customer management setting.
type CustomerManagementConfiguration struct {
	Enabled      bool     `json:"enabled"`
	DefaultRoles []string `json:"default_roles"`
	DefaultMode  *string  `json:"default_mode"`
}

// DescriptorConfiguration is the statement descriptor a store provides.
type DescriptorConfiguration struct {
	Descriptor string `json:"descriptor"`
}

// ConvenienceSettings is configuration.convenience_configuration.
type ConvenienceSettings struct {
	Enabled             bool                `json:"enabled"`
	ExpirationTimeShift ExpirationTimeShift `json:"expiration_time_shift"`
}

// BankTransferSettings is configuration.bank_transfer_configuration.
type BankTransferSettings struct {
	Enabled                                  bool                `json:"enabled"`
	ExpirationTimeShift                      ExpirationTimeShift `json:"expiration_time_shift"`
	DefaultExtensionPeriod                   string              `json:"default_extension_period"`
	ChargeRequestNotificationEnabled         bool                `json:"charge_request_notification_enabled"`
	ChargeRequestCanceledNotificationEnabled bool                `json:"charge_request_canceled_notification_enabled"`
	ChargeExpiredNotificationEnabled         bool                `json:"charge_expired_notification_enabled"`
	DepositReceivedNotificationEnabled       bool                `json:"deposit_received_notification_enabled"`
	DepositInsufficientNotificationEnabled   bool                `json:"deposit_insufficient_notification_enabled"`
	DepositExceededNotificationEnabled       bool                `json:"deposit_exceeded_notification_enabled"`
	ExtensionNotificationEnabled             bool                `json:"extension_notification_enabled"`
	RemindNotificationEnabled                bool                `json:"remind_notification_enabled"`
}
