package widget

import (
	"strings"

	"kessai/api"
)

// Fields of the other methods' forms beside the buyer fields
// (docs/widget.md, "Payment methods").
const (
	FieldKonbiniStore = "konbiniStore"
	FieldOnlineBrand  = "onlineBrand"
	// ErrCodeJapaneseOnly: konbini and Paidy take Japanese phone numbers
	// only (10 or 11 digits starting with 0).
	ErrCodeJapaneseOnly = "japanese_only"
)

// MethodChoice is the buyer's choice within a method: the convenience
// store (konbini) or the online brand.
type MethodChoice struct {
	Store string
	Brand string
}

// MethodFields are the inputs of a method's form other than the store or
// brand choice, in display order (docs/widget.md, "Payment methods"):
//
//   - konbini: name, phone (Japanese), e-mail, all required;
//   - bank transfer: name and e-mail, required;
//   - online: e-mail, optional unless requireEmail;
//   - Paidy: name, e-mail, phone and the address, required (but the
//     second address line).
func MethodFields(o Options, method string) []BuyerField {
	name := BuyerField{FieldName, "name", "name", "text", true}
	email := BuyerField{FieldEmail, "email", "email", "email", true}
	phone := BuyerField{FieldPhoneNumber, "phoneNumber.localNumber", "tel-national", "tel", true}
	switch method {
	case MethodKonbini:
		return []BuyerField{name, phone, email}
	case MethodBankTransfer:
		return []BuyerField{name, email}
	case MethodOnline:
		email.Required = o.RequireEmail
		return []BuyerField{email}
	case MethodPaidy:
		return []BuyerField{name, email, phone,
			{FieldZip, "address.zip", "postal-code", "numeric", true},
			{FieldState, "address.state", "address-level1", "text", true},
			{FieldCity, "address.city", "address-level2", "text", true},
			{FieldLine1, "address.line1", "address-line1", "text", true},
			{FieldLine2, "address.line2", "address-line2", "text", false}}
	}
	return nil
}

// ValidateMethod checks the buyer's input of a method's form; an empty
// map when it can be sent. Custom fields are checked as on the card form.
func ValidateMethod(o Options, method string, in CardInput, ch MethodChoice, offer Offer) FieldErrors {
	errs := FieldErrors{}
	switch method {
	case MethodKonbini:
		if !contains(offer.Brands[MethodKonbini], ch.Store) {
			errs[FieldKonbiniStore] = ErrCodeRequired
		}
	case MethodOnline:
		if !contains(offer.Brands[MethodOnline], ch.Brand) {
			errs[FieldOnlineBrand] = ErrCodeRequired
		}
	}
	for _, f := range MethodFields(o, method) {
		v := strings.TrimSpace(NormalizeDigits(*in.Field(f.Field)))
		switch {
		case v == "":
			if f.Required {
				errs[f.Field] = ErrCodeRequired
			}
		case f.Field == FieldEmail && !ValidEmail(v):
			errs[f.Field] = ErrCodeInvalidEmail
		case f.Field == FieldPhoneNumber && !japanesePhone(v):
			errs[f.Field] = ErrCodeJapaneseOnly
		case f.Field == FieldZip && !validZip("JP", v):
			errs[f.Field] = ErrCodeInvalidZip
		case len(v) > 255:
			errs[f.Field] = ErrCodeTooLong
		}
	}
	ValidateCustom(o, in, errs)
	return errs
}

// japanesePhone accepts a Japanese number: 10 or 11 digits starting with
// 0, hyphens and spaces allowed.
func japanesePhone(s string) bool {
	d := strings.NewReplacer("-", "", " ", "").Replace(s)
	return allDigits(d) && (len(d) == 10 || len(d) == 11) && d[0] == '0'
}

// MethodTokenRequest builds the POST /tokens body of a konbini,
// bank-transfer, online or Paidy payment (docs/widget.md, "Payment
// methods"): the payment type, the token type (one_time unless tokenType
// says otherwise), the e-mail, the merged metadata (bank transfer: the name
// as univapay-name, since its token has no name field) and the method's
// data: the store, name, phone and deadline (konbini), the brand and
// deadline (bank transfer), the brand and call method for the device
// (online), the phone and address with Paidy's token (Paidy).
func MethodTokenRequest(o Options, method string, in CardInput, ch MethodChoice, dev Device, x RequestExtras) api.TokenCreateRequest {
	typ := o.TokenType
	if typ == "" {
		typ = TokenOneTime
	}
	name := strings.TrimSpace(in.Name)
	if method == MethodBankTransfer && name != "" {
		x.Reserved = mergeStrings(x.Reserved, map[string]string{"univapay-name": name})
	}
	req := api.TokenCreateRequest{
		Type:     api.TokenType(typ),
		Email:    strings.TrimSpace(NormalizeDigits(in.Email)),
		Metadata: o.TokenMetadata(x.custom(o, in), true, x.Reserved),
	}
	if req.Email == "" {
		req.Email = o.Email
	}
	if typ == TokenRecurring && o.UsageLimit != "" {
		ul := api.UsageLimit(o.UsageLimit)
		req.UsageLimit = &ul
	}
	phone := func() *api.PhoneNumberRequest {
		local := strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(NormalizeDigits(in.PhoneNumber)))
		return &api.PhoneNumberRequest{CountryCode: "81", LocalNumber: api.FlexString(local)}
	}
	d := &req.Data
	switch method {
	case MethodKonbini:
		req.PaymentType = api.PaymentTypeKonbini
		d.CustomerName, d.ConvenienceStore, d.PhoneNumber = name, ch.Store, phone()
		d.ExpirationPeriod, d.ExpirationTimeShift = Expiration(o, method)
	case MethodBankTransfer:
		req.PaymentType = api.PaymentTypeBankTransfer
		d.Brand = BankTransferBrand
		d.ExpirationPeriod, d.ExpirationTimeShift = Expiration(o, method)
	case MethodOnline:
		req.PaymentType = api.PaymentTypeOnline
		d.Brand = ch.Brand
		cm, os := OnlineCallMethod(ch.Brand, dev)
		d.CallMethod, d.OSType = string(cm), os
	case MethodPaidy:
		req.PaymentType = api.PaymentTypePaidy
		d.PaidyToken = SandboxPaidyToken
		d.PhoneNumber = phone()
		d.ShippingAddress = &api.Address{Zip: strings.TrimSpace(NormalizeDigits(in.Zip)), State: strings.TrimSpace(in.State),
			City: strings.TrimSpace(in.City), Line1: strings.TrimSpace(in.Line1), Line2: strings.TrimSpace(in.Line2)}
	}
	return req
}

// SandboxPaidyToken stands for the token Paidy's own checkout returns
// after the buyer's SMS authentication, which the sandbox skips
// (docs/widget.md, "Paidy").
const SandboxPaidyToken = "paidy_sandbox"

// OnlineCallMethod is how the widget opens an online brand's payment on
// the buyer's device (docs/widget.md, "Online payments"): on a computer,
// http_get (Alipay, Alipay+, WeChat Pay) or http_post (PayPay, d払い); on a
// phone, Alipay and Alipay+ open their app page (http_get_mobile with the
// OS), the others as on a computer.
func OnlineCallMethod(brand string, dev Device) (api.CallMethod, string) {
	switch brand {
	case api.OnlinePayPay, api.OnlineDBarai:
		return api.CallHTTPPost, ""
	case api.OnlineAlipay, api.OnlineAlipayPlus:
		if dev.Mobile && dev.OS != "" {
			return api.CallHTTPGetMobile, dev.OS
		}
	}
	return api.CallHTTPGet, ""
}

// ShowsQRCode tells whether the online screen shows the issuer token as a
// QR code for a phone to scan: on a computer, for the brands whose
// computer flow is a scan (PayPay, Alipay, Alipay+, d払い).
func ShowsQRCode(brand string, dev Device) bool {
	return !dev.Mobile && brand != api.OnlineWeChat
}
