package widget

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"kessai/api"
)

// RequestExtras are buyer choices that change the API bodies beyond the
// card input: the save-card checkbox, the installment count and
// custom-field values.
type RequestExtras struct {
	// SaveCard is the state of the save-card checkbox shown with
	// univapayCustomerId and a one_time token (docs/widget.md,
	// "Saved cards"): checked → recurring.
	SaveCard bool
	// Installments is the installment choice (docs/widget.md,
	// "Installments"): "" or "1" for a lump sum, a count ("3", "6", ...) or
	// "revolving".
	Installments string
	// CustomFields are the custom-field values by metadata key.
	CustomFields map[string]string
	// Reserved are further reserved metadata values the widget writes
	// (univapay-name, univapay-phone-number, univapay-product-names, ...).
	Reserved map[string]string
	// TerminationMode is a link form's terminationMode
	// (docs/link-forms.md): schedule_settings.termination_mode.
	TerminationMode string
}

// custom are the custom-field values: the input's, then those of the
// extras.
func (x RequestExtras) custom(o Options, in CardInput) map[string]string {
	return mergeStrings(customValues(o, in), x.CustomFields)
}

// reserved are the reserved metadata values: the buyer fields' without an
// API field, then those of the extras.
func (x RequestExtras) reserved(o Options, in CardInput) map[string]string {
	return mergeStrings(BuyerReserved(o, in), x.Reserved)
}

func mergeStrings(ms ...map[string]string) map[string]string {
	var out map[string]string
	for _, m := range ms {
		for k, v := range m {
			if out == nil {
				out = map[string]string{}
			}
			out[k] = v
		}
	}
	return out
}

// installmentPlan is the installment choice as the API's plan, nil for a lump
// sum (docs/widget.md, "Installments").
func (x RequestExtras) installmentPlan() *api.InstallmentPlanInput {
	switch x.Installments {
	case "", "1":
		return nil
	case api.PlanRevolving:
		return &api.InstallmentPlanInput{PlanType: api.PlanRevolving}
	}
	n, err := strconv.Atoi(x.Installments)
	if err != nil {
		return nil
	}
	return &api.InstallmentPlanInput{PlanType: api.PlanFixedCycles, FixedCycles: &n}
}

// EffectiveTokenType is the token type actually created (docs/widget.md,
// "The tokenType × checkout matrix"): tokenType, except that a one_time token
// becomes recurring when the buyer ticks the save-card box (with
// univapayCustomerId), and subscription when the buyer pays in installments;
// a card change (subscriptionId) creates a subscription token unless
// tokenType is recurring.
func EffectiveTokenType(o Options, x RequestExtras) string {
	t := o.TokenType
	if t == "" {
		t = TokenOneTime
	}
	switch {
	case o.SubscriptionID != "":
		if t != TokenRecurring {
			return TokenSubscription
		}
	case t == TokenOneTime && x.SaveCard && o.UnivapayCustomerID != "":
		return TokenRecurring
	case t == TokenOneTime && x.installmentPlan() != nil:
		return TokenSubscription
	}
	return t
}

// CreatesSubscription tells whether checkout=payment ends in POST
// /subscriptions rather than POST /charges (rows 8, 10–14 of docs/widget.md,
// "The tokenType × checkout matrix"): a subscription token, a recurring token
// with a subscription period, or an installment payment.
func CreatesSubscription(o Options, x RequestExtras) bool {
	if o.Checkout != CheckoutPayment || o.SubscriptionID != "" {
		return false
	}
	switch EffectiveTokenType(o, x) {
	case TokenSubscription:
		return true
	case TokenRecurring:
		return o.SubscriptionPeriod != "" || x.installmentPlan() != nil
	}
	return false
}

// TokenRequest builds the POST /tokens body of a card payment
// (docs/widget.md, "Card payment") from the options and the buyer's input,
// with no extras.
func TokenRequest(o Options, in CardInput) api.TokenCreateRequest {
	return TokenRequestWith(o, in, RequestExtras{})
}

// TokenRequestWith builds the POST /tokens body of a card payment
// (docs/widget.md, "Card payment"): payment_type card, the effective token
// type, usage_limit (recurring only), the e-mail (input, else the email
// option), the merged metadata, and data with the upper-cased cardholder, the
// card number's digits, exp_month "01"–"12", a 4-digit exp_year, the CVV
// (omitted when empty) and cvv_authorize for recurring/subscription tokens
// when cvvAuthorize is set. The input should have passed ValidateCard;
// unparsable expiry parts are sent as typed for the server to reject.
func TokenRequestWith(o Options, in CardInput, x RequestExtras) api.TokenCreateRequest {
	typ := EffectiveTokenType(o, x)
	req := api.TokenCreateRequest{
		PaymentType: api.PaymentTypeCard,
		Type:        api.TokenType(typ),
		Email:       strings.TrimSpace(NormalizeDigits(in.Email)),
		Metadata:    o.TokenMetadata(x.custom(o, in), true, x.reserved(o, in)),
	}
	if req.Email == "" {
		req.Email = o.Email
	}
	if typ == TokenRecurring && o.UsageLimit != "" {
		ul := api.UsageLimit(o.UsageLimit)
		req.UsageLimit = &ul
	}
	d := &req.Data
	d.Cardholder = NormalizeCardholder(in.Cardholder)
	d.CardNumber = CardNumberDigits(in.CardNumber)
	if m, y, ok := ParseExpiry(in.Exp); ok {
		d.ExpMonth = api.FlexString(fmt.Sprintf("%02d", m))
		d.ExpYear = api.FlexString(fmt.Sprintf("%04d", y))
	} else if mm, yy, cut := strings.Cut(NormalizeDigits(strings.TrimSpace(in.Exp)), "/"); cut {
		d.ExpMonth, d.ExpYear = api.FlexString(strings.TrimSpace(mm)), api.FlexString(strings.TrimSpace(yy))
	}
	if cvv := strings.TrimSpace(NormalizeDigits(in.CVV)); cvv != "" {
		d.CVV = api.FlexString(cvv)
	}
	applyBuyer(o, in, &req)
	if o.CvvAuthorize && (typ == TokenRecurring || typ == TokenSubscription) {
		cur := strings.ToUpper(o.Currency)
		if cur == "" {
			cur = "JPY"
		}
		d.CVVAuthorize = &api.CVVAuthorizeRequest{Enabled: true, Currency: cur}
	}
	return req
}

// ChargeRequest builds the POST /charges body of a card payment
// (docs/widget.md, "Card payment").
func ChargeRequest(o Options, tokenID string) api.ChargeCreateRequest {
	return ChargeRequestWith(o, tokenID, string(api.PaymentTypeCard), RequestExtras{})
}

// ChargeRequestWith builds the POST /charges body (docs/widget.md,
// "Card payment") for a payment type: amount, currency upper case,
// capture:false only when capture=false on card or Paidy (omitted otherwise),
// capture_at as ISO-8601 UTC (card: only with capture=false; konbini/bank
// transfer: the payment deadline), and the same merged metadata as the token.
func ChargeRequestWith(o Options, tokenID, paymentType string, x RequestExtras) api.ChargeCreateRequest {
	cur := strings.ToUpper(o.Currency)
	if cur == "" {
		cur = "JPY"
	}
	req := api.ChargeCreateRequest{
		TransactionTokenID: tokenID,
		Amount:             api.Amount(o.Amount),
		Currency:           cur,
		Metadata:           o.TokenMetadata(x.CustomFields, true, x.Reserved),
	}
	authCapable := paymentType == "card" || paymentType == "paidy"
	if !o.Capture && authCapable {
		f := api.FlexBool(false)
		req.Capture = &f
	}
	if !o.CaptureAt.IsZero() {
		switch {
		case authCapable && !o.Capture:
			req.CaptureAt = FormatAPITime(o.CaptureAt.For(paymentType))
		case paymentType == "konbini" || paymentType == "bank_transfer":
			req.CaptureAt = FormatAPITime(o.CaptureAt.For(paymentType))
		}
	}
	return req
}

// FormatAPITime formats an instant as the API's ISO-8601 UTC text.
func FormatAPITime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// SubscriptionRequest builds the POST /subscriptions body (docs/widget.md,
// "Subscriptions"): amount (per cycle, or the total of a plan or an
// installment payment), currency, period (named) or cyclical_period (ISO
// duration), initial_amount when given, schedule_settings, subscription_plan,
// and the merged metadata. An installment payment is monthly with
// installment_plan and nothing else.
//
// The start of the second payment goes as the merchant gave it: start_on
// for subscriptionStart, else start_in / start_day_of_month, which the
// server turns into start_on on the store's clock (docs/subscriptions.md,
// "Creating a subscription").
func SubscriptionRequest(o Options, tokenID string, x RequestExtras) api.SubscriptionCreateRequest {
	cur := strings.ToUpper(o.Currency)
	if cur == "" {
		cur = "JPY"
	}
	amount := api.Amount(o.Amount)
	req := api.SubscriptionCreateRequest{
		TransactionTokenID: tokenID,
		Amount:             &amount,
		Currency:           cur,
		Metadata:           o.TokenMetadata(x.CustomFields, true, x.Reserved),
	}
	if plan := x.installmentPlan(); plan != nil {
		req.Period = api.PeriodMonthly
		req.InstallmentPlan = plan
		return req
	}
	if contains(SubscriptionPeriods, o.SubscriptionPeriod) {
		req.Period = o.SubscriptionPeriod
	} else {
		req.CyclicalPeriod = o.SubscriptionPeriod
	}
	if o.SubscriptionInitialAmountSet {
		ia := api.Amount(o.SubscriptionInitialAmount)
		req.InitialAmount = &ia
	}
	ss := &api.ScheduleSettingsInput{ZoneID: api.DefaultZoneID}
	if o.SubscriptionStart != "" {
		ss.StartOn = o.SubscriptionStart
	} else {
		ss.StartIn = o.SubscriptionStartIn
		if o.SubscriptionStartDayOfMonth != 0 {
			d := int(o.SubscriptionStartDayOfMonth)
			ss.StartDayOfMonth = &d
		}
	}
	if o.SubscriptionPreserveEndOfMonth {
		t := api.FlexBool(true)
		ss.PreserveEndOfMonth = &t
	}
	ss.RetryInterval = o.SubscriptionRetryInterval
	ss.TerminationMode = x.TerminationMode
	req.ScheduleSettings = ss
	switch o.SubscriptionPlan {
	case api.PlanFixedCycles:
		n := int(o.SubscriptionQty)
		req.SubscriptionPlan = &api.SubscriptionPlanInput{PlanType: api.PlanFixedCycles, FixedCycles: &n}
	case api.PlanFixedCycleAmount:
		a := api.Amount(o.SubscriptionQty)
		req.SubscriptionPlan = &api.SubscriptionPlanInput{PlanType: api.PlanFixedCycleAmount, FixedCycleAmount: &a}
	}
	return req
}

// ValidateSavedCardCVV checks the CVV the buyer types for a saved card when
// the store asks for one (docs/widget.md, "Field validation"): 3 or 4 digits.
func ValidateSavedCardCVV(in CardInput, required bool) FieldErrors {
	errs := FieldErrors{}
	if !required {
		return errs
	}
	switch cvv := strings.TrimSpace(NormalizeDigits(in.CVV)); {
	case cvv == "":
		errs[FieldCVV] = ErrCodeRequired
	case !allDigits(cvv) || len(cvv) < 3 || len(cvv) > 4:
		errs[FieldCVV] = ErrCodeInvalidCVV
	}
	return errs
}
