package server

import (
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"kessai/api"
	"kessai/server/domain"
)

// The payment types (docs/payment-methods.md): what differs between them
// when a token is created, dispatched from buildToken and startCharge.

// tokenBuilder builds the payment-type specific part of a token: build
// validates the request's data into tok (reporting field errors with add)
// and returns the check of the store's rules, run once the whole request
// is valid.
type tokenBuilder struct {
	// types are the token types the payment type allows.
	types []api.TokenType
	build func(s *Server, req *api.TokenCreateRequest, p *principal, shop *domain.Store, tok *domain.TxToken, add func(field, reason string)) func() error
}

var (
	allTokenTypes  = []api.TokenType{api.TokenTypeOneTime, api.TokenTypeSubscription, api.TokenTypeRecurring}
	noSubscription = []api.TokenType{api.TokenTypeOneTime, api.TokenTypeRecurring}
)

// tokenBuilders are the payment types POST /tokens accepts.
var tokenBuilders = map[api.PaymentType]tokenBuilder{
	api.PaymentTypeCard:         {allTokenTypes, (*Server).cardToken},
	api.PaymentTypeKonbini:      {noSubscription, (*Server).konbiniToken},
	api.PaymentTypeBankTransfer: {noSubscription, (*Server).bankTransferToken},
	api.PaymentTypeOnline:       {[]api.TokenType{api.TokenTypeOneTime}, (*Server).onlineToken},
	api.PaymentTypePaidy:        {allTokenTypes, (*Server).paidyToken},
}

// brandCheck is the check of a method's brand: the method enabled (else
// disabled), the brand among the store's.
func brandCheck(enabled bool, disabled string, field, brand string, brands []string) func() error {
	return func() error {
		if !enabled {
			return api.NewError(http.StatusBadRequest, disabled)
		}
		if !slices.Contains(brands, brand) {
			return api.ValidationError(api.FieldError{Field: field, Reason: api.ReasonUnsupportedBrand})
		}
		return nil
	}
}

// japanesePhone validates a konbini or Paidy phone number: country code 81
// (the default), a local number of 10 or 11 digits (separators ignored).
func japanesePhone(pn *api.PhoneNumberRequest, required bool, add func(field, reason string)) (cc int, local string) {
	if pn == nil || strings.TrimSpace(string(pn.LocalNumber)) == "" {
		if required {
			add("data.phone_number.local_number", api.ReasonRequiredValue)
		}
		return 81, ""
	}
	cc = 81
	if c := strings.TrimPrefix(strings.TrimSpace(string(pn.CountryCode)), "+"); c != "" {
		n, err := strconv.Atoi(c)
		switch {
		case err != nil:
			add("data.phone_number.country_code", api.ReasonInvalidPhoneNumber)
		case n != 81:
			add("data.phone_number.country_code", api.ReasonOnlyJapanesePhoneNumber)
		}
	}
	local = strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' || r == '(' || r == ')' {
			return -1
		}
		return r
	}, api.CardNumberDigits(string(pn.LocalNumber)))
	if !api.AllDigits(local) || len(local) < 10 || len(local) > 11 {
		add("data.phone_number.local_number", api.ReasonInvalidPhoneNumber)
	}
	return cc, local
}

func (s *Server) konbiniToken(req *api.TokenCreateRequest, _ *principal, shop *domain.Store, tok *domain.TxToken, add func(field, reason string)) func() error {
	d := req.Data
	k := &domain.KonbiniData{CustomerName: strings.TrimSpace(d.CustomerName), Store: strings.TrimSpace(d.ConvenienceStore)}
	if k.CustomerName == "" {
		add("data.customer_name", api.ReasonRequiredValue)
	}
	k.PhoneCountryCode, k.PhoneLocalNumber = japanesePhone(d.PhoneNumber, true, add)
	switch {
	case k.Store == "":
		add("data.convenience_store", api.ReasonRequiredValue)
	case !slices.Contains(api.KonbiniBrands, k.Store):
		add("data.convenience_store", api.ReasonInvalidFormat)
	}
	tok.Konbini = k
	tok.Expiration = expiration(d, tok, add)
	cfg := &shop.Config
	return brandCheck(cfg.KonbiniEnabled, api.CodeConvenienceProcessingDisabled, "data.convenience_store", k.Store, cfg.KonbiniBrands)
}

// expiration reads the deadline fields of a konbini or bank-transfer token.
func expiration(d api.TokenCreateData, tok *domain.TxToken, add func(field, reason string)) *domain.Expiration {
	e := domain.Expiration{Period: strings.TrimSpace(d.ExpirationPeriod), TimeShift: strings.TrimSpace(d.ExpirationTimeShift)}
	checkExpiration(e.Period, e.TimeShift, tok.CreatedAt, add)
	if e == (domain.Expiration{}) {
		return nil
	}
	return &e
}

func (s *Server) bankTransferToken(req *api.TokenCreateRequest, _ *principal, shop *domain.Store, tok *domain.TxToken, add func(field, reason string)) func() error {
	brand := strings.TrimSpace(req.Data.Brand)
	switch brand {
	case "":
		add("data.brand", api.ReasonRequiredValue)
	case api.BankTransferAozora:
	default:
		add("data.brand", api.ReasonUnsupportedBrand)
	}
	tok.BankTransferBrand = brand
	tok.Expiration = expiration(req.Data, tok, add)
	return func() error {
		if !shop.Config.BankTransferEnabled {
			return api.NewError(http.StatusBadRequest, api.CodeNoGatewaysAvailable)
		}
		return nil
	}
}

func (s *Server) onlineToken(req *api.TokenCreateRequest, _ *principal, shop *domain.Store, tok *domain.TxToken, add func(field, reason string)) func() error {
	d := req.Data
	o := &domain.OnlineData{Brand: strings.TrimSpace(d.Brand), CallMethod: api.CallMethod(strings.TrimSpace(d.CallMethod)),
		UserIdentifier: optString(d.UserIdentifier), OSType: optString(d.OSType)}
	if o.Brand == "" {
		o.Brand = strings.TrimSpace(d.Gateway)
	}
	methods, known := api.OnlineCallMethods[o.Brand]
	switch {
	case o.Brand == "":
		add("data.brand", api.ReasonRequiredValue)
	case !known:
		add("data.brand", api.ReasonInvalidFormat)
	case o.CallMethod == "":
		o.CallMethod = methods[0]
	case !slices.Contains(methods, o.CallMethod):
		add("data.call_method", api.ReasonUnsupportedCallMethod)
	}
	if o.Brand == api.OnlineWeChat && (o.CallMethod == api.CallSDK || o.CallMethod == api.CallWeb) && o.UserIdentifier == nil {
		add("data.user_identifier", api.ReasonRequiredValue)
	}
	if o.OSType != nil && *o.OSType != api.OSTypeIOS && *o.OSType != api.OSTypeAndroid {
		add("data.os_type", api.ReasonInvalidFormat)
	}
	if o.Brand == api.OnlineAlipayPlus && (o.CallMethod == api.CallHTTPGetMobile || o.CallMethod == api.CallApp) && o.OSType == nil {
		add("data.os_type", api.ReasonRequiredValue)
	}
	tok.Online = o
	cfg := &shop.Config
	return brandCheck(cfg.OnlineEnabled, api.CodeQRProcessingDisabled, "data.brand", o.Brand, cfg.OnlineBrands)
}

func (s *Server) paidyToken(req *api.TokenCreateRequest, _ *principal, shop *domain.Store, tok *domain.TxToken, add func(field, reason string)) func() error {
	d := req.Data
	pd := &domain.PaidyData{PaidyToken: strings.TrimSpace(d.PaidyToken), ShippingAddress: d.ShippingAddress}
	if pd.PaidyToken == "" {
		add("data.paidy_token", api.ReasonRequiredValue)
	}
	if cc, local := japanesePhone(d.PhoneNumber, false, add); local != "" {
		pd.PhoneCountryCode, pd.PhoneLocalNumber = &cc, &local
	}
	tok.Paidy = pd
	return func() error {
		if !shop.Config.PaidyEnabled {
			return api.NewError(http.StatusBadRequest, api.CodeNoGatewaysAvailable)
		}
		return nil
	}
}

// buyerIP is the address of a request's client, for the ip_address of an
// online token the widget created (the browser does not send it).
func buyerIP(r *http.Request) *string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil || host == "" {
		return nil
	}
	return &host
}

// methodTokenData fills the token object's data of the payment types other
// than card (docs/payment-methods.md).
func methodTokenData(t *domain.TxToken, d *api.TokenData) {
	if e := t.Expiration; e != nil {
		d.ExpirationPeriod, d.ExpirationTimeShift = optString(e.Period), optString(e.TimeShift)
	}
	switch {
	case t.Konbini != nil:
		k := t.Konbini
		d.CustomerName, d.ConvenienceStore = k.CustomerName, k.Store
		d.PhoneNumber = &api.TokenPhoneNumber{CountryCode: ptr(k.PhoneCountryCode), LocalNumber: ptr(k.PhoneLocalNumber)}
	case t.Online != nil:
		o := t.Online
		d.Brand, d.Gateway, d.CallMethod, d.UserIdentifier, d.OSType = o.Brand, o.Brand, o.CallMethod, o.UserIdentifier, o.OSType
	case t.Paidy != nil:
		if t.Paidy.PhoneLocalNumber != nil {
			d.PhoneNumber = &api.TokenPhoneNumber{CountryCode: t.Paidy.PhoneCountryCode, LocalNumber: t.Paidy.PhoneLocalNumber}
		}
		d.ShippingAddress = t.Paidy.ShippingAddress
	case t.PaymentType == api.PaymentTypeBankTransfer:
		d.Brand = t.BankTransferBrand
		d.MatchAmount = ptr(false)
		if a := t.Account; a != nil {
			d.BankCode, d.BankName = ptr(api.AozoraBankCode), ptr(api.AozoraBankName)
			d.BranchCode, d.BranchName = &a.BranchCode, &a.BranchName
			d.AccountNumber, d.AccountHolderName, d.AccountID = &a.AccountNumber, &a.HolderName, &a.ID
		}
	}
}
