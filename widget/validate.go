package widget

import (
	"fmt"
	"kessai/api"
	"strings"
	"time"
)

// Result kinds: the resource a result field / success detail is about.
const (
	ResultToken        = "token"
	ResultCharge       = "charge"
	ResultSubscription = "subscription"
)

// Default hidden-input names (docs/widget.md, "Hidden inputs").
var resultFieldDefaults = map[string]string{
	ResultToken:        "univapayTokenId",
	ResultCharge:       "univapayChargeId",
	ResultSubscription: "univapaySubscriptionId",
}

// PrimaryResultKind returns the kind of the primary result field by the
// options alone (docs/widget.md, "Hidden inputs"): token for checkout=token,
// subscription for payment with tokenType=subscription, otherwise charge. (An
// installment payment also ends in a subscription; ResultFields handles that
// case from the ids actually created.)
func PrimaryResultKind(o Options) string {
	switch {
	case o.Checkout == CheckoutToken:
		return ResultToken
	case o.TokenType == TokenSubscription:
		return ResultSubscription
	}
	return ResultCharge
}

// ResultFieldName returns the hidden-input / callback field name for a
// result kind (ResultToken, ResultCharge, ResultSubscription):
// univapayTokenId, univapayChargeId, univapaySubscriptionId; the name
// option renames only the primary field (PrimaryResultKind).
func ResultFieldName(o Options, kind string) string {
	if o.Name != "" && kind == PrimaryResultKind(o) {
		return o.Name
	}
	return resultFieldDefaults[kind]
}

// ResultFields returns the hidden inputs for the ids created (empty ids are
// left out). The primary field is the token for checkout=token, otherwise the
// subscription when one was created (subscriptions and installments,
// docs/widget.md, "Hidden inputs") or else the charge; only it is renamed by
// the name option.
func ResultFields(o Options, tokenID, chargeID, subscriptionID string) map[string]string {
	primary := ResultCharge
	switch {
	case o.Checkout == CheckoutToken:
		primary = ResultToken
	case subscriptionID != "":
		primary = ResultSubscription
	}
	out := map[string]string{}
	for kind, id := range map[string]string{ResultToken: tokenID, ResultCharge: chargeID, ResultSubscription: subscriptionID} {
		if id == "" {
			continue
		}
		name := resultFieldDefaults[kind]
		if kind == primary && o.Name != "" {
			name = o.Name
		}
		out[name] = id
	}
	return out
}

// Validate checks the merchant parameters and the rules between them that
// need no checkout_info (docs/widget.md, "Configuration errors"), as of now.
func (o Options) Validate() Problems { return o.ValidateAt(time.Now()) }

// ValidateAt is Validate with an explicit clock (captureAt checks).
func (o Options) ValidateAt(now time.Time) Problems { return o.withValues(o.validateAt(now)) }

func (o Options) validateAt(now time.Time) Problems {
	var ps Problems
	checkout := o.Checkout
	if checkout == "" {
		checkout = CheckoutPayment
	}
	tokenType := o.TokenType
	if tokenType == "" {
		tokenType = TokenOneTime
	}
	payment := checkout == CheckoutPayment

	// appId.
	if strings.TrimSpace(o.AppID) == "" {
		ps.errorf("appId", "is required")
	}
	// Enumerations.
	if !contains(CheckoutValues, checkout) {
		ps.errorf("checkout", fmt.Sprintf("%q is not token or payment", o.Checkout))
	}
	if !contains(TokenTypeValues, tokenType) {
		ps.errorf("tokenType", fmt.Sprintf("%q is not one of one_time, recurring, subscription", o.TokenType))
	}
	if o.UsageLimit != "" && !contains(UsageLimitValues, o.UsageLimit) {
		ps.errorf("usageLimit", fmt.Sprintf("%q is not one of %s", o.UsageLimit, strings.Join(UsageLimitValues, ", ")))
	}
	if o.SubscriptionPlan != "" && !contains(SubscriptionPlans, o.SubscriptionPlan) {
		ps.errorf("subscriptionPlan", fmt.Sprintf("%q is not one of %s", o.SubscriptionPlan, strings.Join(SubscriptionPlans, ", ")))
	}
	if o.Size != "" && !contains(SizeValues, o.Size) {
		ps.warnf("size", fmt.Sprintf("%q is not one of small, normal, large; using normal", o.Size))
	}
	if o.Locale != "" && !contains(LocaleValues, NormalizeLocale(o.Locale)) {
		ps.warnf("locale", fmt.Sprintf("%q is not a supported locale; using auto", o.Locale))
	}

	// Currency: three letters.
	cur := o.Currency
	if cur == "" {
		cur = "JPY"
	}
	if len(cur) != 3 || !isLetters(cur) {
		ps.errorf("currency", fmt.Sprintf("%q is not a 3-letter ISO 4217 code", o.Currency))
	}

	// subscriptionId: card change, checkout=token only.
	if o.SubscriptionID != "" && checkout != CheckoutToken {
		ps.errorf("subscriptionId", "requires checkout=token")
	}

	// Amount for payment.
	hasProducts := len(o.ProductCodes) > 0
	if payment && o.SubscriptionID == "" {
		switch {
		case !o.AmountSet && !hasProducts:
			ps.errorf("amount", "is required when checkout=payment")
		case o.AmountSet && o.Amount <= 0:
			ps.errorf("amount", "must be greater than 0 when checkout=payment")
		}
	}
	if o.AmountSet && o.Amount < 0 {
		ps.errorf("amount", "must not be negative")
	}

	// Subscription period.
	if tokenType == TokenSubscription && payment && o.SubscriptionPeriod == "" && !hasProducts && o.SubscriptionID == "" {
		ps.errorf("subscriptionPeriod", "is required when tokenType=subscription and checkout=payment")
	}
	if o.SubscriptionPeriod != "" && !contains(SubscriptionPeriods, o.SubscriptionPeriod) {
		if d, ok := api.ParseDuration(o.SubscriptionPeriod); !ok || d.HasTime() || d.IsZero() {
			ps.errorf("subscriptionPeriod", fmt.Sprintf("%q is not a named period or a duration PnD/PnW/PnM/PnY", o.SubscriptionPeriod))
		}
	}

	// capture=false authorizes a charge; a subscription's first payment is
	// always captured by the widget.
	if !o.Capture && CreatesSubscription(o, RequestExtras{}) {
		ps.warnf("capture", "false is not applied to a subscription's first payment; it is captured")
	}

	// Plan and quantity.
	switch {
	case o.SubscriptionPlan != "" && !o.SubscriptionQtySet:
		ps.errorf("subscriptionQty", "is required with subscriptionPlan")
	case o.SubscriptionPlan != "" && o.SubscriptionQty < 1:
		ps.errorf("subscriptionQty", "must be at least 1")
	case o.SubscriptionPlan == "" && o.SubscriptionQtySet:
		ps.warnf("subscriptionQty", "ignored without subscriptionPlan")
	}
	if o.SubscriptionPlan == "fixed_cycles" && o.SubscriptionQtySet && o.SubscriptionQty < 2 && o.SubscriptionQty >= 1 {
		ps.warnf("subscriptionQty", "fixed_cycles of 1 is a single payment")
	}

	// Initial amount 0 needs CVV authorisation and card.
	if o.SubscriptionInitialAmountSet {
		if o.SubscriptionInitialAmount < 0 {
			ps.errorf("subscriptionInitialAmount", "must not be negative")
		}
		if o.SubscriptionInitialAmount == 0 {
			if !o.CvvAuthorize {
				ps.errorf("cvvAuthorize", "must be true when subscriptionInitialAmount is 0")
			}
			if len(o.PaymentMethods) > 0 && !offersCard(o.PaymentMethods) {
				ps.errorf("subscriptionInitialAmount", "0 requires the card payment method")
			}
		}
	}

	// Other subscription parameters.
	if o.SubscriptionStartDayOfMonth != 0 || o.IsSet("subscriptionStartDayOfMonth") {
		if o.SubscriptionStartDayOfMonth < 1 || o.SubscriptionStartDayOfMonth > 31 {
			ps.errorf("subscriptionStartDayOfMonth", "must be between 1 and 31")
		}
	}
	if o.SubscriptionStart != "" && (o.SubscriptionStartIn != "" || o.SubscriptionStartDayOfMonth != 0) {
		ps.warnf("subscriptionStart", "given: subscriptionStartIn and subscriptionStartDayOfMonth are ignored")
	}
	if o.SubscriptionStartIn != "" {
		if d, ok := api.ParseDuration(o.SubscriptionStartIn); !ok || d.HasTime() || d.IsZero() {
			ps.errorf("subscriptionStartIn", fmt.Sprintf("%q is not a duration PnD/PnW/PnM/PnY", o.SubscriptionStartIn))
		}
	}
	if o.SubscriptionRetryInterval != "" {
		d, ok := api.ParseDuration(o.SubscriptionRetryInterval)
		switch {
		case !ok || d.HasTime() || d.Years != 0:
			ps.errorf("subscriptionRetryInterval", fmt.Sprintf("%q is not a duration PnD/PnW/PnM", o.SubscriptionRetryInterval))
		case d.ApproxDays() < 1:
			ps.errorf("subscriptionRetryInterval", "must be at least P1D")
		default:
			if cyc, ok := periodDays(o.SubscriptionPeriod); ok && d.ApproxDays() >= cyc {
				ps.errorf("subscriptionRetryInterval", "must be shorter than the subscription period")
			}
		}
	}

	// usageLimit only for recurring (or a one_time token that the
	// save-card checkbox may turn recurring).
	if o.UsageLimit != "" && tokenType != TokenRecurring && !(tokenType == TokenOneTime && o.UnivapayCustomerID != "") {
		ps.warnf("usageLimit", "applies to recurring tokens only; ignored")
	}

	// expirationTimeShift needs a period of at least one day.
	for _, pair := range [][2]string{
		{"expirationPeriod", "expirationTimeShift"},
		{"bankTransferExpirationPeriod", "bankTransferExpirationTimeShift"},
		{"convenienceStoreExpirationPeriod", "convenienceStoreExpirationTimeShift"},
	} {
		period, shift := o.stringParam(pair[0]), o.stringParam(pair[1])
		if period == "" {
			continue
		}
		d, ok := api.ParseDuration(period)
		if !ok {
			ps.errorf(pair[0], fmt.Sprintf("%q is not an ISO-8601 duration", period))
			continue
		}
		if days := d.ApproxDays(); days*24*60 < 30 || days > 60 {
			ps.warnf(pair[0], "should be between 30 minutes (PT30M) and 60 days (P60D) (konbini API bounds)")
		}
		if shift != "" && d.ApproxDays() < 1 {
			ps.errorf(pair[1], fmt.Sprintf("needs %s of at least P1D", pair[0]))
		}
	}

	// Product quantities.
	if len(o.ProductCodeQuantities) > 0 {
		if !hasProducts {
			ps.errorf("productCodeQuantities", "needs productCodes")
		} else if len(o.ProductCodeQuantities) != len(o.ProductCodes) {
			ps.errorf("productCodeQuantities", fmt.Sprintf("has %d values for %d productCodes", len(o.ProductCodeQuantities), len(o.ProductCodes)))
		}
		for _, n := range o.ProductCodeQuantities {
			if n < 1 {
				ps.errorf("productCodeQuantities", "quantities must be at least 1")
				break
			}
		}
	}

	// Custom field lists.
	ps = append(ps, o.validateCustomFields()...)

	// captureAt.
	if !o.CaptureAt.IsZero() {
		ps = append(ps, o.validateCaptureAt(now)...)
	}

	// timeout.
	if o.Timeout < 0 {
		ps.errorf("timeout", "must not be negative")
	}
	if o.AutoCloseOnError && o.Timeout == 0 {
		ps.warnf("autoCloseOnError", "has no effect without timeout")
	}

	// Formats of pre-fills and ids.
	if o.Email != "" && !ValidEmail(o.Email) {
		ps.warnf("email", fmt.Sprintf("%q is not a valid e-mail address; the buyer must correct it", o.Email))
	}
	if o.UnivapayCustomerID != "" && !isUUID(o.UnivapayCustomerID) {
		ps.errorf("univapayCustomerId", "must be a UUID")
	}
	if o.PhoneNumber != "" && !allDigits(o.PhoneNumber) {
		ps.warnf("phoneNumber", "must be digits only, without hyphens")
	}
	if c := o.ShippingAddressCountryCode; c != "" && (len(c) != 2 || !isLetters(c)) {
		ps.warnf("shippingAddressCountryCode", fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 code", c))
	}
	// Address pre-fills need the address form.
	if !o.Address && !o.RequireBillingAddress {
		for _, n := range []string{"shippingAddressCountryCode", "shippingAddressZip", "shippingAddressState",
			"shippingAddressCity", "shippingAddressLine1", "shippingAddressLine2"} {
			if o.stringParam(n) != "" {
				ps.warnf(n, "applies only with address=true")
			}
		}
	}

	// Inline mode: card only; non-inline parameters ignored.
	if o.Inline {
		for _, n := range o.GivenParams() {
			q, ok := LookupParam(n)
			if ok && !q.Inline && q.Avail != HTMLOnly {
				ps.warnf(n, "is not available in inline mode; ignored")
			}
		}
	}
	ps = append(ps, o.validatePaymentMethods()...)
	return ps
}

// AvailableMethods are the payment methods the widget takes today
// (docs/widget.md, "What does not work yet"): card only.
var AvailableMethods = []string{"card"}

// validatePaymentMethods checks paymentMethods against the methods the
// widget can take (docs/widget.md, "Configuration errors"): asking only for
// methods that are not available is an error, never a silent fallback to
// card; asking for them beside card is a warning.
func (o Options) validatePaymentMethods() Problems {
	var ps Problems
	if len(o.PaymentMethods) == 0 {
		return ps
	}
	var other []string
	for _, m := range o.PaymentMethods {
		if m != "card" && !contains(CardBrands, m) {
			other = append(other, m)
		}
	}
	switch {
	case !offersCard(o.PaymentMethods) && o.Inline:
		ps.errorf("paymentMethods", "inline mode supports card only")
	case !offersCard(o.PaymentMethods):
		ps.errorf("paymentMethods", fmt.Sprintf("not available: %s (available: %s)",
			strings.Join(other, ", "), strings.Join(AvailableMethods, ", ")))
	case len(other) > 0:
		ps.warnf("paymentMethods", fmt.Sprintf("not available: %s; ignored", strings.Join(other, ", ")))
	}
	return ps
}

func (o Options) validateCustomFields() Problems {
	var ps Problems
	c := o.custom
	for _, l := range []struct {
		name  string
		items []string
	}{{"customFieldTypes", c.Types}, {"customFieldRequired", c.Required}, {"customFieldOptions", c.Options}, {"customFieldKeys", c.Keys}} {
		if len(l.items) > len(c.Labels) {
			ps.errorf(l.name, fmt.Sprintf("has %d entries for %d customFieldLabels", len(l.items), len(c.Labels)))
		}
	}
	for i, v := range c.Required {
		if _, err := ParseBool(v, SourceJS); err != nil {
			ps.errorf("customFieldRequired", fmt.Sprintf("entry %d: %v", i+1, err))
		}
	}
	seen := map[string]bool{}
	for i, f := range o.CustomFields {
		if f.Label == "" {
			ps.errorf("customFieldLabels", fmt.Sprintf("entry %d is empty", i+1))
		}
		if !contains(CustomFieldTypes, f.Type) {
			ps.errorf("customFieldTypes", fmt.Sprintf("entry %d: %q is not select or string", i+1, f.Type))
		}
		if f.Type == "select" && len(f.Options) == 0 {
			ps.errorf("customFieldOptions", fmt.Sprintf("entry %d: a select field needs options", i+1))
		}
		if seen[f.Key] {
			ps.errorf("customFieldKeys", fmt.Sprintf("duplicate key %q", f.Key))
		}
		seen[f.Key] = true
		if IsReservedMetadataKey(f.Key) {
			ps.errorf("customFieldKeys", fmt.Sprintf("%q is a reserved metadata key", f.Key))
		}
	}
	return ps
}

// validateCaptureAt checks captureAt against now (docs/widget.md,
// "Configuration errors"): not in the past, not today's date without a time,
// and for card authorisation (capture=false on a card-only form) within 1
// hour … 7 days.
func (o Options) validateCaptureAt(now time.Time) Problems {
	var ps Problems
	d := o.CaptureAt
	if d.DateOnly {
		if d.Time.Format("2006-01-02") == now.In(JST).Format("2006-01-02") {
			ps.errorf("captureAt", "today's date needs a time")
			return ps
		}
		if d.Time.Before(now) {
			ps.errorf("captureAt", "is in the past")
			return ps
		}
	} else if !d.Time.After(now) {
		ps.errorf("captureAt", "is in the past")
		return ps
	}
	cardOnly := o.Inline || (len(o.PaymentMethods) > 0 && onlyCard(o.PaymentMethods))
	if !o.Capture && cardOnly {
		t := d.For("card")
		if t.Before(now.Add(time.Hour)) || t.After(now.Add(7*24*time.Hour)) {
			ps.errorf("captureAt", "must be between 1 hour and 7 days from now for card authorisation")
		}
	}
	return ps
}

// stringParam returns a string-valued parameter by canonical name.
func (o Options) stringParam(name string) string {
	s, _ := o.param(name).(string)
	return s
}

// CardBrands are the card-brand values of paymentMethods.
var CardBrands = []string{BrandVisa, BrandMastercard, BrandJCB, BrandAmericanExpress, BrandDinersClub, BrandUnionPay, BrandMaestro, BrandDiscover}

func offersCard(methods []string) bool {
	for _, m := range methods {
		if m == "card" || contains(CardBrands, m) {
			return true
		}
	}
	return false
}

func onlyCard(methods []string) bool {
	for _, m := range methods {
		if m != "card" && !contains(CardBrands, m) {
			return false
		}
	}
	return true
}

// AllowedCardBrands returns the card brands paymentMethods narrows card to
// (nil = every brand the store supports).
func (o Options) AllowedCardBrands() []string {
	var out []string
	for _, m := range o.PaymentMethods {
		if contains(CardBrands, m) {
			out = append(out, m)
		}
	}
	return out
}

// periodDays is the cycle length of a subscription period in days.
func periodDays(period string) (float64, bool) {
	named := map[string]float64{"daily": 1, "weekly": 7, "biweekly": 14, "monthly": 30, "bimonthly": 60,
		"quarterly": 90, "semiannually": 180, "annually": 365}
	if d, ok := named[period]; ok {
		return d, true
	}
	if d, ok := api.ParseDuration(period); ok && !d.IsZero() {
		return d.ApproxDays(), true
	}
	return 0, false
}

func isLetters(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return s != ""
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
				return false
			}
		}
	}
	return true
}
