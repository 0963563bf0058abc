package api

// ThreeDSMode is three_ds.mode of POST /tokens and POST /charges: when 3-D
// Secure runs (docs/payment-methods.md, "3-D Secure"). normal (the
// default) follows the store's three_ds_required and the sandbox's 3-D
// Secure test cards; force and require always run it; skip never does;
// if_available runs it as normal does; provided means the merchant did its
// own authentication (never run).
type ThreeDSMode string

// 3-D Secure modes. Tokens take normal, force, skip and if_available;
// charges take all six.
const (
	ThreeDSNormal      ThreeDSMode = "normal"
	ThreeDSForce       ThreeDSMode = "force"
	ThreeDSSkip        ThreeDSMode = "skip"
	ThreeDSIfAvailable ThreeDSMode = "if_available"
	ThreeDSRequire     ThreeDSMode = "require"
	ThreeDSProvided    ThreeDSMode = "provided"
)

// ThreeDSIssuerToken is the body of GET
// /stores/{storeId}/tokens/{tokenId}/three_ds/issuer_token and GET
// /stores/{storeId}/charges/{chargeId}/three_ds/issuer_token, while the
// token's or charge's 3-D Secure status is awaiting: post Payload as a form
// (ContentType) to IssuerToken, the sandbox ACS page, in a frame or a
// window (docs/payment-methods.md, "The sandbox ACS page").
type ThreeDSIssuerToken struct {
	IssuerToken string            `json:"issuer_token"`
	CallMethod  CallMethod        `json:"call_method"`
	Payload     map[string]string `json:"payload"`
	ContentType string            `json:"content_type"`
	PaymentType PaymentType       `json:"payment_type"`
}

// ContentTypeForm is the content type of http_post issuer tokens.
const ContentTypeForm = "application/x-www-form-urlencoded"

// ThreeDSCompleteMessage is the type of the message the sandbox ACS page
// posts (a JSON string) to its parent window and its opener when the buyer
// has finished and no redirect_endpoint was given: the widget resumes
// polling the token or charge then. The message is a ThreeDSComplete.
const ThreeDSCompleteMessage = "univapay-3ds-complete"

// ThreeDSComplete is the message of the sandbox ACS page, e.g.
// {"type":"univapay-3ds-complete","resource":"charge","id":"…","status":"successful"}.
// Status is the 3-D Secure status reached: successful, failed or error
// (timed out).
type ThreeDSComplete struct {
	Type     string        `json:"type"`
	Resource string        `json:"resource"` // "token" or "charge"
	ID       string        `json:"id"`
	Status   ThreeDSStatus `json:"status"`
}

// Sandbox 3-D Secure test cards: in normal mode a card ending 3220 needs a
// challenge (docs/payment-methods.md, "3-D Secure").
const ThreeDSTestCardSuffix = "3220"

// Payment errors of 3-D Secure outcomes.
const (
	// ThreeDSFailedMessage is the message of a failed authentication.
	ThreeDSFailedMessage = "3-D Secure authentication failed"
	// ThreeDSTimeoutMessage is the message of an authentication that
	// was not completed in time.
	ThreeDSTimeoutMessage = "3-D Secure authentication timed out"
)
