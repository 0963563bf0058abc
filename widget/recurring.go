package widget

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"kessai/api"
)

// The rules of the form that depend on the store's checkout_info: the
// save-card / consent box and saved cards of recurring tokens
// (docs/widget.md, "Recurring tokens" and "Saved cards"), the installment
// drop-down ("Installments"), and the rules of the options that need the
// store's settings ("Configuration errors").

// Form fields beside the card's (docs/widget.md, "Field validation"). The
// consent box is "accept", the name real integrations read in a submit()
// rejection's data (docs/widget.md, "The validation-error detail").
const (
	FieldConsent      = "accept"
	FieldInstallments = "installments"
)

// Field error codes of the consent box and the installment choice.
const (
	ErrCodeConsentRequired     = "consent_required"
	ErrCodeInvalidInstallments = "invalid_installments"
)

// RecurringBox is the checkbox the card form shows for recurring tokens.
type RecurringBox int

// Recurring boxes.
const (
	// BoxNone: no box.
	BoxNone RecurringBox = iota
	// BoxSaveCard: 「このカードを保存する」, optional, shown with univapayCustomerId and
	// a one_time token: checked makes the token recurring (docs/widget.md,
	// "Saved cards").
	BoxSaveCard
	// BoxConsent: the consent to keep the card, required for a recurring
	// token unless hideRecurringCheckbox (then consent is implied).
	BoxConsent
)

// RecurringBoxOf returns the box the card form shows: none when the store
// cannot keep cards (recurring_token_privilege none, or bounded without a
// usageLimit for the save-card box).
func RecurringBoxOf(o Options, info api.CheckoutInfo) RecurringBox {
	if info.RecurringTokenPrivilege == api.RecurringNone || o.SubscriptionID != "" {
		return BoxNone
	}
	switch o.TokenType {
	case TokenRecurring:
		if !o.HideRecurringCheckbox {
			return BoxConsent
		}
	case TokenOneTime, "":
		if o.UnivapayCustomerID != "" && CanSaveCards(o, info) {
			return BoxSaveCard
		}
	}
	return BoxNone
}

// ValidateInfo checks the options against the store's settings
// (docs/widget.md, "Configuration errors"): a recurring token where the store
// keeps no cards, a bounded privilege without usageLimit.
func (o Options) ValidateInfo(info api.CheckoutInfo) Problems {
	return o.withValues(o.validateInfo(info))
}

func (o Options) validateInfo(info api.CheckoutInfo) Problems {
	var ps Problems
	if o.TokenType == TokenRecurring && o.SubscriptionID == "" {
		switch info.RecurringTokenPrivilege {
		case api.RecurringNone:
			ps.errorf("tokenType", "recurring tokens are not enabled for this store")
		case api.RecurringBounded:
			if o.UsageLimit == "" {
				ps.errorf("usageLimit", "is required: the store allows only bounded recurring tokens")
			}
		}
	}
	if o.UnivapayCustomerID != "" && o.TokenType != TokenRecurring && info.RecurringTokenPrivilege == api.RecurringBounded && o.UsageLimit == "" {
		ps.warnf("usageLimit", "is needed to save cards on this store: the save-card box is hidden")
	}
	if !o.ShowCvv && cvvRequiredByStore(info) {
		ps.warnf("showCvv", "false is not allowed by the store (the CVV is required); the CVV is asked for")
	}
	if wanted := o.AllowedCardBrands(); len(wanted) > 0 && onlyCard(o.PaymentMethods) && len(CardBrandsOffered(o, info)) == 0 {
		ps.errorf("paymentMethods", fmt.Sprintf("the store accepts none of the card brands %s", strings.Join(wanted, ", ")))
	}
	return ps
}

// CardBrandsOffered are the card brands the form accepts: those
// checkout_info supports minus its forbidden brands, narrowed by the brand
// values of paymentMethods (docs/widget.md, "Field validation"). Empty when
// the merchant's brands leave none, which ValidateInfo reports.
func CardBrandsOffered(o Options, info api.CheckoutInfo) []string {
	forbidden := map[string]bool{}
	for _, b := range info.CardConfiguration.ForbiddenCardBrands {
		forbidden[b] = true
	}
	wanted := map[string]bool{}
	for _, b := range o.AllowedCardBrands() {
		wanted[b] = true
	}
	var out []string
	for _, b := range info.SupportedBrands {
		if b.PaymentType == api.PaymentTypeCard && !forbidden[b.Brand] && (len(wanted) == 0 || wanted[b.Brand]) {
			out = append(out, b.Brand)
		}
	}
	return out
}

// CanSaveCards reports whether the save-card box may be offered: a bounded
// store needs a usageLimit for the recurring token it makes.
func CanSaveCards(o Options, info api.CheckoutInfo) bool {
	return info.RecurringTokenPrivilege == api.RecurringInfinite || info.RecurringTokenPrivilege == api.RecurringBounded && o.UsageLimit != ""
}

// OffersSavedCards reports whether the form lists the customer's saved cards
// (univapayCustomerId, docs/widget.md, "Saved cards"); a card change and a
// subscription token need a new card.
func OffersSavedCards(o Options, info api.CheckoutInfo) bool {
	return o.UnivapayCustomerID != "" && o.SubscriptionID == "" && o.TokenType != TokenSubscription &&
		info.RecurringTokenPrivilege != api.RecurringNone
}

// NeedsSavedCardCVV reports whether paying with a saved card needs its CVV
// again: the store asks for one above a threshold in the currency
// (recurring_card_charge_cvv_confirmation, docs/widget.md, "Saved cards") and
// today's payment is above it.
func NeedsSavedCardCVV(o Options, info api.CheckoutInfo) bool {
	conf := info.RecurringCardChargeCVVConfirmation
	if !conf.Enabled || o.Checkout != CheckoutPayment {
		return false
	}
	amount := o.Amount
	if t, ok := Terms(o, time.Time{}); ok {
		amount = t.First
	}
	for _, th := range conf.Threshold {
		if strings.EqualFold(th.Currency, o.Currency) {
			return amount > th.Amount
		}
	}
	return false
}

// SavedCardLabel names a saved card for the buyer: "VISA •••• 4242
// (12/99)".
func SavedCardLabel(c api.TokenListItem) string {
	if c.Data == nil || c.Data.Card == nil {
		return c.ID
	}
	card := c.Data.Card
	return fmt.Sprintf("%s •••• %s (%02d/%02d)", strings.ToUpper(strings.ReplaceAll(card.Brand, "_", " ")), card.LastFour, card.ExpMonth, card.ExpYear%100)
}

// AppTokenStoreID reads store_id from the app token's payload, unverified
// (docs/widget.md, "API calls": the server checks the token). "" when the
// token is no JWT.
func AppTokenStoreID(jwt string) string {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var claims struct {
		StoreID string `json:"store_id"`
	}
	if json.Unmarshal(b, &claims) != nil {
		return ""
	}
	return claims.StoreID
}

// InstallmentChoices are the choices of the installment drop-down for a card
// of brand (docs/widget.md, "Installments"), in the order of
// cardInstallmentOptions (every option when not given): none unless
// allowCardInstallments, card, checkout=payment, a payment that is no
// subscription, installments enabled for the store and the brand
// installment_capable. revolving needs the processor's revolving, counts its
// fixed_cycle; a count whose payments fall below min_charge_amount is left
// out. "1" is the lump sum.
func InstallmentChoices(o Options, info api.CheckoutInfo, brand string) []string {
	if !o.AllowCardInstallments || o.Checkout != CheckoutPayment || o.SubscriptionID != "" ||
		o.TokenType == TokenSubscription || o.TokenType == TokenRecurring && o.SubscriptionPeriod != "" {
		return nil
	}
	ic := info.InstallmentsConfiguration
	if !ic.Enabled || brand == "" || !brandCapable(info, brand) {
		return nil
	}
	opts := o.CardInstallmentOptions
	if len(opts) == 0 {
		opts = InstallmentOptions
	}
	var out []string
	for _, c := range opts {
		switch c {
		case "1":
		case api.PlanRevolving:
			if !ic.CardProcessor.Revolving {
				continue
			}
		default:
			n, err := strconv.Atoi(c)
			if err != nil || !ic.CardProcessor.FixedCycle {
				continue
			}
			if m := ic.MinChargeAmount; m != nil && strings.EqualFold(m.Currency, o.Currency) && o.Amount/int64(n) < m.Amount {
				continue
			}
		}
		out = append(out, c)
	}
	if len(out) == 1 && out[0] == "1" {
		return nil // a lump sum only: nothing to choose
	}
	return out
}

func brandCapable(info api.CheckoutInfo, brand string) bool {
	for _, b := range info.SupportedBrands {
		if b.PaymentType == api.PaymentTypeCard && b.Brand == brand {
			return b.InstallmentCapable
		}
	}
	return false
}

// InstallmentLabel names an installment choice: 一括払い, 3回払い,
// リボ払い.
func InstallmentLabel(l Locale, choice string) string {
	switch choice {
	case "1", "":
		return l.T("installments.once")
	case api.PlanRevolving:
		return l.T("installments.revolving")
	}
	return l.T("installments.times", choice)
}

// ValidateChoices checks the boxes and the installment choice of the form:
// the consent box must be ticked, the installment choice must be offered.
func ValidateChoices(box RecurringBox, consent bool, installment string, choices []string) FieldErrors {
	errs := FieldErrors{}
	if box == BoxConsent && !consent {
		errs[FieldConsent] = ErrCodeConsentRequired
	}
	if installment != "" && installment != "1" && !contains(choices, installment) {
		errs[FieldInstallments] = ErrCodeInvalidInstallments
	}
	return errs
}
