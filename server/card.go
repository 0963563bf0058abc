package server

import (
	"strconv"
	"strings"

	"kessai/api"
)

// luhnValid reports whether digits (only 0-9) pass the Luhn check.
func luhnValid(digits string) bool {
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

func allDigits(s string) bool {
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

// normaliseCardNumber removes spaces and hyphens and maps full-width digits
// (typed with a Japanese IME) to ASCII.
func normaliseCardNumber(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '-' || r == '\u3000':
		case r >= '０' && r <= '９':
			b.WriteByte(byte('0' + (r - '０')))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cardBrand detects the brand from the IIN (api.md §11.2).
func cardBrand(n string) string {
	prefix := func(k int) int {
		if len(n) < k {
			return -1
		}
		v, _ := strconv.Atoi(n[:k])
		return v
	}
	p1, p2, p3, p4 := prefix(1), prefix(2), prefix(3), prefix(4)
	switch {
	case p1 == 4:
		return api.BrandVisa
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720:
		return api.BrandMastercard
	case p2 == 34 || p2 == 37:
		return api.BrandAmericanExpress
	case p4 >= 3528 && p4 <= 3589:
		return api.BrandJCB
	case p3 >= 300 && p3 <= 305, p2 == 36, p2 == 38, p2 == 39:
		return api.BrandDinersClub
	case p4 == 6011, p3 >= 644 && p3 <= 649, p2 == 65:
		return api.BrandDiscover
	case p2 == 62:
		return api.BrandUnionPay
	case p2 == 50, p2 >= 56 && p2 <= 58, p1 == 6:
		return api.BrandMaestro
	}
	return api.BrandUnknown
}

// cardCountry is the sandbox issuer country: US for the seed's BIN 400002,
// JP otherwise.
func cardCountry(bin string) string {
	if bin == "400002" {
		return "US"
	}
	return "JP"
}

// testCards are the explicit sandbox test numbers, rejected in live mode.
var testCards = map[string]bool{
	"4000020000000000": true,
	"4111111111111111": true,
	"4242424242424242": true,
	"4012888888881881": true,
}

// chargeFails reports whether a test charge on a card with these last four
// digits fails (api.md §11.2: numbers ending 1111).
func chargeFails(lastFour string) bool { return lastFour == "1111" }
