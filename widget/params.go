package widget

import (
	"sort"
	"strings"
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

// Param describes one widget parameter.
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
	Kind      Kind
	// Values are the allowed values of enums and enum lists (also the named
	// periods of KindPeriod).
	Values []string
	// Default is the documented default as text ("" = none).
	Default string
	// Inline is true when the parameter applies to the inline form.
	Inline bool
	// Deprecated parameters are accepted and ignored with a warning.
	Deprecated bool
	// Extension marks parameters that UnivaPay's documentation does not have
	// (Kessai's additions).
	Extension bool
	// Section is the group of the parameter ("2.2", "2.3", ...), as listed
	// in docs/widget.md, "The parameter table".
	Section string
}

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

func pdef(name string, kind Kind, def string, inline bool, section string) Param {
	return Param{Name: name, Kind: kind, Default: def, Inline: inline, Section: section}
}

func (q Param) htmlOnly() Param             { q.Avail = HTMLOnly; return q }
func (q Param) jsOnly() Param               { q.Avail = JSOnly; return q }
func (q Param) values(v []string) Param     { q.Values = v; return q }
func (q Param) htmlAlias(a ...string) Param { q.HTMLAliases = a; return q }
func (q Param) jsAlias(a ...string) Param   { q.JSAliases = a; return q }
func (q Param) deprecated() Param           { q.Deprecated = true; return q }
func (q Param) extension() Param            { q.Extension = true; return q }

// inlineStyle builds an inline style parameter; misspelt "Forcus" variants
// and the sample's "inlineItemLabelstyle" are aliases.
func inlineStyle(name string) Param {
	q := pdef(name, KindCSS, "", true, "2.6")
	if strings.Contains(name, "Focus") {
		bad := strings.Replace(name, "Focus", "Forcus", 1)
		q = q.jsAlias(bad).htmlAlias("data-" + CamelToKebab(bad))
	}
	if name == "inlineItemLabelStyle" {
		q = q.jsAlias("inlineItemLabelstyle").htmlAlias("data-inline-item-labelstyle")
	}
	return q
}

var paramTable = func() []Param {
	t := []Param{
		// Launch button and display.
		pdef("text", KindString, "Pay with UnivaPay", false, "2.2").htmlOnly().htmlAlias("data-txt"),
		pdef("size", KindEnum, "normal", false, "2.2").htmlOnly().values(SizeValues),
		pdef("class", KindString, "", false, "2.2").htmlOnly(),
		pdef("style", KindCSS, "", false, "2.2").htmlOnly(),
		pdef("hoverStyle", KindCSS, "", false, "2.2").htmlOnly(),
		pdef("header", KindString, "UnivaPay", false, "2.2"),
		pdef("title", KindString, "", false, "2.2"),
		pdef("description", KindString, "", false, "2.2"),
		pdef("submitButtonText", KindString, "", false, "2.2"),
		pdef("showLogo", KindBool, "true", false, "2.2"),
		pdef("locale", KindLocale, "auto", true, "2.2").values(LocaleValues),
		pdef("hidePrivacyLink", KindBool, "false", true, "2.2"),
		pdef("qrColor", KindString, "#000000", false, "2.2").extension(),
		pdef("qrLogo", KindString, "false", false, "2.2").extension(),

		// Basic behaviour.
		pdef("appId", KindString, "", true, "2.3"),
		pdef("checkout", KindEnum, "payment", true, "2.3").values(CheckoutValues).htmlAlias("data-checkout-type"),
		pdef("paymentMethods", KindEnumList, "", false, "2.3").values(PaymentMethodValues),
		pdef("amount", KindAmount, "", true, "2.3"),
		pdef("currency", KindCurrency, "jpy", true, "2.3"),
		pdef("tokenType", KindEnum, "one_time", true, "2.3").values(TokenTypeValues),
		pdef("productCodes", KindList, "", true, "2.3"),
		pdef("productCodeQuantities", KindIntList, "", true, "2.3"),
		pdef("name", KindString, "", false, "2.3"),
		pdef("capture", KindBool, "true", true, "2.3"),
		pdef("captureAt", KindDateTime, "", true, "2.3"),
		pdef("expirationPeriod", KindDuration, "P30D", true, "2.3"),
		pdef("expirationTimeShift", KindTimeShift, "", true, "2.3"),
		pdef("email", KindString, "", true, "2.3"),
		pdef("address", KindBool, "false", true, "2.3"),
		pdef("shippingAddressCountryCode", KindString, "", true, "2.3"),
		pdef("shippingAddressZip", KindString, "", true, "2.3"),
		pdef("shippingAddressState", KindString, "", true, "2.3"),
		pdef("shippingAddressCity", KindString, "", true, "2.3"),
		pdef("shippingAddressLine1", KindString, "", true, "2.3"),
		pdef("shippingAddressLine2", KindString, "", true, "2.3"),
		pdef("requireName", KindBool, "false", false, "2.3"),
		pdef("requireEmail", KindBool, "false", false, "2.3"),
		pdef("requirePhoneNumber", KindBool, "false", true, "2.3"),
		pdef("phoneNumber", KindString, "", false, "2.3"),
		pdef("requireBillingAddress", KindBool, "false", false, "2.3"),
		pdef("cvvAuthorize", KindBool, "false", true, "2.3"),
		pdef("showCvv", KindBool, "true", true, "2.3"),
		pdef("univapayReferenceId", KindString, "", true, "2.3"),
		pdef("univapayCustomerId", KindString, "", true, "2.3"),
		pdef("autoSubmit", KindBool, "false", false, "2.3"),
		pdef("autoClose", KindBool, "false", false, "2.3"),
		pdef("removeCheckoutButtonAfterCharge", KindBool, "false", false, "2.3"),
		pdef("usageLimit", KindEnum, "", true, "2.3").values(UsageLimitValues),
		pdef("timeout", KindInt, "", false, "2.3"),
		pdef("autoCloseOnError", KindBool, "false", false, "2.3"),
		pdef("hideRecurringCheckbox", KindBool, "false", true, "2.3"),
		// data-metadata is not marked inline in UnivaPay's documentation,
		// but real inline integrations pass it: accepted in inline mode
		// (docs/widget.md, "Inline mode").
		pdef("metadata", KindMetadata, "", true, "2.9"),
		pdef("inline", KindBool, "false", true, "2.3"),

		// Subscriptions.
		pdef("subscriptionPeriod", KindPeriod, "", true, "2.4").values(SubscriptionPeriods),
		pdef("subscriptionId", KindString, "", true, "2.4"),
		pdef("subscriptionPlan", KindEnum, "", true, "2.4").values(SubscriptionPlans),
		pdef("subscriptionQty", KindInt, "", true, "2.4"),
		pdef("subscriptionInitialAmount", KindAmount, "", true, "2.4"),
		pdef("subscriptionStart", KindDate, "", true, "2.4"),
		pdef("subscriptionStartIn", KindDuration, "", true, "2.4"),
		pdef("subscriptionStartDayOfMonth", KindInt, "", true, "2.4"),
		pdef("subscriptionPreserveEndOfMonth", KindBool, "false", true, "2.4"),
		pdef("subscriptionRetryInterval", KindDuration, "", true, "2.4"),

		// Installments.
		pdef("allowCardInstallments", KindBool, "false", true, "2.5"),
		pdef("cardInstallmentOptions", KindEnumList, "", true, "2.5").values(InstallmentOptions),
		pdef("installmentPlan", KindString, "", false, "2.5").deprecated(),
		pdef("installmentQty", KindString, "", false, "2.5").deprecated(),
	}
	// Inline styles.
	for _, n := range []string{
		"inlineItemStyle", "inlineTextItemStyle", "inlineToggleItemStyle",
		"inlineItemLabelStyle", "inlineTextItemLabelStyle",
		"inlineFieldStyle", "inlineTextFieldStyle",
		"inlineItemErrorStyle", "inlineTextErrorStyle",
		"inlineFieldInvalidStyle", "inlineTextFieldInvalidStyle", "inlineTextToggleInvalidStyle",
		"inlineFieldFocusStyle", "inlineTextFieldFocusStyle", "inlineToggleFieldFocusStyle",
	} {
		t = append(t, inlineStyle(n))
	}
	t = append(t,
		// Deadlines of konbini and bank transfer.
		pdef("bankTransferExpirationPeriod", KindDuration, "", false, "2.7"),
		pdef("bankTransferExpirationTimeShift", KindTimeShift, "", false, "2.7"),
		pdef("convenienceStoreExpirationPeriod", KindDuration, "", false, "2.7"),
		pdef("convenienceStoreExpirationTimeShift", KindTimeShift, "", false, "2.7"),

		// Custom fields.
		pdef("customFieldLabels", KindCustomList, "", false, "2.8"),
		pdef("customFieldTypes", KindCustomList, "", false, "2.8"),
		pdef("customFieldRequired", KindCustomList, "", false, "2.8"),
		pdef("customFieldOptions", KindCustomList, "", false, "2.8"),
		pdef("customFieldKeys", KindCustomList, "", false, "2.8"),

		// JS-only extensions.
		pdef("form", KindElement, "", false, "1.2").jsOnly().extension(),
		pdef("target", KindElement, "", true, "1.3").jsOnly().extension(),
	)
	for _, n := range CallbackOptions {
		t = append(t, pdef(n, KindCallback, "", true, "1.2").jsOnly().extension())
	}
	return t
}()

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
