package sqlstore

import (
	"fmt"
	"strconv"
	"strings"

	"kessai/server/domain"
)

// The conditions of each list, one function per query type of
// server/domain; the table's columns are the same on both engines.

// Tokens are the conditions of a token list.
func (d Dialect) Tokens(q domain.TokenQuery) Where {
	w := d.scoped(q.Scope, q.Filters)
	if q.Type != "" {
		w.Add(d.Text("data", "type")+" = ?", string(q.Type))
	}
	if q.PaymentType != "" {
		w.Add(d.Text("data", "payment_type")+" = ?", string(q.PaymentType))
	}
	if q.ID != "" {
		w.Add("id = ?", strings.ToLower(q.ID))
	}
	if q.ShortID != "" {
		w.Add(d.Right("id", 6)+" = ?", strings.ToLower(q.ShortID))
	}
	if q.ActiveOnly {
		w.Add("active")
	}
	if q.CustomerID != "" {
		expr, key := d.Metadata("data", "univapay-customer-id")
		w.Add(expr+" = ?", key, q.CustomerID)
	}
	if q.PreviousID != "" {
		w.Add(d.Text("data", "previous_id")+" = ?", q.PreviousID)
	}
	w.tokenMatch(tokenMatch{
		email: q.Email, cardholderPart: q.Cardholder, cardExp: q.CardExp,
		lastFour: q.CardLastFour, phone: q.PhoneNumber, brand: q.Brand,
	})
	return w
}

// tokenMatch are the conditions on a token's own data that both the token
// list and the charge list (through the charge's token) filter on.
type tokenMatch struct {
	email             string
	cardholderPart    string // part of the name, any case
	cardholder        string // the whole name, any case
	cardExp           string // yyyy-MM
	expMonth, expYear int
	lastFour          string
	phone             string // digits
	brand             string
}

// tokenMatch adds m's conditions on the columns of the tokens table.
func (w *Where) tokenMatch(m tokenMatch) {
	text := func(path string) string { return w.d.Text("data", path) }
	if m.email != "" {
		w.Add("lower("+text("email")+") = lower(?)", m.email)
	}
	if m.cardholderPart != "" {
		w.Add(w.d.ContainsFold(text("card.cardholder")), m.cardholderPart)
	}
	if m.cardholder != "" {
		w.Add("lower(trim("+text("card.cardholder")+")) = lower(trim(?))", m.cardholder)
	}
	if m.cardExp != "" {
		if year, month, ok := parseCardExp(m.cardExp); ok {
			w.Add(w.d.Int("data", "card.exp_year")+" = ?", year)
			w.Add(w.d.Int("data", "card.exp_month")+" = ?", month)
		} else {
			w.Add("1 = 0") // no card expires at a date written otherwise
		}
	}
	if m.expMonth != 0 {
		w.Add(w.d.Int("data", "card.exp_month")+" = ?", m.expMonth)
	}
	if m.expYear != 0 {
		w.Add(w.d.Int("data", "card.exp_year")+" = ?", m.expYear)
	}
	if m.lastFour != "" {
		w.Add(text("card.last_four")+" = ?", m.lastFour)
	}
	if m.phone != "" {
		// The local number without the usual separators, with or without
		// the country code.
		// A card's billing phone, else a konbini or Paidy token's.
		local := "COALESCE(" + text("billing.phone_local_number") + ", " + text("konbini.phone_local_number") + ", " + text("paidy.phone_local_number") + ")"
		for _, c := range []string{"-", " ", "(", ")", "+", "."} {
			local = "replace(" + local + ", '" + c + "', '')"
		}
		cc := "COALESCE(" + text("billing.phone_country_code") + ", " + text("konbini.phone_country_code") + ", " + text("paidy.phone_country_code") + ", '')"
		w.Add("("+local+" = ? OR "+cc+" || "+local+" = ?)", m.phone, m.phone)
	}
	if m.brand != "" {
		// A card brand, a convenience store, an online or bank-transfer brand.
		w.Add("(COALESCE("+text("card.brand")+", "+text("konbini.store")+", "+text("online.brand")+", "+text("bank_transfer_brand")+") = lower(?))", m.brand)
	}
}

// parseCardExp reads a card expiry written yyyy-MM (as a card's exp_year
// and exp_month print with %04d-%02d).
func parseCardExp(s string) (year, month int, ok bool) {
	y, m, found := strings.Cut(s, "-")
	year, err1 := strconv.Atoi(y)
	month, err2 := strconv.Atoi(m)
	if !found || err1 != nil || err2 != nil || fmt.Sprintf("%04d-%02d", year, month) != s {
		return 0, 0, false
	}
	return year, month, true
}

// Charges are the conditions of a charge list.
func (d Dialect) Charges(q domain.ChargeQuery) Where {
	w := d.scoped(q.Scope, q.Filters)
	if q.TransactionTokenID != "" {
		w.Add("token_id = ?", strings.ToLower(q.TransactionTokenID))
	}
	if q.SubscriptionID != "" {
		w.Add("subscription_id = ?", q.SubscriptionID)
	}
	if q.Currency != "" {
		w.Add("("+d.Text("data", "currency")+" = ? OR "+d.Text("data", "charged_currency")+" = ?)", q.Currency, q.Currency)
	}
	if q.AmountFrom != nil {
		w.Add(d.Int("data", "amount")+" > ?", *q.AmountFrom)
	}
	if q.AmountTo != nil {
		w.Add(d.Int("data", "amount")+" < ?", *q.AmountTo)
	}
	if q.LastFour != "" {
		w.Add(d.Text("data", "last_four")+" = ?", q.LastFour)
	}
	// The card's name and expiry, the e-mail and the phone number are the
	// token's: match the charges whose token matches.
	m := tokenMatch{email: q.Email, cardholder: q.Name, expMonth: q.ExpMonth, expYear: q.ExpYear, phone: q.Phone}
	if m != (tokenMatch{}) {
		tw := d.Where()
		tw.scope(q.Scope)
		tw.tokenMatch(m)
		w.Add("token_id IN (SELECT id FROM tokens"+tw.SQL()+")", tw.Args()...)
	}
	return w
}

// Refunds are the conditions of a refund list.
func (d Dialect) Refunds(q domain.RefundQuery) Where {
	return d.ofCharge(q.Scope, q.Filters, q.ChargeID)
}

// Cancels are the conditions of a cancel list.
func (d Dialect) Cancels(q domain.CancelQuery) Where {
	return d.ofCharge(q.Scope, q.Filters, q.ChargeID)
}

// ofCharge are the conditions of a list of records of a charge (refunds,
// cancels): all of the scope without a charge ID.
func (d Dialect) ofCharge(s domain.Scope, f domain.Filters, chargeID string) Where {
	w := d.scoped(s, f)
	if chargeID != "" {
		w.Add("charge_id = ?", chargeID)
	}
	return w
}

// Subscriptions are the conditions of a subscription list.
func (d Dialect) Subscriptions(q domain.SubscriptionQuery) Where {
	w := d.scoped(q.Scope, q.Filters)
	in(&w, "status", q.Statuses)
	if q.Search != "" {
		w.Add(d.AnyMetadata("data", d.ContainsFold), q.Search)
	}
	return w
}

// SubscriptionPayments are the conditions of a list of a subscription's
// payment rows.
func (d Dialect) SubscriptionPayments(q domain.SubscriptionPaymentQuery) Where {
	w := d.Where()
	w.Add("subscription_id = ?", q.SubscriptionID)
	return w
}

// Webhooks are the conditions of a webhook list.
func (d Dialect) Webhooks(q domain.WebhookQuery) Where {
	w := d.Where()
	switch {
	case q.StoreID != "" && q.MerchantWide:
		w.Add("merchant_id = ? AND (store_id = ? OR store_id IS NULL)", q.MerchantID, q.StoreID)
	case q.StoreID != "":
		w.Add("store_id = ?", q.StoreID)
	default:
		w.Add("merchant_id = ? AND store_id IS NULL", q.MerchantID)
	}
	w.filters(domain.Filters{From: q.From, To: q.To, ToInclusive: q.ToInclusive})
	if q.Active != nil {
		w.Add("active = ?", *q.Active)
	}
	return w
}

// WebhookDeliveries are the conditions of a list of a store's webhook
// deliveries.
func (d Dialect) WebhookDeliveries(q domain.WebhookDeliveryQuery) Where {
	w := d.Where()
	w.Add("store_id = ?", q.StoreID)
	w.filters(domain.Filters{From: q.From, To: q.To, ToInclusive: q.ToInclusive})
	if q.WebhookID != "" {
		w.Add("webhook_id = ?", q.WebhookID)
	}
	if q.Event != "" {
		w.Add("event = ?", string(q.Event))
	}
	if q.Status != "" {
		w.Add("status = ?", string(q.Status))
	}
	return w
}
