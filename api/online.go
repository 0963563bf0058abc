package api

// Online (QR and app payment) brands: data.brand of an online token.
const (
	OnlineAlipay     = "alipay_online"
	OnlineAlipayPlus = "alipay_plus_online"
	OnlinePayPay     = "pay_pay_online"
	OnlineWeChat     = "we_chat_online"
	OnlineDBarai     = "d_barai_online"
)

// OnlineBrands lists every online brand.
var OnlineBrands = []string{OnlineAlipay, OnlineAlipayPlus, OnlinePayPay, OnlineWeChat, OnlineDBarai}

// CallMethod tells how the buyer is sent to an issuer token: open the URL
// (http_get, http_get_mobile), post the payload to it as a form
// (http_post), or hand it to the provider's SDK, in-app browser or app.
type CallMethod string

// Call methods (data.call_method of an online token; call_method of an
// issuer token).
const (
	CallHTTPGet       CallMethod = "http_get"
	CallHTTPGetMobile CallMethod = "http_get_mobile"
	CallHTTPPost      CallMethod = "http_post"
	CallSDK           CallMethod = "sdk"
	CallWeb           CallMethod = "web"
	CallApp           CallMethod = "app"
)

// OnlineCallMethods are the call methods each online brand supports; the
// first is the default when a token names none.
var OnlineCallMethods = map[string][]CallMethod{
	OnlineAlipay:     {CallHTTPGet, CallHTTPGetMobile, CallSDK, CallApp},
	OnlineAlipayPlus: {CallHTTPGet, CallHTTPGetMobile, CallSDK, CallApp},
	OnlinePayPay:     {CallHTTPPost},
	OnlineWeChat:     {CallHTTPGet, CallSDK, CallApp, CallWeb},
	OnlineDBarai:     {CallHTTPPost},
}

// OnlineRedirectBrands are the online brands that return the buyer to the
// charge's redirect.endpoint after payment.
var OnlineRedirectBrands = []string{OnlineAlipay, OnlineAlipayPlus, OnlinePayPay}

// OS types (data.os_type of an online token).
const (
	OSTypeIOS     = "ios"
	OSTypeAndroid = "android"
)

// IssuerToken is the body of GET
// /stores/{storeId}/charges/{chargeId}/issuer_token: for an online charge
// what the buyer must open to pay (IssuerToken, CallMethod, Payload); for
// a bank transfer the virtual account to transfer to. Only an awaiting
// charge has one (docs/payment-methods.md, "Issuer tokens").
type IssuerToken struct {
	PaymentType PaymentType `json:"payment_type"`

	// online
	IssuerToken string            `json:"issuer_token,omitempty"`
	CallMethod  CallMethod        `json:"call_method,omitempty"`
	Payload     map[string]string `json:"payload,omitempty"`
	// ContentType is how a http_post payload is encoded
	// (application/x-www-form-urlencoded).
	ContentType string `json:"content_type,omitempty"`

	// bank_transfer
	AccountID         string `json:"account_id,omitempty"`
	BankCode          string `json:"bank_code,omitempty"`
	BankName          string `json:"bank_name,omitempty"`
	BranchCode        string `json:"branch_code,omitempty"`
	BranchName        string `json:"branch_name,omitempty"`
	AccountType       string `json:"account_type,omitempty"`
	AccountHolderName string `json:"account_holder_name,omitempty"`
	AccountNumber     string `json:"account_number,omitempty"`
}

// Sandbox issuer token of test-mode online charges: the UnivaPay test mode
// returns the literal "test" instead of a provider URL.
const TestIssuerToken = "test"
