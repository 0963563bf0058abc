package server

import (
	"kessai/api"
)

// cardBrand is the brand the API reports for a card number: unknown when
// the IIN matches none.
func cardBrand(n string) string {
	if b := api.CardBrand(n); b != "" {
		return b
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
// digits fails (docs/charges.md, "Test cards": numbers ending 1111).
func chargeFails(lastFour string) bool { return lastFour == "1111" }
