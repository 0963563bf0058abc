package widget

import (
	"kessai/api"

	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// CardInput is what the buyer typed into the card form (docs/widget.md,
// "Field validation").
type CardInput struct {
	Cardholder string
	CardNumber string
	Exp        string // "MM/YY", "MM/YYYY", "MMYY", ...
	CVV        string
	Email      string
	// The buyer fields (docs/widget.md, "Buyer fields").
	Name                                    string
	PhoneCountry, PhoneNumber               string
	Country, Zip, State, City, Line1, Line2 string
	// Custom are the custom-field values by metadata key (docs/widget.md,
	// "Custom fields").
	Custom map[string]string
}

// Field returns the input of a form field by its name (FieldCardNumber,
// ...); nil for an unknown name.
func (in *CardInput) Field(name string) *string {
	switch name {
	case FieldCardNumber:
		return &in.CardNumber
	case FieldExp:
		return &in.Exp
	case FieldCVV:
		return &in.CVV
	case FieldCardholder:
		return &in.Cardholder
	case FieldEmail:
		return &in.Email
	case FieldName:
		return &in.Name
	case FieldPhoneCountry:
		return &in.PhoneCountry
	case FieldPhoneNumber:
		return &in.PhoneNumber
	case FieldCountry:
		return &in.Country
	case FieldZip:
		return &in.Zip
	case FieldState:
		return &in.State
	case FieldCity:
		return &in.City
	case FieldLine1:
		return &in.Line1
	case FieldLine2:
		return &in.Line2
	}
	return nil
}

// CardRules narrow what the card form accepts (from options and
// checkout_info).
type CardRules struct {
	// RequireCVV makes the security code mandatory (showCvv=true or the
	// contract requires it). A CVV that was typed is always checked.
	RequireCVV bool
	// AllowedBrands lists the accepted brands (empty = every brand,
	// including numbers of no known brand, which the server decides on).
	AllowedBrands []string
	// RequireFullName requires a space-separated family name in the
	// cardholder (supported_brands[].requires_full_name, API
	// LAST_NAME_REQUIRED) → error code last_name_required.
	RequireFullName bool
}

// FieldErrors maps form field names (FieldCardNumber, ...) to error codes
// (ErrCode...), as in the univapay:validation-error detail (docs/widget.md,
// "The validation-error detail").
type FieldErrors map[string]string

// Form field names (docs/widget.md, "Field validation").
const (
	FieldCardNumber = "cardNumber"
	FieldExp        = "exp"
	FieldCVV        = "cvv"
	FieldCardholder = "cardholder"
	FieldEmail      = "email"
)

// Field error codes (docs/widget.md, "Field validation").
const (
	ErrCodeRequired          = "required"
	ErrCodeInvalidCardNumber = "invalid_card_number"
	ErrCodeUnsupportedBrand  = "unsupported_brand"
	ErrCodeInvalidExpiry     = "invalid_expiry"
	ErrCodeExpired           = "expired"
	ErrCodeInvalidCVV        = "invalid_cvv"
	ErrCodeInvalidCardholder = "invalid_cardholder"
	ErrCodeLastNameRequired  = "last_name_required"
	ErrCodeInvalidEmail      = "invalid_email"
)

// Card brands as the API names them.
const (
	BrandVisa            = api.BrandVisa
	BrandMastercard      = api.BrandMastercard
	BrandAmericanExpress = api.BrandAmericanExpress
	BrandJCB             = api.BrandJCB
	BrandDinersClub      = api.BrandDinersClub
	BrandDiscover        = api.BrandDiscover
	BrandUnionPay        = api.BrandUnionPay
	BrandMaestro         = api.BrandMaestro
)

// NormalizeDigits, CardNumberDigits, Luhn and DetectBrand are the API's
// card-number rules (package api), so that the form and the server agree.
var (
	NormalizeDigits  = api.NormalizeDigits
	CardNumberDigits = api.CardNumberDigits
	Luhn             = api.Luhn
	DetectBrand      = api.CardBrand
)

// cardLengths returns the valid number lengths of a brand.
func cardLengthOK(brand string, n int) bool {
	switch brand {
	case BrandVisa:
		return n == 13 || n == 16 || n == 19
	case BrandMastercard:
		return n == 16
	case BrandAmericanExpress:
		return n == 15
	case BrandJCB, BrandDiscover, BrandUnionPay:
		return n >= 16 && n <= 19
	case BrandDinersClub:
		return n >= 14 && n <= 19
	}
	return n >= 12 && n <= 19
}

// CVVLength returns the security-code length of a brand: 4 for American
// Express, else 3.
func CVVLength(brand string) int {
	if brand == BrandAmericanExpress {
		return 4
	}
	return 3
}

// ParseExpiry parses a typed expiry: "12/99", "12/2099", "1299", "122099",
// "1/25", "12 / 25", "12-25" (full-width accepted). A 2-digit year is 20YY.
// ok is false for anything else or a month outside 1–12.
func ParseExpiry(s string) (month, year int, ok bool) {
	s = strings.TrimSpace(NormalizeDigits(s))
	var mm, yy string
	if i := strings.IndexAny(s, "/-. "); i >= 0 {
		mm = strings.TrimSpace(s[:i])
		yy = strings.TrimSpace(strings.TrimLeft(s[i:], "/-. "))
		if strings.ContainsAny(yy, "/-. ") {
			return 0, 0, false
		}
	} else {
		switch len(s) {
		case 4, 6:
			mm, yy = s[:2], s[2:]
		case 3, 5: // "125" = 1/25, "12025" = 1/2025
			mm, yy = s[:1], s[1:]
		default:
			return 0, 0, false
		}
	}
	if !allDigits(mm) || !allDigits(yy) || len(mm) > 2 || (len(yy) != 2 && len(yy) != 4) {
		return 0, 0, false
	}
	month, _ = strconv.Atoi(mm)
	year, _ = strconv.Atoi(yy)
	if len(yy) == 2 {
		year += 2000
	}
	if month < 1 || month > 12 {
		return 0, 0, false
	}
	return month, year, true
}

// ValidCardholder reports whether a cardholder name is 1–45 printable Latin
// letters, spaces, ".", "'" and "-" (lower case accepted; the form shows it
// upper-cased).
func ValidCardholder(s string) bool {
	s = strings.TrimSpace(NormalizeDigits(s))
	if s == "" || utf8.RuneCountInString(s) > 45 {
		return false
	}
	letter := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			letter = true
		case r == ' ' || r == '.' || r == '\'' || r == '-':
		default:
			return false
		}
	}
	return letter
}

// NormalizeCardholder trims, folds full-width input, collapses runs of
// spaces and upper-cases the name (as sent to the API).
func NormalizeCardholder(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(NormalizeDigits(s)), " "))
}

// ValidEmail reports whether s looks like local@domain.tld (≤ 254 chars,
// local part ≤ 64, no spaces, a dot in the domain with a ≥ 2-letter TLD).
func ValidEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " \t\r\n<>()[],;:\"\\") {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(local) > 64 || strings.Contains(domain, "@") {
		return false
	}
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r >= utf8.RuneSelf) {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	return len(tld) >= 2 && !allDigits(tld)
}

// ValidateCard checks the card form (docs/widget.md, "Field validation")
// and returns the errors per field; an empty (non-nil) map means valid.
// now decides expiry: the current month is valid, the previous month
// expired.
func ValidateCard(in CardInput, now time.Time, rules CardRules) FieldErrors {
	errs := FieldErrors{}

	num := CardNumberDigits(in.CardNumber)
	brand := ""
	switch {
	case num == "":
		errs[FieldCardNumber] = ErrCodeRequired
	case !allDigits(num):
		errs[FieldCardNumber] = ErrCodeInvalidCardNumber
	default:
		brand = DetectBrand(num)
		switch {
		case !cardLengthOK(brand, len(num)) || !Luhn(num):
			errs[FieldCardNumber] = ErrCodeInvalidCardNumber
		case len(rules.AllowedBrands) > 0 && !contains(rules.AllowedBrands, brand):
			errs[FieldCardNumber] = ErrCodeUnsupportedBrand
		}
	}

	if strings.TrimSpace(in.Exp) == "" {
		errs[FieldExp] = ErrCodeRequired
	} else if m, y, ok := ParseExpiry(in.Exp); !ok {
		errs[FieldExp] = ErrCodeInvalidExpiry
	} else if cy, cm := now.Year(), int(now.Month()); y < cy || (y == cy && m < cm) {
		errs[FieldExp] = ErrCodeExpired
	}

	cvv := strings.TrimSpace(NormalizeDigits(in.CVV))
	switch {
	case cvv == "":
		if rules.RequireCVV {
			errs[FieldCVV] = ErrCodeRequired
		}
	case !allDigits(cvv):
		errs[FieldCVV] = ErrCodeInvalidCVV
	case brand != "" && len(cvv) != CVVLength(brand):
		errs[FieldCVV] = ErrCodeInvalidCVV
	case brand == "" && (len(cvv) < 3 || len(cvv) > 4):
		errs[FieldCVV] = ErrCodeInvalidCVV
	}

	name := strings.TrimSpace(in.Cardholder)
	switch {
	case name == "":
		errs[FieldCardholder] = ErrCodeRequired
	case !ValidCardholder(name):
		errs[FieldCardholder] = ErrCodeInvalidCardholder
	case rules.RequireFullName && !strings.Contains(NormalizeCardholder(name), " "):
		errs[FieldCardholder] = ErrCodeLastNameRequired
	}

	email := strings.TrimSpace(NormalizeDigits(in.Email))
	switch {
	case email == "":
		errs[FieldEmail] = ErrCodeRequired
	case !ValidEmail(email):
		errs[FieldEmail] = ErrCodeInvalidEmail
	}
	return errs
}

// FormatCardNumber groups a (partial) card number for display: 4-6-5 for
// American Express, 4-6-4 for 14-digit Diners Club, otherwise groups of 4.
// Non-digits are dropped.
func FormatCardNumber(number string) string {
	n := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, NormalizeDigits(number))
	var groups []int
	switch brand := DetectBrand(n); {
	case brand == BrandAmericanExpress:
		groups = []int{4, 6, 5}
	case brand == BrandDinersClub && len(n) <= 14:
		groups = []int{4, 6, 4}
	default:
		groups = []int{4, 4, 4, 4, 3}
	}
	var parts []string
	for _, g := range groups {
		if n == "" {
			break
		}
		if g > len(n) {
			g = len(n)
		}
		parts = append(parts, n[:g])
		n = n[g:]
	}
	if n != "" {
		parts = append(parts, n)
	}
	return strings.Join(parts, " ")
}
