package api

import "encoding/json"

// Merchant is the body of GET /me: the merchant of the app token and its
// configuration.
type Merchant struct {
	ID                 string             `json:"id"`
	VerificationDataID *string            `json:"verification_data_id"`
	Name               string             `json:"name"`
	Email              string             `json:"email"`
	NotificationEmail  string             `json:"notification_email"`
	Verified           bool               `json:"verified"`
	CreatedOn          string             `json:"created_on"`
	Configuration      StoreConfiguration `json:"configuration"`
	TMSMerchantData    json.RawMessage    `json:"tms_merchant_data"`
}
