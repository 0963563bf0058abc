package widget

import (
	"strings"

	"kessai/api"
)

// The buyer's fields beside the card (docs/widget.md, "Buyer fields"):
// name, phone number and address, shown by requireName,
// requirePhoneNumber, address and requireBillingAddress, prefilled by
// phoneNumber and the shippingAddress* parameters.

// Buyer field names, as in univapay:validation-error.
const (
	FieldName         = "name"
	FieldPhoneCountry = "phoneCountry"
	FieldPhoneNumber  = "phoneNumber"
	FieldCountry      = "country"
	FieldZip          = "zip"
	FieldState        = "state"
	FieldCity         = "city"
	FieldLine1        = "line1"
	FieldLine2        = "line2"
)

// Buyer field error codes.
const (
	ErrCodeInvalidPhoneNumber = "invalid_phone_number"
	ErrCodeInvalidZip         = "invalid_zip"
	ErrCodeInvalidCountry     = "invalid_country"
	ErrCodeTooLong            = "too_long"
)

// BuyerField is one input of the buyer's fields: its field name, the
// input's name, its autocomplete token and inputmode, and whether it must
// be filled.
type BuyerField struct {
	Field, Name, Autocomplete, InputMode string
	Required                             bool
}

// BuyerFields are the buyer's inputs the options ask for, in display order.
// requireName and requireEmail add nothing to the e-mail a card form always
// asks for; address shows the address, requireBillingAddress makes it
// required.
//
// In inline mode the parameters UnivaPay does not mark inline
// (requireName, phoneNumber, requireBillingAddress) are ignored, as
// Validate warns.
func BuyerFields(o Options) []BuyerField {
	var out []BuyerField
	if o.Inline {
		o.RequireName, o.PhoneNumber, o.RequireBillingAddress = false, "", false
	}
	if o.RequireName {
		out = append(out, BuyerField{FieldName, "name", "name", "text", true})
	}
	if o.RequirePhoneNumber {
		out = append(out,
			BuyerField{FieldPhoneCountry, "phoneNumber.countryCode", "tel-country-code", "numeric", true},
			BuyerField{FieldPhoneNumber, "phoneNumber.localNumber", "tel-national", "tel", true})
	}
	if o.Address || o.RequireBillingAddress {
		req := o.RequireBillingAddress
		out = append(out,
			BuyerField{FieldCountry, "address.country", "country", "text", req},
			BuyerField{FieldZip, "address.zip", "postal-code", "numeric", req},
			BuyerField{FieldState, "address.state", "address-level1", "text", req},
			BuyerField{FieldCity, "address.city", "address-level2", "text", req},
			BuyerField{FieldLine1, "address.line1", "address-line1", "text", req},
			BuyerField{FieldLine2, "address.line2", "address-line2", "text", false})
	}
	return out
}

// Prefill returns the card input with the buyer fields' pre-fills of the
// options: the e-mail, the phone number (with requirePhoneNumber, country
// code 81), the address (country JP unless given).
func Prefill(o Options) CardInput {
	in := CardInput{Email: o.Email}
	if o.RequirePhoneNumber && !o.Inline {
		in.PhoneCountry, in.PhoneNumber = "81", o.PhoneNumber
	} else if o.RequirePhoneNumber {
		in.PhoneCountry = "81"
	}
	if o.Address || o.RequireBillingAddress && !o.Inline {
		in.Country = strings.ToUpper(o.ShippingAddressCountryCode)
		if in.Country == "" {
			in.Country = "JP"
		}
		in.Zip, in.State, in.City = o.ShippingAddressZip, o.ShippingAddressState, o.ShippingAddressCity
		in.Line1, in.Line2 = o.ShippingAddressLine1, o.ShippingAddressLine2
	}
	return in
}

// Prefectures are Japan's 47 prefectures, the state drop-down of a
// Japanese address.
var Prefectures = []string{"北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
	"埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県",
	"愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県",
	"山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県"}

// ValidateBuyer checks the buyer fields the options show (docs/widget.md,
// "Field validation") and adds their errors to errs.
func ValidateBuyer(o Options, in CardInput, errs FieldErrors) {
	for _, f := range BuyerFields(o) {
		v := strings.TrimSpace(NormalizeDigits(*in.Field(f.Field)))
		if v == "" {
			if f.Required {
				errs[f.Field] = ErrCodeRequired
			}
			continue
		}
		switch f.Field {
		case FieldName:
			if len([]rune(v)) > 60 {
				errs[f.Field] = ErrCodeTooLong
			}
		case FieldPhoneCountry:
			if !allDigits(strings.TrimPrefix(v, "+")) || len(v) > 4 {
				errs[f.Field] = ErrCodeInvalidPhoneNumber
			}
		case FieldPhoneNumber:
			if !validPhone(strings.TrimPrefix(strings.TrimSpace(in.PhoneCountry), "+"), v) {
				errs[f.Field] = ErrCodeInvalidPhoneNumber
			}
		case FieldCountry:
			if len(v) != 2 || !isLetters(v) {
				errs[f.Field] = ErrCodeInvalidCountry
			}
		case FieldZip:
			if !validZip(in.Country, v) {
				errs[f.Field] = ErrCodeInvalidZip
			}
		case FieldState:
			if strings.EqualFold(strings.TrimSpace(in.Country), "JP") && !contains(Prefectures, v) {
				errs[f.Field] = ErrCodeRequired
			}
		default:
			if len([]rune(v)) > 255 {
				errs[f.Field] = ErrCodeTooLong
			}
		}
	}
}

// validPhone: digits only, no hyphens; a Japanese number (country code 81)
// has 10 or 11 digits, others 4 to 15.
func validPhone(country, local string) bool {
	if !allDigits(local) {
		return false
	}
	if country == "81" || country == "" {
		return len(local) == 10 || len(local) == 11
	}
	return len(local) >= 4 && len(local) <= 15
}

// validZip: a Japanese postal code has 7 digits (a hyphen allowed);
// elsewhere at most 16 characters.
func validZip(country, zip string) bool {
	if strings.EqualFold(strings.TrimSpace(country), "JP") || strings.TrimSpace(country) == "" {
		z := strings.ReplaceAll(zip, "-", "")
		return len(z) == 7 && allDigits(z)
	}
	return len(zip) <= 16
}

// applyBuyer puts the buyer fields into the token request as the API maps
// them (docs/widget.md, "Card payment"): the address and the phone number
// into data, the name into the metadata key univapay-name.
func applyBuyer(o Options, in CardInput, req *api.TokenCreateRequest) {
	for _, f := range BuyerFields(o) {
		v := strings.TrimSpace(NormalizeDigits(*in.Field(f.Field)))
		if v == "" {
			continue
		}
		d := &req.Data
		switch f.Field {
		case FieldPhoneNumber:
			cc := strings.TrimPrefix(strings.TrimSpace(NormalizeDigits(in.PhoneCountry)), "+")
			if cc == "" {
				cc = "81"
			}
			d.PhoneNumber = &api.PhoneNumberRequest{CountryCode: api.FlexString(cc), LocalNumber: api.FlexString(v)}
		case FieldCountry:
			d.Country = strings.ToUpper(v)
		case FieldZip:
			d.Zip = v
		case FieldState:
			d.State = v
		case FieldCity:
			d.City = v
		case FieldLine1:
			d.Line1 = v
		case FieldLine2:
			d.Line2 = v
		}
	}
}

// BuyerReserved are the reserved metadata values of the buyer fields that
// the card token has no API field for: univapay-name.
func BuyerReserved(o Options, in CardInput) map[string]string {
	if n := strings.TrimSpace(in.Name); o.RequireName && !o.Inline && n != "" {
		return map[string]string{"univapay-name": n}
	}
	return nil
}

// ShowsCVV reports whether the form asks for the CVV (docs/widget.md,
// "Buyer fields"): always, unless showCvv is false and the store lets the
// CVV be empty (card_configuration.allow_empty_cvv) and no brand of the
// store requires it.
func ShowsCVV(o Options, info api.CheckoutInfo) bool {
	if o.ShowCvv {
		return true
	}
	return cvvRequiredByStore(info)
}

func cvvRequiredByStore(info api.CheckoutInfo) bool {
	if !info.CardConfiguration.AllowEmptyCVV {
		return true
	}
	for _, b := range info.SupportedBrands {
		if b.PaymentType == api.PaymentTypeCard && b.RequiresCVV {
			return true
		}
	}
	return false
}
