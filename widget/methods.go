package widget

import (
	"fmt"
	"strings"

	"kessai/api"
)

// The payment methods of the method-selection screen (docs/widget.md,
// "Payment methods"), in the order the screen lists them.
const (
	MethodCard         = "card"
	MethodKonbini      = "konbini"
	MethodBankTransfer = "bank_transfer"
	MethodOnline       = "online"
	MethodPaidy        = "paidy"
)

// MethodOrder is the order of the method-selection screen.
var MethodOrder = []string{MethodCard, MethodKonbini, MethodBankTransfer, MethodOnline, MethodPaidy}

// KonbiniStores are the convenience-store codes of paymentMethods and of
// data.convenience_store, in the order the store choice lists them.
var KonbiniStores = []string{"seven_eleven", "family_mart", "lawson", "mini_stop", "daily_yamazaki",
	"yamazaki_daily_store", "seico_mart", "circle_k", "sunkus", "pay_easy"}

// OnlineBrands are the online (QR and app) brands, each a paymentMethods
// value of its own; "online" stands for all of them.
var OnlineBrands = []string{"pay_pay_online", "d_barai_online", "alipay_online", "alipay_plus_online", "we_chat_online"}

// BankTransferBrand is the one bank-transfer brand (GMO Aozora Net Bank).
const BankTransferBrand = "aozora_bank"

// CodeNoPaymentMethods: paymentMethods and the store's configuration leave
// no payment method to offer.
const CodeNoPaymentMethods = "NO_PAYMENT_METHODS"

// Offer is what the widget offers the buyer: the methods in screen order
// and, for each, its brands (card brands, convenience stores, online
// brands, aozora_bank, paidy).
type Offer struct {
	Methods []string
	Brands  map[string][]string
}

// Has reports whether the offer contains method.
func (f Offer) Has(method string) bool { return contains(f.Methods, method) }

// Single is the only method offered, or "" when there are several (the
// selection screen is skipped for one, docs/widget.md, "Payment methods").
func (f Offer) Single() string {
	if len(f.Methods) == 1 {
		return f.Methods[0]
	}
	return ""
}

// Device is what the widget knows of the buyer's browser: the online
// methods differ on phones (docs/widget.md, "Online payments").
type Device struct {
	Mobile bool
	// OS is "ios", "android" or "" (the data.os_type of Alipay on a phone).
	OS string
}

// DeviceOf classifies a navigator.userAgent.
func DeviceOf(userAgent string) Device {
	ua := strings.ToLower(userAgent)
	switch {
	case strings.Contains(ua, "iphone"), strings.Contains(ua, "ipad"), strings.Contains(ua, "ipod"):
		return Device{Mobile: true, OS: "ios"}
	case strings.Contains(ua, "android"):
		return Device{Mobile: true, OS: "android"}
	case strings.Contains(ua, "mobile"):
		return Device{Mobile: true}
	}
	return Device{}
}

// methodOf is the method of a paymentMethods value and whether the value
// is a brand of it (narrowing it) rather than the method's own name.
func methodOf(v string) (method string, brand bool) {
	switch {
	case v == MethodCard, v == MethodKonbini, v == MethodBankTransfer, v == MethodPaidy, v == MethodOnline:
		return v, false
	case contains(CardBrands, v):
		return MethodCard, true
	case contains(KonbiniStores, v):
		return MethodKonbini, true
	case contains(OnlineBrands, v):
		return MethodOnline, true
	}
	return "", false
}

// methodOfType is the method of a checkout_info payment type.
func methodOfType(pt api.PaymentType) string {
	switch pt {
	case api.PaymentTypeCard:
		return MethodCard
	case api.PaymentTypeKonbini:
		return MethodKonbini
	case api.PaymentTypeBankTransfer:
		return MethodBankTransfer
	case api.PaymentTypeOnline:
		return MethodOnline
	case api.PaymentTypePaidy:
		return MethodPaidy
	}
	return ""
}

// methodEnabled is the checkout_info switch of a method.
func methodEnabled(info api.CheckoutInfo, method string) bool {
	switch method {
	case MethodCard:
		return info.CardConfiguration.Enabled
	case MethodKonbini:
		return info.ConvenienceConfiguration.Enabled
	case MethodBankTransfer:
		return info.BankTransferConfiguration.Enabled
	case MethodOnline:
		return info.OnlineConfiguration.Enabled
	case MethodPaidy:
		return info.PaidyConfiguration.Enabled
	}
	return false
}

// ResolveMethods computes what the widget offers (docs/widget.md,
// "Payment methods"): the brands checkout_info enables (the method's switch
// on, card brands not forbidden, the currency supported), narrowed by
// paymentMethods (method names, "online" for every online brand, brand
// values narrowing their method), then by what the payment can be: inline
// forms, subscriptions and card changes take card (subscriptions Paidy
// too), recurring tokens no online brand, and WeChat Pay needs a phone.
//
// Values the store does not offer are warnings; when nothing remains the
// problem is an error naming paymentMethods and its value (or the reason
// when the merchant gave none), reported with code NO_PAYMENT_METHODS.
func ResolveMethods(o Options, info api.CheckoutInfo, dev Device) (Offer, Problems) {
	var ps Problems
	cur := strings.ToUpper(o.Currency)
	if cur == "" {
		cur = "JPY"
	}
	forbidden := map[string]bool{}
	for _, b := range info.CardConfiguration.ForbiddenCardBrands {
		forbidden[b] = true
	}
	// The store's brands, by method.
	store := map[string][]string{}
	for _, b := range info.SupportedBrands {
		m := methodOfType(b.PaymentType)
		if m == "" || !methodEnabled(info, m) || m == MethodCard && forbidden[b.Brand] {
			continue
		}
		if len(b.SupportedCurrencies) > 0 && !containsFold(b.SupportedCurrencies, cur) {
			continue
		}
		if !contains(store[m], b.Brand) {
			store[m] = append(store[m], b.Brand)
		}
	}

	// The merchant's choice: a method listed by name takes all its brands;
	// listed only by brands, those brands.
	wanted := map[string][]string{} // method -> brands; nil = all
	named := map[string]bool{}
	for _, v := range o.PaymentMethods {
		m, brand := methodOf(v)
		if m == "" {
			continue
		}
		if brand {
			wanted[m] = append(wanted[m], v)
		} else {
			named[m] = true
		}
		if len(store[m]) == 0 || brand && !contains(store[m], v) {
			ps.warnf("paymentMethods", fmt.Sprintf("%s is not enabled for this store; ignored", v))
		}
	}
	for m := range named {
		wanted[m] = nil
	}

	why := "" // why the last method was dropped, for the error
	offer := Offer{Brands: map[string][]string{}}
	for _, m := range MethodOrder {
		brands := store[m]
		if len(o.PaymentMethods) > 0 {
			w, ok := wanted[m]
			if !ok {
				continue
			}
			if w != nil {
				brands = intersect(brands, w)
			}
		}
		if m == MethodOnline && !dev.Mobile {
			brands = remove(brands, "we_chat_online")
		}
		if reason := methodRefused(o, m); reason != "" {
			if len(brands) > 0 {
				why = reason
				if len(o.PaymentMethods) > 0 {
					ps.warnf("paymentMethods", fmt.Sprintf("%s: %s; ignored", m, reason))
				}
			}
			continue
		}
		if len(brands) == 0 {
			continue
		}
		offer.Methods = append(offer.Methods, m)
		offer.Brands[m] = brands
	}
	if len(offer.Methods) == 0 {
		reason := "leaves no payment method the store offers"
		if why != "" {
			reason += " (" + why + ")"
		}
		if len(o.PaymentMethods) == 0 {
			reason = "the store offers no payment method for this payment"
			if why != "" {
				reason += " (" + why + ")"
			}
		}
		// Warnings about single values would only repeat the error.
		ps = Problems{{Param: "paymentMethods", Reason: reason}}
	}
	return offer, o.withValues(ps)
}

// methodRefused says why a method cannot take this payment, "" when it
// can (docs/widget.md, "Payment methods").
func methodRefused(o Options, m string) string {
	switch {
	case m == MethodCard:
		return ""
	case o.Inline:
		return "inline forms take cards only"
	case o.SubscriptionID != "":
		return "a card change takes cards only"
	case o.TokenType == TokenSubscription || CreatesSubscription(o, RequestExtras{}):
		if m != MethodPaidy {
			return "subscriptions take cards and Paidy only"
		}
	case o.TokenType == TokenRecurring && m == MethodOnline:
		return "online payments cannot be recurring"
	case o.Checkout == CheckoutToken && m == MethodOnline:
		return "online payments need checkout=payment"
	}
	return ""
}

// NoMethodsError is the outcome of an offer left empty (docs/widget.md,
// "Payment methods"): univapay:error with stage config and code
// NO_PAYMENT_METHODS, naming paymentMethods and its value.
func NoMethodsError(l Locale, problems Problems) Outcome {
	o := ConfigError(l, problems)
	o.Code = CodeNoPaymentMethods
	param := "paymentMethods"
	if len(problems) > 0 {
		param = problems[0].Named()
	}
	o.Message = l.T("error.noMethods", param)
	if d := o.Failure; d != nil {
		d.Code, d.Message = o.Code, o.Message
		d.Error.Info.Code, d.Error.Info.Message = o.Code, o.Message
	}
	return o
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// intersect keeps the values of a that are in b, in a's order.
func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		if contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func remove(a []string, v string) []string {
	var out []string
	for _, x := range a {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}
