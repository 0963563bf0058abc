package widget

import (
	"encoding/json"
	"fmt"
	"kessai/api"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Source says where raw options come from.
type Source int

// Option sources.
const (
	// SourceHTML: attribute name ("data-app-id") → string value.
	SourceHTML Source = iota
	// SourceJS: option name ("appId") → value decoded from JSON.
	SourceJS
)

func (s Source) String() string {
	if s == SourceJS {
		return "js"
	}
	return "html"
}

// ParseSource parses "html" or "js" (Init.Source of the message contract).
func ParseSource(s string) (Source, bool) {
	switch strings.ToLower(s) {
	case "html":
		return SourceHTML, true
	case "js":
		return SourceJS, true
	}
	return SourceHTML, false
}

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

func (s *InlineStyles) field(name string) *string {
	switch name {
	case "inlineItemStyle":
		return &s.ItemStyle
	case "inlineTextItemStyle":
		return &s.TextItemStyle
	case "inlineToggleItemStyle":
		return &s.ToggleItemStyle
	case "inlineItemLabelStyle":
		return &s.ItemLabelStyle
	case "inlineTextItemLabelStyle":
		return &s.TextItemLabelStyle
	case "inlineFieldStyle":
		return &s.FieldStyle
	case "inlineTextFieldStyle":
		return &s.TextFieldStyle
	case "inlineItemErrorStyle":
		return &s.ItemErrorStyle
	case "inlineTextErrorStyle":
		return &s.TextErrorStyle
	case "inlineFieldInvalidStyle":
		return &s.FieldInvalidStyle
	case "inlineTextFieldInvalidStyle":
		return &s.TextFieldInvalidStyle
	case "inlineTextToggleInvalidStyle":
		return &s.TextToggleInvalidStyle
	case "inlineFieldFocusStyle":
		return &s.FieldFocusStyle
	case "inlineTextFieldFocusStyle":
		return &s.TextFieldFocusStyle
	case "inlineToggleFieldFocusStyle":
		return &s.ToggleFieldFocusStyle
	}
	return nil
}

// Get returns the style of an inline style parameter by its canonical name.
func (s InlineStyles) Get(name string) string {
	if f := s.field(name); f != nil {
		return *f
	}
	return ""
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

	customRaw map[string][]string // raw customField* lists, for Validate
	given     map[string]bool     // canonical names of the parameters given
	values    map[string]string   // canonical name -> the value as given, for messages
}

// DefaultOptions returns the options with every default applied: checkout
// payment, currency JPY, tokenType one_time, capture, showCvv and showLogo
// true, locale auto, size normal.
func DefaultOptions() Options {
	return Options{
		Checkout:  CheckoutPayment,
		Currency:  "JPY",
		TokenType: TokenOneTime,
		Capture:   true,
		ShowCvv:   true,
		ShowLogo:  true,
		Locale:    "auto",
		Size:      "normal",
	}
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

// ParseAndValidate is ParseOptions followed by Validate.
func ParseAndValidate(src Source, raw map[string]any) (Options, Problems) {
	o, ps := ParseOptions(src, raw)
	return o, append(ps, o.Validate()...)
}

type rawValue struct {
	key  string
	val  any
	rank int // 0 = canonical name, 1+ = alias position
}

// ParseOptions builds Options from raw merchant options (docs/widget.md,
// "Coercion"): for SourceHTML the span's attributes ("data-app-id" → "..."),
// for SourceJS the create() object decoded from JSON (functions already
// removed). It coerces types (booleans, amounts, lists, metadata, dates);
// enumerations are normalised here and checked by Validate. Invalid values
// never panic: they are reported as Problems and leave the default in place.
//
// HTML: aliases yield to canonical names (data-text over data-txt,
// data-checkout over data-checkout-type); unknown data-* attributes become
// arbitrary fields (docs/widget.md, "Arbitrary data-* fields";
// Options.Fields); attributes without "data-" are ignored. JS: unknown
// options and HTML-only names give a warning.
func ParseOptions(src Source, raw map[string]any) (Options, Problems) {
	o := DefaultOptions()
	o.given = map[string]bool{}
	o.values = map[string]string{}
	var ps Problems

	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	chosen := map[int]rawValue{}
	for _, key := range keys {
		v := raw[key]
		var idx, rank int
		if src == SourceHTML {
			attr := strings.ToLower(strings.TrimSpace(key))
			if !strings.HasPrefix(attr, "data-") || len(attr) == len("data-") {
				continue
			}
			i, ok := byHTML[attr]
			if !ok {
				parseArbitrary(&o, &ps, attr, v)
				continue
			}
			idx, rank = i, indexOf(paramTable[i].Attrs(), attr)
		} else {
			i, ok := byJS[key]
			if !ok {
				if q, ok := LookupParam(key); ok && q.Avail == HTMLOnly {
					ps.warnf(key, fmt.Sprintf("is an HTML-only parameter (%s); ignored in JavaScript mode", q.HTML()))
				} else {
					ps.warnf(key, "unknown option; ignored")
				}
				continue
			}
			idx, rank = i, indexOf(paramTable[i].OptionNames(), key)
		}
		if cur, ok := chosen[idx]; !ok || rank < cur.rank {
			chosen[idx] = rawValue{key: key, val: v, rank: rank}
		}
	}

	// Currency first: amounts are scaled by its minor-unit digits.
	order := make([]int, 0, len(chosen))
	for i := range chosen {
		order = append(order, i)
	}
	sort.Slice(order, func(a, b int) bool {
		ca, cb := paramTable[order[a]].Kind == KindCurrency, paramTable[order[b]].Kind == KindCurrency
		if ca != cb {
			return ca
		}
		return order[a] < order[b]
	})
	for _, i := range order {
		q := paramTable[i]
		rv := chosen[i]
		if rv.val == nil {
			continue // JS null/undefined = not given
		}
		if q.Deprecated {
			ps.warnf(q.Name, "is no longer supported; ignored")
			continue
		}
		o.given[q.Name] = true
		o.values[q.Name] = rawText(rv.val)
		applyParam(&o, &ps, q, src, rv.val)
	}
	o.CustomFields = buildCustomFields(o.customRaw)
	return o, o.withValues(ps)
}

// rawText is a raw option value as the merchant wrote it: strings as they
// are, other JSON values (numbers, booleans, arrays, objects) as JSON.
func rawText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// Value returns the value the merchant gave for a parameter (canonical
// name), as given; empty when it was not given.
func (o Options) Value(name string) string { return o.values[name] }

// withValues fills each problem's Value from the values given, so that a
// message names the parameter and the value (docs/widget.md,
// "Configuration errors").
func (o Options) withValues(ps Problems) Problems {
	for i := range ps {
		if ps[i].Value == "" {
			ps[i].Value = o.values[ps[i].Param]
		}
	}
	return ps
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return len(list)
}

// parseArbitrary handles a data-* attribute that is no parameter
// (docs/widget.md, "Arbitrary data-* fields").
func parseArbitrary(o *Options, ps *Problems, attr string, v any) {
	rest := strings.TrimPrefix(attr, "data-")
	switch {
	case strings.HasPrefix(rest, "qr-"), strings.HasPrefix(rest, "custom-field-"):
		ps.warnf(attr, "unknown parameter; ignored")
		return
	}
	s, err := coerceString(v)
	if err != nil {
		ps.warnf(attr, err.Error())
		return
	}
	if o.Fields == nil {
		o.Fields = map[string]string{}
	}
	o.Fields[AttrToName(attr)] = s
}

func coerceString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x), nil
	case float64:
		return formatNumber(x), nil
	case bool:
		return strconv.FormatBool(x), nil
	case fmt.Stringer:
		return x.String(), nil
	}
	return "", fmt.Errorf("must be a string, not %s", describe(v))
}

// coerceList accepts a comma-separated string or an array of scalars.
func coerceList(v any, escaped bool) ([]string, error) {
	var items []string
	switch x := v.(type) {
	case string:
		if escaped {
			items = splitEscaped(x, ',')
		} else {
			items = strings.Split(x, ",")
		}
	case []any:
		for _, e := range x {
			switch y := e.(type) {
			case []any: // options of one custom field given as an array
				parts := make([]string, 0, len(y))
				for _, z := range y {
					s, err := coerceString(z)
					if err != nil {
						return nil, fmt.Errorf("list item: %v", err)
					}
					parts = append(parts, s)
				}
				items = append(items, strings.Join(parts, ";"))
			default:
				s, err := coerceString(e)
				if err != nil {
					return nil, fmt.Errorf("list item: %v", err)
				}
				items = append(items, s)
			}
		}
	default:
		s, err := coerceString(v)
		if err != nil {
			return nil, fmt.Errorf("must be a comma-separated list or an array, not %s", describe(v))
		}
		items = []string{s}
	}
	for i := range items {
		items[i] = strings.TrimSpace(items[i])
	}
	if escaped {
		return items, nil // positions matter for custom fields
	}
	out := items[:0]
	for _, s := range items {
		if s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

func contains(list []string, s string) bool { return indexOf(list, s) < len(list) }

// applyParam coerces one raw value by the parameter's kind and stores it.
func applyParam(o *Options, ps *Problems, q Param, src Source, v any) {
	name := q.Name
	bad := func(err error) { ps.errorf(name, err.Error()) }
	switch q.Kind {
	case KindBool:
		b, err := ParseBool(v, src)
		if err != nil {
			bad(err)
			return
		}
		setBool(o, name, b)
	case KindInt:
		n, err := ParseInt(v)
		if err != nil {
			bad(err)
			return
		}
		switch name {
		case "timeout":
			if n < 0 {
				ps.errorf(name, "must not be negative")
				return
			}
			o.Timeout = time.Duration(n) * time.Second
		case "subscriptionQty":
			o.SubscriptionQty, o.SubscriptionQtySet = n, true
		case "subscriptionStartDayOfMonth":
			o.SubscriptionStartDayOfMonth = n
		}
	case KindAmount:
		n, err := ParseAmount(v, o.Currency)
		if err != nil {
			bad(err)
			return
		}
		switch name {
		case "amount":
			o.Amount, o.AmountSet = n, true
			if f, ok := v.(float64); ok && f != float64(int64(f)) {
				ps.warnf(name, fmt.Sprintf("fractional number %v read as major units = %d minor units", f, n))
			}
		case "subscriptionInitialAmount":
			o.SubscriptionInitialAmount, o.SubscriptionInitialAmountSet = n, true
		}
	case KindCurrency:
		s, err := coerceString(v)
		if err != nil {
			bad(err)
			return
		}
		o.Currency = strings.ToUpper(s)
	case KindEnum:
		s, err := coerceString(v)
		if err != nil {
			bad(err)
			return
		}
		s = strings.ToLower(s)
		if name == "size" && !contains(SizeValues, s) {
			ps.warnf(name, fmt.Sprintf("%q is not one of %s; using normal", s, strings.Join(SizeValues, ", ")))
			s = "normal"
		}
		setString(o, name, s)
	case KindLocale:
		s, err := coerceString(v)
		if err != nil {
			bad(err)
			return
		}
		norm := NormalizeLocale(s)
		if !contains(LocaleValues, norm) {
			ps.warnf(name, fmt.Sprintf("%q is not a supported locale; using auto", s))
			norm = "auto"
		}
		o.Locale = norm
	case KindEnumList:
		items, err := coerceList(v, false)
		if err != nil {
			bad(err)
			return
		}
		var out []string
		for _, it := range items {
			it = strings.ToLower(it)
			if !contains(q.Values, it) {
				ps.warnf(name, fmt.Sprintf("unknown value %q ignored", it))
				continue
			}
			if !contains(out, it) {
				out = append(out, it)
			}
		}
		switch name {
		case "paymentMethods":
			o.PaymentMethods = out
		case "cardInstallmentOptions":
			o.CardInstallmentOptions = out
		}
	case KindList:
		items, err := coerceList(v, false)
		if err != nil {
			bad(err)
			return
		}
		if name == "productCodes" {
			o.ProductCodes = items
		}
	case KindIntList:
		items, err := coerceList(v, false)
		if err != nil {
			bad(err)
			return
		}
		ns := make([]int64, 0, len(items))
		for _, it := range items {
			n, err := ParseInt(it)
			if err != nil {
				bad(err)
				return
			}
			ns = append(ns, n)
		}
		o.ProductCodeQuantities = ns
	case KindMetadata:
		md, warns, err := ParseMetadata(v)
		if err != nil {
			bad(err)
			return
		}
		for _, w := range warns {
			ps.warnf(name, w)
		}
		o.Metadata = md
	case KindDuration:
		s, err := coerceString(v)
		if err != nil {
			bad(err)
			return
		}
		d, ok := api.ParseDuration(s)
		if !ok {
			ps.errorf(name, fmt.Sprintf("%q is not an ISO-8601 duration such as P30D", s))
			return
		}
		_ = d
		setString(o, name, strings.ToUpper(s))
	case KindTimeShift:
		s, err := coerceString(v)
		if err != nil {
			bad(err)
			return
		}
		norm, added, err := ParseTimeShift(s)
		if err != nil {
			bad(err)
			return
		}
		if added {
			ps.warnf(name, "no UTC offset; +09:00 assumed")
		}
		setString(o, name, norm)
	case KindDateTime:
		s, err := coerceString(v)
		if err != nil {
			bad(err)
			return
		}
		dt, err := ParseDateTime(s)
		if err != nil {
			bad(err)
			return
		}
		o.CaptureAt = dt
	case KindDate:
		s, err := coerceString(v)
		if err != nil {
			bad(err)
			return
		}
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			if t, err = time.Parse("20060102", s); err != nil {
				ps.errorf(name, fmt.Sprintf("%q is not a date YYYY-MM-DD", s))
				return
			}
		}
		o.SubscriptionStart = t.Format("2006-01-02")
	case KindPeriod:
		s, err := coerceString(v)
		if err != nil {
			bad(err)
			return
		}
		low := strings.ToLower(s)
		if contains(SubscriptionPeriods, low) {
			o.SubscriptionPeriod = low
			return
		}
		d, ok := api.ParseDuration(s)
		if !ok || d.HasTime() {
			ps.errorf(name, fmt.Sprintf("%q is not one of %s or a duration PnD/PnW/PnM/PnY", s, strings.Join(SubscriptionPeriods, ", ")))
			return
		}
		o.SubscriptionPeriod = strings.ToUpper(s)
	case KindCSS:
		s, err := coerceString(v)
		if err != nil {
			bad(err)
			return
		}
		clean, changed := SanitizeCSS(s)
		if changed {
			ps.warnf(name, "unsafe CSS removed (url(, expression(, @import, javascript:, <, >, \\)")
		}
		switch name {
		case "style":
			o.Style = clean
		case "hoverStyle":
			o.HoverStyle = clean
		default:
			if f := o.InlineStyles.field(name); f != nil {
				*f = clean
			}
		}
	case KindCustomList:
		items, err := coerceList(v, true)
		if err != nil {
			bad(err)
			return
		}
		if o.customRaw == nil {
			o.customRaw = map[string][]string{}
		}
		o.customRaw[name] = items
	case KindElement:
		s, ok := v.(string)
		if !ok {
			ps.warnf(name, "must be a CSS selector string; ignored")
			return
		}
		setString(o, name, strings.TrimSpace(s))
	case KindCallback:
		o.Callbacks = append(o.Callbacks, name)
	default: // KindString
		s, err := coerceString(v)
		if err != nil {
			bad(err)
			return
		}
		setString(o, name, s)
	}
}

func setBool(o *Options, name string, b bool) {
	switch name {
	case "showLogo":
		o.ShowLogo = b
	case "hidePrivacyLink":
		o.HidePrivacyLink = b
	case "capture":
		o.Capture = b
	case "address":
		o.Address = b
	case "requireName":
		o.RequireName = b
	case "requireEmail":
		o.RequireEmail = b
	case "requirePhoneNumber":
		o.RequirePhoneNumber = b
	case "requireBillingAddress":
		o.RequireBillingAddress = b
	case "cvvAuthorize":
		o.CvvAuthorize = b
	case "showCvv":
		o.ShowCvv = b
	case "autoSubmit":
		o.AutoSubmit = b
	case "autoClose":
		o.AutoClose = b
	case "removeCheckoutButtonAfterCharge":
		o.RemoveCheckoutButtonAfterCharge = b
	case "autoCloseOnError":
		o.AutoCloseOnError = b
	case "hideRecurringCheckbox":
		o.HideRecurringCheckbox = b
	case "inline":
		o.Inline = b
	case "subscriptionPreserveEndOfMonth":
		o.SubscriptionPreserveEndOfMonth = b
	case "allowCardInstallments":
		o.AllowCardInstallments = b
	default:
		panic("widget: no bool field for " + name)
	}
}

func setString(o *Options, name, s string) {
	switch name {
	case "text":
		o.Text = s
	case "size":
		o.Size = s
	case "class":
		o.Class = s
	case "header":
		o.Header = s
	case "title":
		o.Title = s
	case "description":
		o.Description = s
	case "submitButtonText":
		o.SubmitButtonText = s
	case "qrColor":
		o.QRColor = s
	case "qrLogo":
		o.QRLogo = s
	case "appId":
		o.AppID = s
	case "checkout":
		o.Checkout = s
	case "tokenType":
		o.TokenType = s
	case "name":
		o.Name = s
	case "expirationPeriod":
		o.ExpirationPeriod = s
	case "expirationTimeShift":
		o.ExpirationTimeShift = s
	case "email":
		o.Email = s
	case "shippingAddressCountryCode":
		o.ShippingAddressCountryCode = strings.ToUpper(s)
	case "shippingAddressZip":
		o.ShippingAddressZip = s
	case "shippingAddressState":
		o.ShippingAddressState = s
	case "shippingAddressCity":
		o.ShippingAddressCity = s
	case "shippingAddressLine1":
		o.ShippingAddressLine1 = s
	case "shippingAddressLine2":
		o.ShippingAddressLine2 = s
	case "phoneNumber":
		o.PhoneNumber = s
	case "univapayReferenceId":
		o.UnivapayReferenceID = s
	case "univapayCustomerId":
		o.UnivapayCustomerID = s
	case "usageLimit":
		o.UsageLimit = s
	case "subscriptionId":
		o.SubscriptionID = s
	case "subscriptionPlan":
		o.SubscriptionPlan = s
	case "subscriptionStartIn":
		o.SubscriptionStartIn = s
	case "subscriptionRetryInterval":
		o.SubscriptionRetryInterval = s
	case "bankTransferExpirationPeriod":
		o.BankTransferExpirationPeriod = s
	case "bankTransferExpirationTimeShift":
		o.BankTransferExpirationTimeShift = s
	case "convenienceStoreExpirationPeriod":
		o.ConvenienceStoreExpirationPeriod = s
	case "convenienceStoreExpirationTimeShift":
		o.ConvenienceStoreExpirationTimeShift = s
	case "form":
		o.Form = s
	case "target":
		o.Target = s
	default:
		panic("widget: no string field for " + name)
	}
}

// buildCustomFields assembles the custom fields from the raw lists: field i
// is described by position i of each list; shorter lists are padded (type
// string, not required, key = label); options are ";"-separated.
func buildCustomFields(raw map[string][]string) []CustomField {
	labels := raw["customFieldLabels"]
	if len(labels) == 0 {
		return nil
	}
	at := func(list string, i int) string {
		l := raw[list]
		if i < len(l) {
			return l[i]
		}
		return ""
	}
	out := make([]CustomField, 0, len(labels))
	for i, label := range labels {
		f := CustomField{Label: label, Type: strings.ToLower(at("customFieldTypes", i)), Key: at("customFieldKeys", i)}
		if f.Type == "" {
			f.Type = "string"
		}
		if f.Key == "" {
			f.Key = label
		}
		f.Required, _ = ParseBool(at("customFieldRequired", i), SourceJS)
		for _, opt := range strings.Split(at("customFieldOptions", i), ";") {
			if opt = strings.TrimSpace(opt); opt != "" {
				f.Options = append(f.Options, opt)
			}
		}
		out = append(out, f)
	}
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
