package api

// TransactionToken is the transaction-token object (docs/tokens-and-lists.md),
// returned by POST /tokens and GET /stores/{storeId}/tokens/{id}.
type TransactionToken struct {
	TokenFields
	Data TokenData `json:"data"`
}

// TokenFields are the fields of a transaction token that every view of it
// carries: the token object and the items of the token lists.
type TokenFields struct {
	ID          string      `json:"id"`
	StoreID     string      `json:"store_id"`
	Email       string      `json:"email"`
	IPAddress   *string     `json:"ip_address,omitempty"`
	PaymentType PaymentType `json:"payment_type"`
	Active      bool        `json:"active"`
	Mode        Mode        `json:"mode"`
	Type        TokenType   `json:"type"`
	// UsageLimit is set for recurring tokens only (null = unlimited).
	UsageLimit *UsageLimit `json:"usage_limit"`
	// Confirmed is always null.
	Confirmed  *bool    `json:"confirmed"`
	Metadata   Metadata `json:"metadata"`
	CreatedOn  string   `json:"created_on"`
	UpdatedOn  string   `json:"updated_on"`
	LastUsedOn *string  `json:"last_used_on"`
	// PreviousID is the token this one replaced (POST
	// /stores/{storeId}/tokens/{id}/renew); absent otherwise.
	PreviousID *string `json:"previous_id,omitempty"`
}

// TokenData is the payment-type specific part of a transaction token
// (docs/payment-methods.md). For card tokens Card, Billing, CVVAuthorize,
// CVVAuthorizeCheck and ThreeDS are always present; the other fields belong
// to the other payment types, flat in data as the UnivaPay API has them.
type TokenData struct {
	Card              *TokenCard              `json:"card,omitempty"`
	Billing           *TokenBilling           `json:"billing,omitempty"`
	CVVAuthorize      *TokenCVVAuthorize      `json:"cvv_authorize,omitempty"`
	CVVAuthorizeCheck *TokenCVVAuthorizeCheck `json:"cvv_authorize_check,omitempty"`
	ThreeDS           *TokenThreeDS           `json:"three_ds,omitempty"`

	// konbini: CustomerName, PhoneNumber, ConvenienceStore and the
	// deadline fields. paidy: PhoneNumber and ShippingAddress.
	CustomerName     string            `json:"customer_name,omitempty"`
	PhoneNumber      *TokenPhoneNumber `json:"phone_number,omitempty"`
	ConvenienceStore string            `json:"convenience_store,omitempty"`
	// ExpirationPeriod (ISO-8601 duration) and ExpirationTimeShift (time
	// with zone, e.g. "09:00:00+09:00") as the token was created with:
	// konbini and bank_transfer.
	ExpirationPeriod    *string `json:"expiration_period,omitempty"`
	ExpirationTimeShift *string `json:"expiration_time_shift,omitempty"`

	// online: Brand, Gateway (= Brand), CallMethod, UserIdentifier,
	// OSType. bank_transfer: Brand (aozora_bank).
	Brand          string     `json:"brand,omitempty"`
	Gateway        string     `json:"gateway,omitempty"`
	CallMethod     CallMethod `json:"call_method,omitempty"`
	UserIdentifier *string    `json:"user_identifier,omitempty"`
	OSType         *string    `json:"os_type,omitempty"`

	// bank_transfer: the virtual account, set once a charge of the token
	// is awaiting its transfer (null before); MatchAmount tells whether
	// deposits above the amount are refused.
	MatchAmount       *bool   `json:"match_amount,omitempty"`
	BankCode          *string `json:"bank_code,omitempty"`
	BankName          *string `json:"bank_name,omitempty"`
	BranchCode        *string `json:"branch_code,omitempty"`
	BranchName        *string `json:"branch_name,omitempty"`
	AccountNumber     *string `json:"account_number,omitempty"`
	AccountHolderName *string `json:"account_holder_name,omitempty"`
	AccountID         *string `json:"account_id,omitempty"`

	// paidy
	ShippingAddress *Address `json:"shipping_address,omitempty"`
}

// Address is a postal address (the shipping address of a Paidy token).
type Address struct {
	Line1 string `json:"line1,omitempty"`
	Line2 string `json:"line2,omitempty"`
	State string `json:"state,omitempty"`
	City  string `json:"city,omitempty"`
	Zip   string `json:"zip,omitempty"`
}

// TokenCard is data.card of a card token. The full card number and the CVV
// are never returned.
type TokenCard struct {
	Cardholder string  `json:"cardholder"`
	ExpMonth   int     `json:"exp_month"`
	ExpYear    int     `json:"exp_year"`
	CardBIN    string  `json:"card_bin"`
	LastFour   string  `json:"last_four"`
	Brand      string  `json:"brand"`
	CardType   string  `json:"card_type"` // credit, debit, prepaid
	Country    string  `json:"country"`   // ISO 3166-1 alpha-2 of the issuer
	Category   *string `json:"category"`
	Issuer     *string `json:"issuer"`
	SubBrand   string  `json:"sub_brand"`
}

// TokenBilling is data.billing of a card token.
type TokenBilling struct {
	Line1       *string           `json:"line1"`
	Line2       *string           `json:"line2"`
	State       *string           `json:"state"`
	City        *string           `json:"city"`
	Country     *string           `json:"country"`
	Zip         *string           `json:"zip"`
	PhoneNumber *TokenPhoneNumber `json:"phone_number"`
}

// TokenPhoneNumber is a phone number in a response; CountryCode is a number.
type TokenPhoneNumber struct {
	CountryCode *int    `json:"country_code"`
	LocalNumber *string `json:"local_number"`
}

// TokenCVVAuthorize is data.cvv_authorize (docs/tokens-and-lists.md).
type TokenCVVAuthorize struct {
	Enabled       bool                `json:"enabled"`
	Status        *CVVAuthorizeStatus `json:"status"`
	ChargeID      *string             `json:"charge_id"`
	CredentialsID *string             `json:"credentials_id"`
	Currency      *string             `json:"currency"`
}

// TokenCVVAuthorizeCheck is data.cvv_authorize_check.
type TokenCVVAuthorizeCheck struct {
	Status   *string `json:"status"`
	ChargeID *string `json:"charge_id"`
	Date     *string `json:"date"`
}

// TokenThreeDS is data.three_ds of a card token. Status is null when no
// 3-D Secure runs with the token; pending, then awaiting while the buyer
// must authenticate (GET .../tokens/{id}/three_ds/issuer_token), then
// successful, failed or error (docs/payment-methods.md, "3-D Secure").
type TokenThreeDS struct {
	Enabled          bool           `json:"enabled"`
	Status           *ThreeDSStatus `json:"status"`
	RedirectEndpoint *string        `json:"redirect_endpoint"`
	RedirectID       *string        `json:"redirect_id"`
	// Mode is the token's three_ds.mode when one was given.
	Mode *ThreeDSMode `json:"mode,omitempty"`
	// Error is set when Status is failed or error.
	Error *PaymentError `json:"error,omitempty"`
}

// TokenCreateRequest is the body of POST /tokens (docs/tokens-and-lists.md).
type TokenCreateRequest struct {
	PaymentType PaymentType `json:"payment_type"`
	Type        TokenType   `json:"type"`
	UsageLimit  *UsageLimit `json:"usage_limit,omitempty"`
	Email       string      `json:"email,omitempty"`
	IPAddress   string      `json:"ip_address,omitempty"`
	Metadata    Metadata    `json:"metadata,omitempty"`
	// CVVAuthorize at the top level is accepted as an alias of
	// Data.CVVAuthorize (the seed table omits "data.").
	CVVAuthorize *CVVAuthorizeRequest `json:"cvv_authorize,omitempty"`
	Data         TokenCreateData      `json:"data"`
	// ThreeDS at the top level carries the 3-D Secure mode of a card
	// token (normal, force, skip, if_available) and may carry
	// redirect_endpoint, as the UnivaPay SDKs send it.
	ThreeDS *ThreeDSRequest `json:"three_ds,omitempty"`
}

// TokenCreateData is the data object of POST /tokens. The card fields apply
// to payment_type card; the remaining fields belong to other payment types
// and are listed so one request type serves every method.
type TokenCreateData struct {
	// card
	Cardholder   string               `json:"cardholder,omitempty"`
	CardNumber   string               `json:"card_number,omitempty"`
	ExpMonth     FlexString           `json:"exp_month,omitempty"`
	ExpYear      FlexString           `json:"exp_year,omitempty"`
	CVV          FlexString           `json:"cvv,omitempty"`
	Line1        string               `json:"line1,omitempty"`
	Line2        string               `json:"line2,omitempty"`
	State        string               `json:"state,omitempty"`
	City         string               `json:"city,omitempty"`
	Country      string               `json:"country,omitempty"`
	Zip          string               `json:"zip,omitempty"`
	PhoneNumber  *PhoneNumberRequest  `json:"phone_number,omitempty"`
	CVVAuthorize *CVVAuthorizeRequest `json:"cvv_authorize,omitempty"`
	ThreeDS      *ThreeDSTokenRequest `json:"three_ds,omitempty"`

	// konbini (PhoneNumber above is required for konbini); the two
	// deadline fields apply to bank_transfer too.
	CustomerName        string `json:"customer_name,omitempty"`
	ConvenienceStore    string `json:"convenience_store,omitempty"`
	ExpirationPeriod    string `json:"expiration_period,omitempty"`
	ExpirationTimeShift string `json:"expiration_time_shift,omitempty"`
	// online and bank_transfer. Gateway is the SDK's deprecated alias of
	// Brand for online tokens.
	Brand          string `json:"brand,omitempty"`
	Gateway        string `json:"gateway,omitempty"`
	CallMethod     string `json:"call_method,omitempty"`
	UserIdentifier string `json:"user_identifier,omitempty"`
	OSType         string `json:"os_type,omitempty"`
	// paidy (widget only): the token Paidy's checkout returned, with the
	// buyer's phone number (PhoneNumber above) and shipping address.
	PaidyToken      string   `json:"paidy_token,omitempty"`
	ShippingAddress *Address `json:"shipping_address,omitempty"`
}

// PhoneNumberRequest is a phone number in a request; both parts are strings
// (numbers are accepted too).
type PhoneNumberRequest struct {
	CountryCode FlexString `json:"country_code,omitempty"`
	LocalNumber FlexString `json:"local_number,omitempty"`
}

// CVVAuthorizeRequest is data.cvv_authorize of POST /tokens.
type CVVAuthorizeRequest struct {
	Enabled  FlexBool `json:"enabled"`
	Currency string   `json:"currency,omitempty"`
}

// ThreeDSTokenRequest is data.three_ds of POST /tokens: Enabled true runs
// 3-D Secure when the (recurring) token is created.
type ThreeDSTokenRequest struct {
	Enabled          *FlexBool `json:"enabled,omitempty"`
	RedirectEndpoint string    `json:"redirect_endpoint,omitempty"`
}

// TokenListItem is an item of GET /stores/{storeId}/tokens and GET /tokens:
// the token without data, plus the merchant and store names and user_data.
// Data is set only in the secret-less list of a customer's recurring tokens
// (the widget's saved cards), with the masked card.
type TokenListItem struct {
	TokenFields
	StoreNames
	UserData TokenUserData    `json:"user_data"`
	Data     *TokenMaskedData `json:"data,omitempty"`
}

// TokenUserData is user_data of a token list item; the cardholder name is
// lower-cased.
type TokenUserData struct {
	CardholderName  *string `json:"cardholder_name"`
	Email           string  `json:"email"`
	Brand           *string `json:"brand"`
	Gateway         *string `json:"gateway"`
	ServiceProvider *string `json:"service_provider"`
}

// TokenMaskedData is data of a secret-less token list item: what a buyer
// needs to recognise a saved card, nothing more.
type TokenMaskedData struct {
	Card *TokenMaskedCard `json:"card,omitempty"`
}

// TokenMaskedCard is the masked card of a saved card.
type TokenMaskedCard struct {
	Cardholder string `json:"cardholder"`
	Brand      string `json:"brand"`
	LastFour   string `json:"last_four"`
	ExpMonth   int    `json:"exp_month"`
	ExpYear    int    `json:"exp_year"`
}

// TokenUpdateRequest is the body of PATCH /stores/{storeId}/tokens/{id}.
// Absent fields are left unchanged; an empty string clears a billing field.
type TokenUpdateRequest struct {
	Email *string `json:"email,omitempty"`
	// Cardholder at the top level is an alias of Data.Cardholder.
	Cardholder *string          `json:"cardholder,omitempty"`
	Metadata   Metadata         `json:"metadata,omitempty"`
	Data       *TokenUpdateData `json:"data,omitempty"`
}

// TokenUpdateData is data of PATCH /stores/{storeId}/tokens/{id}. CardNumber,
// ExpMonth and ExpYear cannot change: they are accepted only when equal to
// the stored card.
type TokenUpdateData struct {
	CVV         *FlexString         `json:"cvv,omitempty"`
	Cardholder  *string             `json:"cardholder,omitempty"`
	CardNumber  *string             `json:"card_number,omitempty"`
	ExpMonth    *FlexString         `json:"exp_month,omitempty"`
	ExpYear     *FlexString         `json:"exp_year,omitempty"`
	Line1       *string             `json:"line1,omitempty"`
	Line2       *string             `json:"line2,omitempty"`
	State       *string             `json:"state,omitempty"`
	City        *string             `json:"city,omitempty"`
	Country     *string             `json:"country,omitempty"`
	Zip         *string             `json:"zip,omitempty"`
	PhoneNumber *PhoneNumberRequest `json:"phone_number,omitempty"`
}

// TokenRenewRequest is the body of POST /stores/{storeId}/tokens/{id}/renew
// (the SDK's transactionTokens.renew): the new cardholder and expiry of a
// recurring card token, and optionally new billing details.
type TokenRenewRequest struct {
	Data TokenRenewData `json:"data"`
}

// TokenRenewData is data of TokenRenewRequest.
type TokenRenewData struct {
	Email       *string             `json:"email,omitempty"`
	Cardholder  string              `json:"cardholder"`
	ExpMonth    FlexString          `json:"exp_month"`
	ExpYear     FlexString          `json:"exp_year"`
	Line1       *string             `json:"line1,omitempty"`
	Line2       *string             `json:"line2,omitempty"`
	State       *string             `json:"state,omitempty"`
	City        *string             `json:"city,omitempty"`
	Country     *string             `json:"country,omitempty"`
	Zip         *string             `json:"zip,omitempty"`
	PhoneNumber *PhoneNumberRequest `json:"phone_number,omitempty"`
}
