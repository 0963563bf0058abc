package api

import "encoding/json"

// Charge is the charge object (docs/charges.md), returned by POST /charges and
// GET /stores/{storeId}/charges/{chargeId}.
type Charge struct {
	ID                       string       `json:"id"`
	StoreID                  string       `json:"store_id"`
	TransactionTokenID       string       `json:"transaction_token_id"`
	TransactionTokenType     TokenType    `json:"transaction_token_type"`
	SubscriptionID           *string      `json:"subscription_id"`
	MerchantTransactionID    *string      `json:"merchant_transaction_id"`
	RequestedAmount          int64        `json:"requested_amount"`
	RequestedCurrency        string       `json:"requested_currency"`
	RequestedAmountFormatted json.Number  `json:"requested_amount_formatted"`
	ChargedAmount            *int64       `json:"charged_amount"`
	ChargedCurrency          *string      `json:"charged_currency"`
	ChargedAmountFormatted   *json.Number `json:"charged_amount_formatted"`
	FeeAmount                *int64       `json:"fee_amount"`
	FeeCurrency              *string      `json:"fee_currency"`
	FeeAmountFormatted       *json.Number `json:"fee_amount_formatted"`
	OnlyDirectCurrency       bool         `json:"only_direct_currency"`
	CaptureAt                *string      `json:"capture_at"`
	Descriptor               *string      `json:"descriptor"`
	DescriptorPhoneNumber    *string      `json:"descriptor_phone_number"`
	Status                   ChargeStatus `json:"status"`
	// Error is set when Status is failed or error.
	Error     *PaymentError  `json:"error"`
	Metadata  Metadata       `json:"metadata"`
	Mode      Mode           `json:"mode"`
	CreatedOn string         `json:"created_on"`
	Redirect  ChargeRedirect `json:"redirect"`
	ThreeDS   *ChargeThreeDS `json:"three_ds,omitempty"`
}

// ChargeRedirect is the redirect object of a charge: {} or
// {"endpoint": URL, "redirect_id": UUID}.
type ChargeRedirect struct {
	Endpoint   string `json:"endpoint,omitempty"`
	RedirectID string `json:"redirect_id,omitempty"`
}

// ChargeThreeDS is the 3-D Secure block of a card charge, present when a
// three_ds object was sent or 3-D Secure runs (docs/payment-methods.md,
// "3-D Secure"). While Status is awaiting the charge is awaiting too and
// GET .../charges/{id}/three_ds/issuer_token gives the challenge.
type ChargeThreeDS struct {
	Mode             ThreeDSMode `json:"mode,omitempty"`
	RedirectEndpoint *string     `json:"redirect_endpoint"`
	RedirectID       *string     `json:"redirect_id"`
	// Status is null when no challenge runs, else pending, awaiting,
	// successful, failed or error (a Kessai addition).
	Status *ThreeDSStatus `json:"status"`
}

// ChargeCreateRequest is the body of POST /charges (docs/charges.md).
type ChargeCreateRequest struct {
	TransactionTokenID string `json:"transaction_token_id"`
	// Amount in minor units; a numeric string is accepted when decoding.
	Amount Amount `json:"amount"`
	// Currency is ISO-4217, case-insensitive.
	Currency string `json:"currency"`
	// Capture defaults to true; false = authorization only (card, paidy).
	Capture *FlexBool `json:"capture,omitempty"`
	// CaptureAt is the automatic capture time of a card authorization, or
	// the payment deadline of a konbini or bank-transfer charge.
	CaptureAt             string           `json:"capture_at,omitempty"`
	MerchantTransactionID string           `json:"merchant_transaction_id,omitempty"`
	Metadata              Metadata         `json:"metadata,omitempty"`
	Redirect              *RedirectRequest `json:"redirect,omitempty"`
	Descriptor            string           `json:"descriptor,omitempty"`
	OnlyDirectCurrency    *FlexBool        `json:"only_direct_currency,omitempty"`
	ThreeDS               *ThreeDSRequest  `json:"three_ds,omitempty"`
}

// RedirectRequest is redirect of POST /charges.
type RedirectRequest struct {
	Endpoint string `json:"endpoint"`
}

// ThreeDSRequest is three_ds of POST /charges (and the top-level
// three_ds of POST /tokens). RedirectID is accepted and ignored: the
// server sets it.
type ThreeDSRequest struct {
	Mode             ThreeDSMode `json:"mode,omitempty"`
	RedirectEndpoint string      `json:"redirect_endpoint,omitempty"`
	RedirectID       string      `json:"redirect_id,omitempty"`
}

// AppTokenClaims are the claims of an app-token JWT (HS256), as issued by
// the server (docs/sandbox-api.md, "Authentication and access"). The widget may decode the JWT payload
// (without verifying) to learn store_id for /stores/{storeId}/... URLs.
type AppTokenClaims struct {
	Subject    string   `json:"sub"` // always "app_token"
	IssuedAt   int64    `json:"iat"`
	MerchantID string   `json:"merchant_id"`
	StoreID    *string  `json:"store_id"`
	Domains    []string `json:"domains"`
	Mode       Mode     `json:"mode"`
	CreatorID  string   `json:"creator_id"`
	Version    int      `json:"version"`
	JTI        string   `json:"jti"`
}

// ChargeListItem is an item of GET /stores/{storeId}/charges and GET
// /charges: the charge plus the merchant and store names.
type ChargeListItem struct {
	Charge
	StoreNames
}

// ChargeUpdateRequest is the body of PATCH /stores/{storeId}/charges/{id}:
// metadata only, merged into the charge's metadata.
type ChargeUpdateRequest struct {
	Metadata Metadata `json:"metadata"`
}
