package widget

import (
	"fmt"
	"strings"
	"time"

	"kessai/api"
)

// RequestExtras are buyer choices that change the API bodies beyond the
// card input: the save-card checkbox and custom-field values.
type RequestExtras struct {
	// SaveCard is the state of the save-card checkbox shown with
	// univapayCustomerId and a one_time token (§3.2): checked → recurring.
	SaveCard bool
	// CustomFields are the custom-field values by metadata key (§2.8).
	CustomFields map[string]string
	// Reserved are further reserved metadata values the widget writes
	// (univapay-name, univapay-phone-number, univapay-product-names, ...).
	Reserved map[string]string
}

// EffectiveTokenType is the token type actually created (§6.6): tokenType,
// except that a one_time token with univapayCustomerId becomes recurring
// when the buyer ticks the save-card box.
func EffectiveTokenType(o Options, saveCard bool) string {
	t := o.TokenType
	if t == "" {
		t = TokenOneTime
	}
	if t == TokenOneTime && saveCard && o.UnivapayCustomerID != "" {
		return TokenRecurring
	}
	return t
}

// TokenRequest builds the POST /tokens body of a card payment (§6.3) from
// the options and the buyer's input, with no extras.
func TokenRequest(o Options, in CardInput) api.TokenCreateRequest {
	return TokenRequestWith(o, in, RequestExtras{})
}

// TokenRequestWith builds the POST /tokens body of a card payment (§6.3):
// payment_type card, the effective token type, usage_limit (recurring
// only), the e-mail (input, else the email option), the merged metadata,
// and data with the upper-cased cardholder, the card number's digits,
// exp_month "01"–"12", a 4-digit exp_year, the CVV (omitted when empty) and
// cvv_authorize for recurring/subscription tokens when cvvAuthorize is set.
// The input should have passed ValidateCard; unparsable expiry parts are
// sent as typed for the server to reject.
func TokenRequestWith(o Options, in CardInput, x RequestExtras) api.TokenCreateRequest {
	typ := EffectiveTokenType(o, x.SaveCard)
	req := api.TokenCreateRequest{
		PaymentType: api.PaymentTypeCard,
		Type:        api.TokenType(typ),
		Email:       strings.TrimSpace(NormalizeDigits(in.Email)),
		Metadata:    o.TokenMetadata(x.CustomFields, true, x.Reserved),
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
	if o.CvvAuthorize && (typ == TokenRecurring || typ == TokenSubscription) {
		cur := strings.ToUpper(o.Currency)
		if cur == "" {
			cur = "JPY"
		}
		d.CVVAuthorize = &api.CVVAuthorizeRequest{Enabled: true, Currency: cur}
	}
	return req
}

// ChargeRequest builds the POST /charges body of a card payment (§6.4).
func ChargeRequest(o Options, tokenID string) api.ChargeCreateRequest {
	return ChargeRequestWith(o, tokenID, string(api.PaymentTypeCard), RequestExtras{})
}

// ChargeRequestWith builds the POST /charges body (§6.4) for a payment
// type: amount, currency upper case, capture:false only when capture=false
// on card or Paidy (omitted otherwise), capture_at as ISO-8601 UTC (card:
// only with capture=false; konbini/bank transfer: the payment deadline),
// and the same merged metadata as the token.
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
