package api

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Card-number rules shared by the API (which validates POST /tokens) and the
// widget (which validates the form before sending it), so that both sides
// always agree on what a card number is and which brand it has.

// NormalizeDigits folds what Japanese IMEs type into ASCII: full-width
// characters U+FF01–U+FF5E (digits ４２４２, letters, ／, －) to their ASCII
// forms, the ideographic space U+3000 to a space, and the dash look-alikes
// (ー ‐ ‑ ‒ – — ― − ﹣ ｰ) to "-".
func NormalizeDigits(s string) string {
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFF01 - 0x21
		case r == 0x3000:
			r = ' '
		case r == 'ー' || r == '‐' || r == '‑' || r == '‒' || r == '–' || r == '—' || r == '―' || r == '−' || r == '﹣' || r == 'ｰ':
			r = '-'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// CardNumberDigits normalises a typed card number and removes spaces,
// tabs and hyphens ("４２４２ 4242-4242 4242" → "4242424242424242"). Other
// characters are kept, so the result may still be invalid.
func CardNumberDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, NormalizeDigits(s))
}

// AllDigits reports whether s is non-empty and only ASCII digits.
func AllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Luhn reports whether a digit string passes the Luhn check.
func Luhn(digits string) bool {
	if len(digits) < 2 || !AllDigits(digits) {
		return false
	}
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// CardBrand returns the brand of a (possibly partial) card number by its
// IIN (docs/charges.md, "Test cards"): visa, mastercard, american_express,
// jcb, diners_club, discover, unionpay, maestro, or "" when unknown.
func CardBrand(number string) string {
	n := CardNumberDigits(number)
	if !AllDigits(n) {
		return ""
	}
	in := func(k, lo, hi int) bool {
		if len(n) < k {
			return false
		}
		v, _ := strconv.Atoi(n[:k])
		return v >= lo && v <= hi
	}
	switch {
	case n[0] == '4':
		return BrandVisa
	case in(2, 51, 55), in(4, 2221, 2720):
		return BrandMastercard
	case in(2, 34, 34), in(2, 37, 37):
		return BrandAmericanExpress
	case in(4, 3528, 3589):
		return BrandJCB
	case in(3, 300, 305), in(2, 36, 36), in(2, 38, 39):
		return BrandDinersClub
	case in(4, 6011, 6011), in(3, 644, 649), in(2, 65, 65):
		return BrandDiscover
	case in(2, 62, 62):
		return BrandUnionPay
	case in(2, 50, 50), in(2, 56, 58), n[0] == '6' && len(n) >= 2:
		return BrandMaestro
	}
	return ""
}
