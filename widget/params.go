package widget

import (
	"sort"
	"strings"
	"time"
)

// This file is THE parameter table of the widget (docs/widget.md,
// "The parameter table" and "Naming and aliases"). Everything else derives
// from it: the HTML attribute name of a parameter is "data-" + kebab(Name),
// option parsing looks parameters up here, and the loader's list of
// launch-button attributes comes from ButtonAttrs / ButtonTextAttrs.

// Kind is the value type of a parameter; it selects the coercion rule of
// ParseOptions (docs/widget.md, "Coercion").
type Kind int

// Parameter kinds.
const (
	KindString     Kind = iota // free text
	KindBool                   // true/false, "1"/"0", empty attribute = true
	KindInt                    // base-10 integer
	KindAmount                 // integer in minor units, or decimal string in major units
	KindCurrency               // ISO 4217 code, normalised to upper case
	KindEnum                   // one of Values (case-insensitive, stored lower case)
	KindEnumList               // comma list / array of Values
	KindList                   // comma list / array of strings
	KindIntList                // comma list / array of integers
	KindMetadata               // object, key:value grammar or JSON string
	KindDuration               // ISO-8601 duration (PnD, PnW, PnM, PnY, PTnH)
	KindDateTime               // date or date-time (the captureAt formats)
	KindDate                   // YYYY-MM-DD
	KindTimeShift              // hh:mm:ss[.SSS]+hh:mm
	KindPeriod                 // named subscription period or ISO duration
	KindLocale                 // locale
	KindCSS                    // inline CSS (sanitised)
	KindCustomList             // custom-field list: comma list with \, escapes
	KindElement                // JS-only element or CSS selector (form, target)
	KindCallback               // JS-only callback function (removed by the loader)
)

var kindNames = [...]string{
	"string", "bool", "int", "amount", "currency", "enum", "enum-list", "list", "int-list",
	"metadata", "duration", "date-time", "date", "time-shift", "period", "locale", "css",
	"custom-list", "element", "callback",
}

func (k Kind) String() string {
	if int(k) >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Availability says in which installation mode a parameter exists.
type Availability int

// Availabilities.
const (
	Both     Availability = iota // data-foo-bar and fooBar
	HTMLOnly                     // only data-foo-bar (launch button parameters)
	JSOnly                       // only fooBar (callbacks and extensions)
)

// Param describes one widget parameter: one row of the parameter table.
type Param struct {
	// Name is the canonical lowerCamelCase name: the JS option name, or for
	// HTML-only parameters the camelCase of the attribute without "data-".
	// Problems name parameters by it.
	Name string
	// Avail says whether the parameter exists as attribute, option or both.
	Avail Availability
	// HTMLAliases are accepted attribute names besides HTML(), in precedence
	// order (the canonical attribute always wins).
	HTMLAliases []string
	// JSAliases are accepted option names besides Name, in precedence order.
	JSAliases []string
	// Kind is the coercion, given by the row's binding.
	Kind Kind
	// Values are the allowed values of enums and enum lists (also the named
	// periods of KindPeriod).
	Values []string
	// Default is the documented default as text ("" = none).
	Default string
	// Inline is true when the parameter applies to the inline form.
	Inline bool
	// InlineOnly is true when the popup ignores the parameter.
	InlineOnly bool
	// Deprecated parameters are accepted and ignored with a warning.
	Deprecated bool
	// Extension marks parameters that UnivaPay's documentation does not have
	// (Kessai's additions).
	Extension bool
	// Section is the group of the parameter ("2.2", "2.3", ...), as listed
	// in docs/widget.md, "The parameter table".
	Section string
	// LinkForm is the name of the matching query parameter of UnivaPay's
	// link form (its hosted payment page), "" when it has none, and after a
	// space a note ("auth (inverted)"). Kessai has no link form; the name is
	// there for the reference.
	LinkForm string
	// Effect says what the parameter does, for the reference
	// (docs/widget-parameters.md).
	Effect string
	// ReadBy names the code that reads the parameter's field; ReadNone
	// marks a parameter that does not act yet.
	ReadBy Reader
	// E2E names the end-to-end test that shows the effect of a parameter
	// read outside the Go code (ReadLoader, ReadLifecycle).
	E2E string

	bind binding
}

// Reader names the code that reads a parameter's field of Options. A test
// sets every parameter and checks that its reader's output changes.
type Reader string

// Readers.
const (
	ReadNone        Reader = ""             // does not act yet (docs/widget.md, "What does not work yet")
	ReadLoader      Reader = "loader"       // the loader on the merchant page: launch button, mode, callbacks, form
	ReadScreen      Reader = "screen"       // the checkout's screens: header, texts, links
	ReadForm        Reader = "form"         // the card form: which fields, pre-fills, boxes, choices
	ReadRequest     Reader = "request"      // the API requests: token, charge, subscription
	ReadResult      Reader = "result"       // the hidden inputs and the success detail's field names
	ReadLifecycle   Reader = "lifecycle"    // timers and closing: autoClose, timeout, after a success
	ReadInlineStyle Reader = "inline-style" // the styles of the inline form's elements
	ReadLocale      Reader = "locale"       // the language of the texts
)

// HTML returns the attribute name ("data-app-id"), or "" for JS-only
// parameters.
func (p Param) HTML() string {
	if p.Avail == JSOnly {
		return ""
	}
	return "data-" + CamelToKebab(p.Name)
}

// JS returns the option name ("appId"), or "" for HTML-only parameters.
func (p Param) JS() string {
	if p.Avail == HTMLOnly {
		return ""
	}
	return p.Name
}

// Attrs returns every accepted attribute name, canonical first.
func (p Param) Attrs() []string {
	if p.Avail == JSOnly {
		return nil
	}
	return append([]string{p.HTML()}, p.HTMLAliases...)
}

// OptionNames returns every accepted JS option name, canonical first.
func (p Param) OptionNames() []string {
	if p.Avail == HTMLOnly {
		return nil
	}
	return append([]string{p.Name}, p.JSAliases...)
}

// Allowed value sets.
var (
	CheckoutValues      = []string{"token", "payment"}
	TokenTypeValues     = []string{"one_time", "recurring", "subscription"}
	SizeValues          = []string{"small", "normal", "large"}
	UsageLimitValues    = []string{"daily", "weekly", "monthly", "annually"}
	SubscriptionPeriods = []string{"daily", "weekly", "biweekly", "monthly", "bimonthly", "quarterly", "semiannually", "annually"}
	SubscriptionPlans   = []string{"fixed_cycles", "fixed_cycle_amount"}
	InstallmentOptions  = []string{"1", "3", "5", "6", "10", "12", "15", "18", "20", "24", "revolving"}
	CustomFieldTypes    = []string{"select", "string"}
	// PaymentMethodValues are the methods and brands accepted in
	// paymentMethods (including d_barai_online, circle_k and sunkus, which
	// UnivaPay's payment-method guides name).
	PaymentMethodValues = []string{
		"card", "konbini", "paidy", "pay_pay_online", "we_chat_online", "alipay_online",
		"alipay_plus_online", "d_barai_online", "bank_transfer", "online",
		"visa", "mastercard", "jcb", "american_express", "diners_club", "unionpay", "maestro", "discover",
		"seven_eleven", "family_mart", "lawson", "mini_stop", "seico_mart", "pay_easy",
		"daily_yamazaki", "yamazaki_daily_store", "circle_k", "sunkus",
	}
	// LocaleValues are the documented locale values (docs/widget.md,
	// "Localisation").
	LocaleValues = []string{"auto", "ja", "ja-jp", "en", "en-us", "zh", "zh-cn", "zh-tw", "ko", "th", "ru"}
)

// CallbackOptions are the JS callback options (docs/widget.md,
// "Events and callbacks"; the loader removes the functions before the options
// reach the iframe): one per window event, as Callbacks in message.go names
// them.
var CallbackOptions = func() []string {
	out := make([]string, 0, len(Callbacks))
	for _, cb := range Callbacks {
		out = append(out, cb)
	}
	sort.Strings(out)
	return out
}()

// row starts a table row: its name, section and binding (which gives its
// Kind).
func row(name, section string, b binding) Param {
	return Param{Name: name, Section: section, Kind: b.kind, bind: b}
}

func (q Param) def(d string) Param            { q.Default = d; return q }
func (q Param) inline() Param                 { q.Inline = true; return q }
func (q Param) inlineOnly() Param             { q.Inline, q.InlineOnly = true, true; return q }
func (q Param) htmlOnly() Param               { q.Avail = HTMLOnly; return q }
func (q Param) jsOnly() Param                 { q.Avail = JSOnly; return q }
func (q Param) values(v []string) Param       { q.Values = v; return q }
func (q Param) htmlAlias(a ...string) Param   { q.HTMLAliases = a; return q }
func (q Param) jsAlias(a ...string) Param     { q.JSAliases = a; return q }
func (q Param) deprecated() Param             { q.Deprecated = true; return q }
func (q Param) extension() Param              { q.Extension = true; return q }
func (q Param) link(name string) Param        { q.LinkForm = name; return q }
func (q Param) e2e(test string) Param         { q.E2E = test; return q }
func (q Param) does(r Reader, e string) Param { q.ReadBy, q.Effect = r, e; return q }

// notYet marks a parameter that is parsed and validated but does not act.
func (q Param) notYet(e string) Param { q.ReadBy, q.Effect = ReadNone, e; return q }

// inlineStyle builds an inline style parameter; misspelt "Forcus" variants
// and the sample's "inlineItemLabelstyle" are aliases.
func inlineStyle(name, effect string, f func(*InlineStyles) *string) Param {
	q := row(name, "2.6", cssVar(func(o *Options) *string { return f(&o.InlineStyles) })).inlineOnly().
		does(ReadInlineStyle, effect)
	if strings.Contains(name, "Focus") {
		bad := strings.Replace(name, "Focus", "Forcus", 1)
		q = q.jsAlias(bad).htmlAlias("data-" + CamelToKebab(bad))
	}
	if name == "inlineItemLabelStyle" {
		q = q.jsAlias("inlineItemLabelstyle").htmlAlias("data-inline-item-labelstyle")
	}
	return q
}

// paramTable is the parameter table. Each row binds its field of Options
// (options_bind.go) and says what reads it.
var paramTable = func() []Param {
	t := []Param{
		// Launch button and display.
		row("text", "2.2", stringVar(func(o *Options) *string { return &o.Text })).def("Pay with UnivaPay").htmlOnly().htmlAlias("data-txt").
			does(ReadLoader, "Text of the launch button.").e2e("TestParamsLaunchButton"),
		row("size", "2.2", lenientEnumVar(func(o *Options) *string { return &o.Size })).def("normal").htmlOnly().values(SizeValues).
			does(ReadLoader, "Size of the launch button; an unknown size is `normal`, with a warning.").e2e("TestParamsLaunchButton"),
		row("class", "2.2", stringVar(func(o *Options) *string { return &o.Class })).htmlOnly().
			does(ReadLoader, "Classes added to the launch button's `univapay-payment-checkout`.").e2e("TestParamsLaunchButton"),
		row("style", "2.2", cssVar(func(o *Options) *string { return &o.Style })).htmlOnly().
			does(ReadLoader, "The launch button's style, instead of its default look.").e2e("TestParamsLaunchButton"),
		row("hoverStyle", "2.2", cssVar(func(o *Options) *string { return &o.HoverStyle })).htmlOnly().
			does(ReadLoader, "Style added to the launch button while the pointer is over it.").e2e("TestParamsLaunchButton"),
		row("header", "2.2", stringVar(func(o *Options) *string { return &o.Header })).def("UnivaPay").
			does(ReadScreen, "Heading of the popup."),
		row("title", "2.2", stringVar(func(o *Options) *string { return &o.Title })).
			does(ReadScreen, "Line under the heading; without it, the store's name from `checkout_info`."),
		row("description", "2.2", stringVar(func(o *Options) *string { return &o.Description })).
			does(ReadScreen, "Text under the store's name in the popup."),
		row("submitButtonText", "2.2", stringVar(func(o *Options) *string { return &o.SubmitButtonText })).
			does(ReadScreen, "Text of the pay button; without it 「支払う」 / \"Pay\" in the form's language."),
		row("showLogo", "2.2", boolVar(func(o *Options) *bool { return &o.ShowLogo })).def("true").
			does(ReadScreen, "`false` hides the store's logo (`checkout_info.logo_image`) in the popup's header."),
		row("locale", "2.2", localeVar(func(o *Options) *string { return &o.Locale })).def("auto").inline().values(LocaleValues).
			does(ReadLocale, "Language of the form; `auto` follows the browser's languages, else Japanese. An unknown value is `auto`, with a warning."),
		row("hidePrivacyLink", "2.2", boolVar(func(o *Options) *bool { return &o.HidePrivacyLink })).def("false").inline().link("hidePrivacyLink").
			does(ReadScreen, "`true` hides the link to the privacy policy 「個人情報の取り扱いについて」."),
		row("qrColor", "2.2", stringVar(func(o *Options) *string { return &o.QRColor })).def("#000000").extension().
			notYet("Colour of the QR code of online payments (no online payments yet)."),
		row("qrLogo", "2.2", stringVar(func(o *Options) *string { return &o.QRLogo })).def("false").extension().
			notYet("`true` or an image URL: a logo in the QR code of online payments (no online payments yet)."),

		// Basic behaviour.
		row("appId", "2.3", stringVar(func(o *Options) *string { return &o.AppID })).inline().link("appId").
			does(ReadRequest, "The store's app token (JWT): required; every API call is made with it, for its store."),
		row("checkout", "2.3", enumVar(func(o *Options) *string { return &o.Checkout })).def("payment").inline().values(CheckoutValues).htmlAlias("data-checkout-type").link("checkout").
			does(ReadRequest, "`token` creates only the transaction token; `payment` also the charge (or the subscription)."),
		row("paymentMethods", "2.3", enumListVar(func(o *Options) *[]string { return &o.PaymentMethods })).values(PaymentMethodValues).link("paymentMethods").
			does(ReadForm, "Narrows what is offered: card brands narrow the brands the card form takes; asking only for methods the widget does not take is a configuration error."),
		row("amount", "2.3", amountVar(func(o *Options) (*int64, *bool) { return &o.Amount, &o.AmountSet })).inline().link("amount").
			does(ReadRequest, "Amount of the charge, or of each payment of a subscription, in minor units (or a decimal in major units); required with `checkout=payment`."),
		row("currency", "2.3", currencyVar(func(o *Options) *string { return &o.Currency })).def("jpy").inline().link("currency").
			does(ReadRequest, "Currency of the amount (ISO 4217)."),
		row("tokenType", "2.3", enumVar(func(o *Options) *string { return &o.TokenType })).def("one_time").inline().values(TokenTypeValues).link("type").
			does(ReadRequest, "Type of the transaction token: `one_time`, `recurring` (charged again later) or `subscription`."),
		row("productCodes", "2.3", listVar(func(o *Options) *[]string { return &o.ProductCodes })).inline().link("productCodes").
			notYet("Product codes of the store's catalogue (the server has no catalogue yet)."),
		row("productCodeQuantities", "2.3", intListVar(func(o *Options) *[]int64 { return &o.ProductCodeQuantities })).inline().link("productQuantities").
			notYet("A quantity for each product code (the server has no catalogue yet)."),
		row("name", "2.3", stringVar(func(o *Options) *string { return &o.Name })).
			does(ReadResult, "Renames the primary hidden input (`univapayTokenId`, `univapayChargeId` or `univapaySubscriptionId`) and its key in the success detail."),
		row("capture", "2.3", boolVar(func(o *Options) *bool { return &o.Capture })).def("true").inline().link("auth (inverted)").
			does(ReadRequest, "`false` only authorises the card charge; it is captured later (by `captureAt` or the API)."),
		row("captureAt", "2.3", dateTimeVar(func(o *Options) *DateTime { return &o.CaptureAt })).inline().link("captureAt").
			does(ReadRequest, "When an authorised card charge is captured (1 hour to 7 days ahead)."),
		row("expirationPeriod", "2.3", durationVar(func(o *Options) *string { return &o.ExpirationPeriod })).def("P30D").inline().link("expirationPeriod").
			notYet("Payment deadline of konbini and bank transfer (not taken yet)."),
		row("expirationTimeShift", "2.3", timeShiftVar(func(o *Options) *string { return &o.ExpirationTimeShift })).inline().link("expirationTimeShift").
			notYet("Time of day of the konbini and bank-transfer deadline (not taken yet)."),
		row("email", "2.3", stringVar(func(o *Options) *string { return &o.Email })).inline().link("emailAddress").
			does(ReadForm, "Pre-fills the e-mail field."),
		row("address", "2.3", boolVar(func(o *Options) *bool { return &o.Address })).def("false").inline().
			does(ReadForm, "`true` shows the address fields (country, postal code, prefecture, city, lines 1 and 2)."),
		row("shippingAddressCountryCode", "2.3", upperVar(func(o *Options) *string { return &o.ShippingAddressCountryCode })).inline().
			does(ReadForm, "Pre-fills the address's country (ISO 3166-1 alpha-2), with `address`."),
		row("shippingAddressZip", "2.3", stringVar(func(o *Options) *string { return &o.ShippingAddressZip })).inline().
			does(ReadForm, "Pre-fills the postal code, with `address`."),
		row("shippingAddressState", "2.3", stringVar(func(o *Options) *string { return &o.ShippingAddressState })).inline().
			does(ReadForm, "Pre-fills the prefecture, with `address`."),
		row("shippingAddressCity", "2.3", stringVar(func(o *Options) *string { return &o.ShippingAddressCity })).inline().
			does(ReadForm, "Pre-fills the city, with `address`."),
		row("shippingAddressLine1", "2.3", stringVar(func(o *Options) *string { return &o.ShippingAddressLine1 })).inline().
			does(ReadForm, "Pre-fills the address's first line, with `address`."),
		row("shippingAddressLine2", "2.3", stringVar(func(o *Options) *string { return &o.ShippingAddressLine2 })).inline().
			does(ReadForm, "Pre-fills the address's second line (building, room), with `address`."),
		row("requireName", "2.3", boolVar(func(o *Options) *bool { return &o.RequireName })).def("false").
			does(ReadForm, "`true` adds a required name field."),
		row("requireEmail", "2.3", boolVar(func(o *Options) *bool { return &o.RequireEmail })).def("false").
			notYet("`true` asks for the e-mail; the card form always does, so it changes nothing until the methods that do not ask for it."),
		row("requirePhoneNumber", "2.3", boolVar(func(o *Options) *bool { return &o.RequirePhoneNumber })).def("false").inline().link("requirePhoneNumber").
			does(ReadForm, "`true` adds a required phone-number field with its country code."),
		row("phoneNumber", "2.3", stringVar(func(o *Options) *string { return &o.PhoneNumber })).link("phoneNumber").
			does(ReadForm, "Pre-fills the phone number (digits only), with `requirePhoneNumber`."),
		row("requireBillingAddress", "2.3", boolVar(func(o *Options) *bool { return &o.RequireBillingAddress })).def("false").
			does(ReadForm, "`true` shows the address fields as required."),
		row("cvvAuthorize", "2.3", boolVar(func(o *Options) *bool { return &o.CvvAuthorize })).def("false").inline().link("cvvAuthorize").
			does(ReadRequest, "`true` authorises the card with its security code when the token is created."),
		row("showCvv", "2.3", boolVar(func(o *Options) *bool { return &o.ShowCvv })).def("true").inline().link("hideCvv (inverted)").
			does(ReadForm, "`false` hides the security-code field, unless the store requires the code."),
		row("univapayReferenceId", "2.3", stringVar(func(o *Options) *string { return &o.UnivapayReferenceID })).inline().
			does(ReadRequest, "A reference id, sent as the metadata `univapay-reference-id`."),
		row("univapayCustomerId", "2.3", stringVar(func(o *Options) *string { return &o.UnivapayCustomerID })).inline().link("univapayCustomerId").
			does(ReadForm, "The buyer's customer id (a UUID): offers the cards saved for it and a box to save this one."),
		row("autoSubmit", "2.3", boolVar(func(o *Options) *bool { return &o.AutoSubmit })).def("false").
			does(ReadLifecycle, "`true` submits the merchant's form when the popup closes after a success.").e2e("TestHTMLModePaysByCard"),
		row("autoClose", "2.3", boolVar(func(o *Options) *bool { return &o.AutoClose })).def("false").
			does(ReadLifecycle, "`true` closes the popup 1.5 s after the success screen appears.").e2e("TestParamsLaunchButton"),
		row("removeCheckoutButtonAfterCharge", "2.3", boolVar(func(o *Options) *bool { return &o.RemoveCheckoutButtonAfterCharge })).def("false").
			does(ReadLifecycle, "`true` removes the launch button when the popup closes after a success.").e2e("TestParamsLaunchButton"),
		row("usageLimit", "2.3", enumVar(func(o *Options) *string { return &o.UsageLimit })).inline().values(UsageLimitValues).
			does(ReadRequest, "How often a recurring token may be charged."),
		row("timeout", "2.3", secondsVar(func(o *Options) *time.Duration { return &o.Timeout })).
			does(ReadLifecycle, "Seconds from opening after which an unfinished payment gives way to the timeout screen and `univapay:error` `TIMEOUT`.").e2e("TestParamsTimeoutAndAutoCloseOnError"),
		row("autoCloseOnError", "2.3", boolVar(func(o *Options) *bool { return &o.AutoCloseOnError })).def("false").
			does(ReadLifecycle, "`true` closes the popup 3 s after the timeout screen.").e2e("TestParamsTimeoutAndAutoCloseOnError"),
		row("hideRecurringCheckbox", "2.3", boolVar(func(o *Options) *bool { return &o.HideRecurringCheckbox })).def("false").inline().link("hideRecurringCheckbox").
			does(ReadForm, "`true` hides the consent box of a recurring token."),
		// data-metadata is not marked inline in UnivaPay's documentation,
		// but real inline integrations pass it: accepted in inline mode
		// (docs/widget.md, "Inline mode").
		row("metadata", "2.9", metadataVar(func(o *Options) *Metadata { return &o.Metadata })).inline().
			does(ReadRequest, "Metadata of the token and of the charge or subscription."),
		row("inline", "2.3", boolVar(func(o *Options) *bool { return &o.Inline })).def("false").inline().
			does(ReadLoader, "`true` puts the card form in the page instead of a popup.").e2e("TestInlineModePaysByCard"),

		// Subscriptions.
		row("subscriptionPeriod", "2.4", periodVar(func(o *Options) *string { return &o.SubscriptionPeriod })).inline().values(SubscriptionPeriods).link("period").
			does(ReadRequest, "Period of the subscription: a named period or a date duration such as `P2W`."),
		row("subscriptionId", "2.4", stringVar(func(o *Options) *string { return &o.SubscriptionID })).inline().link("subscriptionId").
			does(ReadRequest, "With `checkout=token`: the subscription whose card the new token replaces."),
		row("subscriptionPlan", "2.4", enumVar(func(o *Options) *string { return &o.SubscriptionPlan })).inline().values(SubscriptionPlans).
			does(ReadRequest, "A subscription of a fixed number of payments: `fixed_cycles` or `fixed_cycle_amount`."),
		row("subscriptionQty", "2.4", countVar(func(o *Options) (*int64, *bool) { return &o.SubscriptionQty, &o.SubscriptionQtySet })).inline().
			does(ReadRequest, "The number of payments (`fixed_cycles`) or the amount of each (`fixed_cycle_amount`) of the plan."),
		row("subscriptionInitialAmount", "2.4", amountVar(func(o *Options) (*int64, *bool) { return &o.SubscriptionInitialAmount, &o.SubscriptionInitialAmountSet })).inline().link("initialAmount").
			does(ReadRequest, "Amount of the first payment, when it differs from the others (0 with `cvvAuthorize`)."),
		row("subscriptionStart", "2.4", dateVar(func(o *Options) *string { return &o.SubscriptionStart })).inline().
			does(ReadRequest, "Date of the first scheduled payment."),
		row("subscriptionStartIn", "2.4", durationVar(func(o *Options) *string { return &o.SubscriptionStartIn })).inline().link("startIn").
			does(ReadRequest, "Time until the first scheduled payment (a date duration)."),
		row("subscriptionStartDayOfMonth", "2.4", intVar(func(o *Options) *int64 { return &o.SubscriptionStartDayOfMonth })).inline().link("startDayOfMonth").
			does(ReadRequest, "Day of the month of the scheduled payments (1–31)."),
		row("subscriptionPreserveEndOfMonth", "2.4", boolVar(func(o *Options) *bool { return &o.SubscriptionPreserveEndOfMonth })).def("false").inline().
			does(ReadRequest, "`true` keeps payments on the last day of the month."),
		row("subscriptionRetryInterval", "2.4", durationVar(func(o *Options) *string { return &o.SubscriptionRetryInterval })).inline().link("subscriptionRetryInterval").
			does(ReadRequest, "Time between retries of a failed payment (at least `P1D`, shorter than the period)."),

		// Installments.
		row("allowCardInstallments", "2.5", boolVar(func(o *Options) *bool { return &o.AllowCardInstallments })).def("false").inline().link("allowCardInstallments").
			does(ReadForm, "`true` offers installments for a card that allows them."),
		row("cardInstallmentOptions", "2.5", enumListVar(func(o *Options) *[]string { return &o.CardInstallmentOptions })).inline().values(InstallmentOptions).link("cardInstallmentOptions").
			does(ReadForm, "The numbers of installments offered (and `revolving`)."),
		row("installmentPlan", "2.5", ignored(KindString)).deprecated().
			notYet("No longer supported: accepted and ignored, with a warning."),
		row("installmentQty", "2.5", ignored(KindString)).deprecated().
			notYet("No longer supported: accepted and ignored, with a warning."),

		// Inline styles (docs/widget.md, "Inline styles").
		inlineStyle("inlineItemStyle", "Style of every field's box and of the check boxes.", func(s *InlineStyles) *string { return &s.ItemStyle }),
		inlineStyle("inlineTextItemStyle", "Style of a text field's box (after `inlineItemStyle`).", func(s *InlineStyles) *string { return &s.TextItemStyle }),
		inlineStyle("inlineToggleItemStyle", "Style of a check box (after `inlineItemStyle`).", func(s *InlineStyles) *string { return &s.ToggleItemStyle }),
		inlineStyle("inlineItemLabelStyle", "Style of the fields' labels.", func(s *InlineStyles) *string { return &s.ItemLabelStyle }),
		inlineStyle("inlineTextItemLabelStyle", "Style of a text field's label (after `inlineItemLabelStyle`).", func(s *InlineStyles) *string { return &s.TextItemLabelStyle }),
		inlineStyle("inlineFieldStyle", "Style of the inputs' frames and of the check boxes' labels.", func(s *InlineStyles) *string { return &s.FieldStyle }),
		inlineStyle("inlineTextFieldStyle", "Style of a text input's frame (after `inlineFieldStyle`).", func(s *InlineStyles) *string { return &s.TextFieldStyle }),
		inlineStyle("inlineItemErrorStyle", "Style of the error messages under the fields.", func(s *InlineStyles) *string { return &s.ItemErrorStyle }),
		inlineStyle("inlineTextErrorStyle", "Style of a text field's error message (after `inlineItemErrorStyle`).", func(s *InlineStyles) *string { return &s.TextErrorStyle }),
		inlineStyle("inlineFieldInvalidStyle", "Style of an invalid input.", func(s *InlineStyles) *string { return &s.FieldInvalidStyle }),
		inlineStyle("inlineTextFieldInvalidStyle", "Style of an invalid text input (after `inlineFieldInvalidStyle`).", func(s *InlineStyles) *string { return &s.TextFieldInvalidStyle }),
		inlineStyle("inlineTextToggleInvalidStyle", "Style of an invalid check box.", func(s *InlineStyles) *string { return &s.TextToggleInvalidStyle }),
		inlineStyle("inlineFieldFocusStyle", "Style of the focused input's frame.", func(s *InlineStyles) *string { return &s.FieldFocusStyle }),
		inlineStyle("inlineTextFieldFocusStyle", "Style of the focused text input's frame (after `inlineFieldFocusStyle`).", func(s *InlineStyles) *string { return &s.TextFieldFocusStyle }),
		inlineStyle("inlineToggleFieldFocusStyle", "Style of the focused check box.", func(s *InlineStyles) *string { return &s.ToggleFieldFocusStyle }),

		// Deadlines of konbini and bank transfer.
		row("bankTransferExpirationPeriod", "2.7", durationVar(func(o *Options) *string { return &o.BankTransferExpirationPeriod })).link("bankTransferExpirationPeriod").
			notYet("Payment deadline of a bank transfer (not taken yet)."),
		row("bankTransferExpirationTimeShift", "2.7", timeShiftVar(func(o *Options) *string { return &o.BankTransferExpirationTimeShift })).link("bankTransferExpirationTimeShift").
			notYet("Time of day of the bank-transfer deadline (not taken yet)."),
		row("convenienceStoreExpirationPeriod", "2.7", durationVar(func(o *Options) *string { return &o.ConvenienceStoreExpirationPeriod })).link("convenienceStoreExpirationPeriod").
			notYet("Payment deadline of a konbini payment (not taken yet)."),
		row("convenienceStoreExpirationTimeShift", "2.7", timeShiftVar(func(o *Options) *string { return &o.ConvenienceStoreExpirationTimeShift })).link("convenienceStoreExpirationTimeShift").
			notYet("Time of day of the konbini deadline (not taken yet)."),

		// Custom fields (docs/widget.md, "Custom fields").
		row("customFieldLabels", "2.8", customListVar(func(o *Options) *[]string { return &o.custom.Labels })).link("customFieldLabels[]").
			does(ReadForm, "One field per label; the buyer's answers go into metadata."),
		row("customFieldTypes", "2.8", customListVar(func(o *Options) *[]string { return &o.custom.Types })).link("customFieldTypes[]").
			does(ReadForm, "Each field's type: `string` (a text input) or `select` (a drop-down)."),
		row("customFieldRequired", "2.8", customListVar(func(o *Options) *[]string { return &o.custom.Required })).link("customFieldRequired[]").
			does(ReadForm, "Whether each field must be filled in."),
		row("customFieldOptions", "2.8", customListVar(func(o *Options) *[]string { return &o.custom.Options })).link("customFieldOptions[]").
			does(ReadForm, "The choices of each `select` field, separated by `;`."),
		row("customFieldKeys", "2.8", customListVar(func(o *Options) *[]string { return &o.custom.Keys })).link("customFieldKeys[]").
			does(ReadForm, "Each field's metadata key; without it, the label."),

		// JS-only extensions.
		row("form", "1.2", elementVar(func(o *Options) *string { return &o.Form })).jsOnly().extension().
			does(ReadLoader, "The form (an element or a CSS selector) the hidden inputs go into.").e2e("TestMonthlySubscriptionWithCheckoutPayment"),
		row("target", "1.3", elementVar(func(o *Options) *string { return &o.Target })).inlineOnly().jsOnly().extension().
			does(ReadLoader, "Where an inline form from `create()` is put (an element or a CSS selector).").e2e("TestJSInlineFrameHasItsOwnPayButton"),
	}
	for _, n := range CallbackOptions {
		t = append(t, row(n, "1.2", callbackVar()).inline().jsOnly().extension().
			does(ReadLoader, "Called with the detail of `"+callbackEvent(n)+"`, just before the event."))
	}
	return t
}()

// callbackEvent is the window event of a callback option.
func callbackEvent(callback string) string {
	for ev, cb := range Callbacks {
		if cb == callback {
			return ev
		}
	}
	return ""
}

var (
	byName = map[string]int{}
	byHTML = map[string]int{} // canonical attributes and aliases
	byJS   = map[string]int{} // canonical option names and aliases
)

func init() {
	for i, q := range paramTable {
		if _, dup := byName[q.Name]; dup {
			panic("widget: duplicate parameter " + q.Name)
		}
		byName[q.Name] = i
		for _, a := range q.Attrs() {
			byHTML[a] = i
		}
		for _, n := range q.OptionNames() {
			byJS[n] = i
		}
	}
}

// Params returns a copy of the parameter table in table order.
func Params() []Param {
	out := make([]Param, len(paramTable))
	copy(out, paramTable)
	for i := range out {
		out[i].HTMLAliases = append([]string(nil), out[i].HTMLAliases...)
		out[i].JSAliases = append([]string(nil), out[i].JSAliases...)
		out[i].Values = append([]string(nil), out[i].Values...)
	}
	return out
}

// LookupParam finds a parameter by its canonical name.
func LookupParam(name string) (Param, bool) {
	i, ok := byName[name]
	if !ok {
		return Param{}, false
	}
	return paramTable[i], true
}

// LookupHTML finds a parameter by attribute name or alias ("data-txt");
// attribute names are case-insensitive.
func LookupHTML(attr string) (Param, bool) {
	i, ok := byHTML[strings.ToLower(attr)]
	if !ok {
		return Param{}, false
	}
	return paramTable[i], true
}

// LookupJS finds a parameter by option name or alias
// ("inlineFieldForcusStyle").
func LookupJS(name string) (Param, bool) {
	i, ok := byJS[name]
	if !ok {
		return Param{}, false
	}
	return paramTable[i], true
}

// ButtonTextAttrs returns the launch-button text attributes in precedence
// order: data-text, data-txt.
func ButtonTextAttrs() []string {
	q, _ := LookupParam("text")
	return q.Attrs()
}

// ButtonAttrs returns every attribute of the launch button itself (HTML-only
// parameters of the launch-button group), canonical names and aliases, in
// table order.
func ButtonAttrs() []string {
	var out []string
	for _, q := range paramTable {
		if q.Avail == HTMLOnly {
			out = append(out, q.Attrs()...)
		}
	}
	return out
}

// HTMLAttrs returns every attribute name the table knows (canonical and
// aliases), sorted.
func HTMLAttrs() []string {
	out := make([]string, 0, len(byHTML))
	for a := range byHTML {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// KebabToCamel converts "foo-bar-baz" to "fooBarBaz" (docs/widget.md,
// "The parameter table"). Underscores and digits are kept ("store_id" stays
// "store_id", "line1" stays "line1").
func KebabToCamel(s string) string {
	var b strings.Builder
	up := false
	for _, r := range s {
		if r == '-' {
			up = b.Len() > 0
			continue
		}
		if up && r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		up = false
		b.WriteRune(r)
	}
	return b.String()
}

// CamelToKebab converts "fooBarBaz" to "foo-bar-baz" (docs/widget.md,
// "The parameter table").
func CamelToKebab(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// AttrToName converts an attribute name to its camelCase parameter or
// arbitrary-field name: "data-foo-bar" → "fooBar", "data-store_id" →
// "store_id" (docs/widget.md, "Arbitrary data-* fields").
func AttrToName(attr string) string {
	return KebabToCamel(strings.TrimPrefix(strings.ToLower(attr), "data-"))
}

// NameToAttr converts a camelCase name to its attribute: "fooBar" →
// "data-foo-bar".
func NameToAttr(name string) string { return "data-" + CamelToKebab(name) }
