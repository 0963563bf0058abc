package server

import (
	"math"
	"net/http"

	"kessai/api"
	"kessai/server/domain"
)

// Currencies (docs/sandbox-api.md, "Amounts and currencies"): JPY and USD
// are settled as requested; the others below are accepted and converted
// into JPY at these fixed rates (yen per major unit), unless the charge or
// the store asks for direct currencies only.
var jpyRates = map[string]float64{
	"EUR": 160, "GBP": 190, "AUD": 100, "CAD": 110, "CHF": 170, "CNY": 21, "HKD": 19,
	"KRW": 0.11, "NZD": 90, "SGD": 112, "THB": 4.3, "TWD": 4.7,
}

// directCurrency reports whether a currency is settled without conversion.
func directCurrency(currency string) bool { return currency == "JPY" || currency == "USD" }

// checkChargeCurrency refuses a currency the sandbox does not settle, and a
// converted one when only direct currencies are allowed
// (400 NO_DIRECT_CURRENCY_GATEWAY).
func checkChargeCurrency(currency string, onlyDirect bool) error {
	if directCurrency(currency) {
		return nil
	}
	if _, ok := jpyRates[currency]; !ok {
		return api.ValidationError(api.FieldError{Field: "currency", Reason: api.ReasonUnsupportedCurrency})
	}
	if onlyDirect {
		return api.NewError(http.StatusBadRequest, api.CodeNoDirectCurrencyGateway)
	}
	return nil
}

// setCharged records what a successful charge was charged: amount (minor
// units of the requested currency), converted into JPY when the requested
// currency is not settled directly.
func setCharged(c *domain.Charge, amount int64) {
	currency := c.Currency
	if !directCurrency(currency) {
		major := float64(amount) / math.Pow10(api.CurrencyDigits(currency))
		amount, currency = int64(math.Round(major*jpyRates[currency])), "JPY"
	}
	c.ChargedAmount, c.ChargedCurrency = &amount, &currency
}
