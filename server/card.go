package server

import (
	"kessai/api"
	"kessai/server/domain"
	"net/http"
	"slices"
	"strconv"
	"strings"
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

// cardToken validates the card data of a POST /tokens request into tok;
// the returned check applies the store's card rules once the request is
// valid. The card number and CVV are used here only and never kept.
func (s *Server) cardToken(req *api.TokenCreateRequest, p *principal, shop *domain.Store, tok *domain.TxToken, add func(field, reason string)) func() error {
	d := req.Data
	cardholder := strings.TrimSpace(d.Cardholder)
	if cardholder == "" {
		add("data.cardholder", api.ReasonRequiredValue)
	}
	number := api.CardNumberDigits(d.CardNumber)
	switch {
	case number == "":
		add("data.card_number", api.ReasonRequiredValue)
	case !api.AllDigits(number) || len(number) < 12 || len(number) > 19 || !api.Luhn(number):
		add("data.card_number", api.ReasonInvalidCardNumber)
	}
	now := tok.CreatedAt
	month, year := 0, 0
	ms, ys := strings.TrimSpace(string(d.ExpMonth)), strings.TrimSpace(string(d.ExpYear))
	if ms == "" {
		add("data.exp_month", api.ReasonRequiredValue)
	} else if m, err := strconv.Atoi(ms); err != nil || !api.AllDigits(ms) || m < 1 || m > 12 {
		add("data.exp_month", api.ReasonInvalidCardExpiration)
	} else {
		month = m
	}
	if ys == "" {
		add("data.exp_year", api.ReasonRequiredValue)
	} else if y, err := strconv.Atoi(ys); err != nil || !api.AllDigits(ys) || (len(ys) != 2 && len(ys) != 4) {
		add("data.exp_year", api.ReasonInvalidCardExpiration)
	} else {
		if len(ys) == 2 {
			y += 2000
		}
		year = y
	}
	if month != 0 && year != 0 {
		switch {
		case year < now.Year():
			add("data.exp_year", api.ReasonInvalidCardExpiration)
		case year == now.Year() && month < int(now.Month()):
			add("data.exp_month", api.ReasonInvalidCardExpiration)
		}
	}
	cvv := strings.TrimSpace(string(d.CVV))
	if cvv != "" && (!api.AllDigits(cvv) || len(cvv) < 3 || len(cvv) > 4) {
		add("data.cvv", api.ReasonInvalidCVV)
	}
	if d.Country != "" && !countryRe.MatchString(d.Country) {
		add("data.country", api.ReasonInvalidFormatCountry)
	}
	var phoneCC *int
	if d.PhoneNumber != nil && d.PhoneNumber.CountryCode != "" {
		cc, err := strconv.Atoi(strings.TrimPrefix(string(d.PhoneNumber.CountryCode), "+"))
		if err != nil || cc <= 0 {
			add("data.phone_number.country_code", api.ReasonInvalidPhoneNumber)
		} else {
			phoneCC = &cc
		}
	}
	cvvAuth := req.CVVAuthorize
	if d.CVVAuthorize != nil {
		cvvAuth = d.CVVAuthorize
	}
	if cvvAuth != nil && cvvAuth.Currency != "" && !currencyRe.MatchString(cvvAuth.Currency) {
		add("data.cvv_authorize.currency", api.ReasonInvalidFormatCurrency)
	}
	s.tokenThreeDS(req, tok, add)

	if len(number) >= 12 {
		tok.Card = &domain.Card{
			Cardholder:  cardholder,
			ExpMonth:    month,
			ExpYear:     year,
			BIN:         number[:6],
			LastFour:    number[len(number)-4:],
			Brand:       cardBrand(number),
			Country:     cardCountry(number[:6]),
			Fingerprint: s.cardFingerprint(number),
		}
	}
	tok.Billing = &domain.Billing{
		Line1: optString(d.Line1), Line2: optString(d.Line2), State: optString(d.State),
		City: optString(d.City), Zip: optString(d.Zip), PhoneCountryCode: phoneCC,
	}
	if c := optString(d.Country); c != nil {
		up := strings.ToUpper(*c)
		tok.Billing.Country = &up
	}
	if d.PhoneNumber != nil {
		tok.Billing.PhoneLocalNumber = optString(string(d.PhoneNumber.LocalNumber))
	}
	if cvvAuth != nil && bool(cvvAuth.Enabled) && req.Type != api.TokenTypeOneTime {
		cur := strings.ToUpper(cvvAuth.Currency)
		if cur == "" {
			cur = "JPY"
		}
		at := now.Add(s.delay)
		tok.CVVAuth = domain.CVVAuth{Enabled: true, Status: ptr(api.CVVAuthPending), Currency: &cur, ProcessAt: &at}
	}
	return func() error {
		if !shop.Config.CardEnabled {
			return api.NewError(http.StatusBadRequest, api.CodeCardProcessingDisabled)
		}
		if !slices.Contains(shop.Config.CardBrands, tok.Card.Brand) {
			return api.NewError(http.StatusBadRequest, api.CodeCardBrandNotSupported)
		}
		if !cardCountryAllowed(&shop.Config, tok.Card.Country) {
			return api.NewError(http.StatusBadRequest, api.CodeCardCountryNotSupported)
		}
		if p.app.Mode == api.ModeLive && testCards[number] {
			return api.NewError(http.StatusBadRequest, api.CodeNoTestCardInLiveMode)
		}
		if cvv == "" && !shop.Config.AllowEmptyCVV {
			return api.NewError(http.StatusBadRequest, api.CodeCVVRequired,
				api.FieldError{Field: "data.cvv", Reason: api.ReasonRequiredValue})
		}
		return nil
	}
}
