package widget

import (
	"sort"
	"time"
)

// Checkout values.
const (
	CheckoutToken   = "token"
	CheckoutPayment = "payment"
)

// Token types.
const (
	TokenOneTime      = "one_time"
	TokenRecurring    = "recurring"
	TokenSubscription = "subscription"
)

// CustomField is one merchant-defined input (the custom fields of
// docs/widget.md, "Coercion").
type CustomField struct {
	Key      string
	Label    string
	Type     string // "string" or "select"
	Required bool
	Options  []string // choices of a select
}

// InlineStyles are the inline-form style parameters (sanitised CSS; see
// docs/widget.md, "Inline mode").
type InlineStyles struct {
	ItemStyle              string // inlineItemStyle
	TextItemStyle          string // inlineTextItemStyle
	ToggleItemStyle        string // inlineToggleItemStyle
	ItemLabelStyle         string // inlineItemLabelStyle
	TextItemLabelStyle     string // inlineTextItemLabelStyle
	FieldStyle             string // inlineFieldStyle
	TextFieldStyle         string // inlineTextFieldStyle
	ItemErrorStyle         string // inlineItemErrorStyle
	TextErrorStyle         string // inlineTextErrorStyle
	FieldInvalidStyle      string // inlineFieldInvalidStyle
	TextFieldInvalidStyle  string // inlineTextFieldInvalidStyle
	TextToggleInvalidStyle string // inlineTextToggleInvalidStyle
	FieldFocusStyle        string // inlineFieldFocusStyle
	TextFieldFocusStyle    string // inlineTextFieldFocusStyle
	ToggleFieldFocusStyle  string // inlineToggleFieldFocusStyle
}

// Options is the one internal configuration built from either source
// (docs/widget.md, "Parameters"). Enumerated values are stored lower case as
// given and checked by Validate; Currency is stored UPPER case ("JPY").
type Options struct {
	// Launch button (HTML only) and display.
	Text, Size, Class, Style, HoverStyle string
	Header, Title, Description           string
	SubmitButtonText                     string
	ShowLogo                             bool
	Locale                               string // normalised: "auto", "ja-jp", "zh-tw", ...
	HidePrivacyLink                      bool
	QRColor, QRLogo                      string

	// Behaviour.
	AppID                 string
	Checkout              string // CheckoutToken / CheckoutPayment
	PaymentMethods        []string
	Amount                int64 // minor units of Currency
	AmountSet             bool
	Currency              string // ISO 4217, upper case
	TokenType             string // TokenOneTime / TokenRecurring / TokenSubscription
	ProductCodes          []string
	ProductCodeQuantities []int64
	// Name renames the primary result field (not the buyer's name).
	Name                            string
	Capture                         bool
	CaptureAt                       DateTime
	ExpirationPeriod                string // ISO duration, upper case
	ExpirationTimeShift             string // hh:mm:ss+hh:mm
	Email                           string
	Address                         bool
	ShippingAddressCountryCode      string
	ShippingAddressZip              string
	ShippingAddressState            string
	ShippingAddressCity             string
	ShippingAddressLine1            string
	ShippingAddressLine2            string
	RequireName                     bool
	RequireEmail                    bool
	RequirePhoneNumber              bool
	PhoneNumber                     string
	RequireBillingAddress           bool
	CvvAuthorize                    bool
	ShowCvv                         bool
	UnivapayReferenceID             string
	UnivapayCustomerID              string
	AutoSubmit                      bool
	AutoClose                       bool
	RemoveCheckoutButtonAfterCharge bool
	UsageLimit                      string
	Timeout                         time.Duration // 0 = none
	AutoCloseOnError                bool
	HideRecurringCheckbox           bool
	// Metadata is the merchant's data-metadata / metadata (docs/widget.md,
	// "Metadata").
	Metadata Metadata
	Inline   bool

	// Subscriptions.
	SubscriptionPeriod             string // named period (lower) or ISO duration (upper)
	SubscriptionID                 string
	SubscriptionPlan               string
	SubscriptionQty                int64
	SubscriptionQtySet             bool
	SubscriptionInitialAmount      int64
	SubscriptionInitialAmountSet   bool
	SubscriptionStart              string // YYYY-MM-DD
	SubscriptionStartIn            string
	SubscriptionStartDayOfMonth    int64
	SubscriptionPreserveEndOfMonth bool
	SubscriptionRetryInterval      string

	// Installments.
	AllowCardInstallments  bool
	CardInstallmentOptions []string // "1", "3", ..., "revolving"

	// Inline styles.
	InlineStyles InlineStyles

	// Deadlines of konbini and bank transfer.
	BankTransferExpirationPeriod        string
	BankTransferExpirationTimeShift     string
	ConvenienceStoreExpirationPeriod    string
	ConvenienceStoreExpirationTimeShift string

	// Custom fields, assembled from the five customField* lists.
	CustomFields []CustomField

	// Arbitrary data-* fields (HTML only), camelCased name → value.
	// They go into metadata after Metadata (TokenMetadata).
	Fields map[string]string

	// JS-only extensions: Form and Target are CSS selectors (docs/widget.md,
	// "JavaScript mode"); Callbacks lists the callback options the merchant
	// gave.
	Form, Target string
	Callbacks    []string

	custom customLists       // the raw customField* lists, for Validate
	given  map[string]bool   // canonical names of the parameters given
	values map[string]string // canonical name -> the value as given, for messages
}

// customLists are the five customField* lists as given (docs/widget.md,
// "Custom fields").
type customLists struct {
	Labels, Types, Required, Options, Keys []string
}

// DefaultOptions returns the options with every default of the parameter
// table applied (each row's Default through its binding): checkout payment,
// currency JPY, tokenType one_time, capture, showCvv and showLogo true,
// locale auto, size normal, header UnivaPay, ….
func DefaultOptions() Options { return defaults }

var defaults = func() Options {
	var o Options
	var ps Problems
	for _, q := range paramTable {
		if q.Default != "" && !q.Deprecated {
			q.bind.set(&o, coercion{q: q, src: SourceJS, ps: &ps}, q.Default)
		}
	}
	if len(ps) > 0 {
		panic("widget: a default of the parameter table does not parse: " + ps.Error())
	}
	return o
}()

// param returns the value of a parameter's field (canonical name), nil for
// an unknown or deprecated one.
func (o *Options) param(name string) any {
	i, ok := byName[name]
	if !ok {
		return nil
	}
	return paramTable[i].bind.get(o)
}

// IsSet reports whether the merchant gave the parameter (canonical name).
func (o Options) IsSet(name string) bool { return o.given[name] }

// GivenParams returns the canonical names of the parameters the merchant
// gave, sorted.
func (o Options) GivenParams() []string {
	out := make([]string, 0, len(o.given))
	for n := range o.given {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// TokenMetadata returns the merged metadata sent with the token and the
// charge (the merge order of docs/widget.md, "Metadata": later wins):
// Metadata, then the arbitrary data-* fields, then custom (custom-field
// values), then the reserved keys the widget writes: univapay-customer-id
// (when customerIDApplies), univapay-reference-id, and any extra reserved
// values given.
func (o Options) TokenMetadata(custom map[string]string, customerIDApplies bool, reserved map[string]string) Metadata {
	var fields, cust, res Metadata
	if len(o.Fields) > 0 {
		fields = Metadata{}
		for k, v := range o.Fields {
			fields.SetString(k, v)
		}
	}
	if len(custom) > 0 {
		cust = Metadata{}
		for k, v := range custom {
			cust.SetString(k, v)
		}
	}
	res = Metadata{}
	if customerIDApplies && o.UnivapayCustomerID != "" {
		res.SetString("univapay-customer-id", o.UnivapayCustomerID)
	}
	if o.UnivapayReferenceID != "" {
		res.SetString("univapay-reference-id", o.UnivapayReferenceID)
	}
	for k, v := range reserved {
		res.SetString(k, v)
	}
	return MergeMetadata(o.Metadata, fields, cust, res)
}
