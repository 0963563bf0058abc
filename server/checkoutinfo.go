package server

import (
	"net/http"

	"kessai/api"
	"kessai/server/domain"
)

// cardBrandTraits are the per-brand flags of supported_brands for cards
// (the values of the UnivaPay documentation's checkout_info example).
var cardBrandTraits = map[string]struct{ authCapture, installments bool }{
	api.BrandVisa:            {true, true},
	api.BrandMastercard:      {true, false},
	api.BrandJCB:             {true, true},
	api.BrandAmericanExpress: {false, false},
	api.BrandDinersClub:      {false, false},
	api.BrandDiscover:        {true, false},
	api.BrandUnionPay:        {true, false},
	api.BrandMaestro:         {true, false},
}

// onlineDynamicInfo are the online brands that need extra client data
// (dynamic_info true in the documentation's example).
var onlineDynamicInfo = map[string]bool{"alipay_plus_online": true, "we_chat_online": true}

// brandSupportsAuth reports support_auth_capture of a card brand.
func brandSupportsAuth(brand string) bool { return cardBrandTraits[brand].authCapture }

// sandboxPaidyPublicKey is the Paidy public key checkout_info shows when
// Paidy is enabled (the sandbox has no Paidy account).
const sandboxPaidyPublicKey = "pk_test_kessai_sandbox"

func ptr[T any](v T) *T { return &v }

// moneyView renders an amount as a MoneyAmount.
func moneyView(m domain.Money) api.MoneyAmount {
	return api.MoneyAmount{Amount: m.Amount, AmountFormatted: api.FormatAmount(m.Amount, m.Currency), Currency: m.Currency}
}

func moneyViews(ms []domain.Money) []api.MoneyAmount {
	out := make([]api.MoneyAmount, 0, len(ms))
	for _, m := range ms {
		out = append(out, moneyView(m))
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// checkoutInfo builds the checkout_info object of a store entirely from
// its configuration (docs/sandbox.md, "Store configuration").
func checkoutInfo(shop *domain.Store, mode api.Mode) *api.CheckoutInfo {
	cfg := &shop.Config
	priv := cfg.RecurringTokenPrivilege
	if priv == "" {
		priv = api.RecurringNone
	}
	var minAmount *api.MoneyAmount
	if cfg.InstallmentsMinChargeAmount != nil {
		minAmount = ptr(moneyView(*cfg.InstallmentsMinChargeAmount))
	}
	var maxPayout *string
	if cfg.InstallmentsMaxPayoutPeriod != "" {
		maxPayout = ptr(cfg.InstallmentsMaxPayoutPeriod)
	}
	payTypes := nonNil(cfg.InstallmentsPaymentTypes)
	info := &api.CheckoutInfo{
		Mode:                      mode,
		RecurringTokenPrivilege:   priv,
		Name:                      shop.Name,
		CardConfiguration:         cardConfigurationView(cfg),
		SubscriptionConfiguration: api.EnabledFlag{Enabled: cfg.SubscriptionsEnabled},
		InstallmentsConfiguration: api.InstallmentsConfiguration{
			Enabled:               cfg.InstallmentsEnabled,
			CardProcessor:         api.CardProcessor{Revolving: cfg.InstallmentsEnabled, FixedCycle: cfg.InstallmentsEnabled},
			SupportedPaymentTypes: payTypes,
			MinChargeAmount:       minAmount,
			MaxPayoutPeriod:       maxPayout,
			OnlyWithProcessor:     true,
		},
		SubscriptionPlanConfiguration: api.SubscriptionPlanConfiguration{
			Enabled:               cfg.SubscriptionsEnabled,
			FixedCycle:            cfg.SubscriptionsEnabled,
			FixedCycleAmount:      cfg.SubscriptionsEnabled,
			SupportedPaymentTypes: payTypes,
			MinChargeAmount:       minAmount,
			MaxPayoutPeriod:       maxPayout,
		},
		CheckoutConfiguration: api.CheckoutConfiguration{ECEmail: api.EnabledFlag{Enabled: true},
			ECProducts: api.EnabledFlag{Enabled: len(cfg.Products) > 0}},
		Products: cfg.Products,
		ConvenienceConfiguration: api.ConvenienceConfiguration{
			Enabled:             cfg.KonbiniEnabled,
			Expiration:          cfg.KonbiniExpiration,
			ExpirationTimeShift: konbiniTimeShift,
		},
		PaidyConfiguration: api.EnabledFlag{Enabled: cfg.PaidyEnabled},
		LogoImage:          cfg.LogoImage,
		Theme:              api.Theme{Colors: effectiveTheme(cfg)},
		RecurringCardChargeCVVConfirmation: api.CVVConfirmation{
			Enabled:   cfg.CVVConfirmationEnabled,
			Threshold: moneyViews(cfg.CVVConfirmationThreshold),
		},
		OnlineConfiguration: api.EnabledFlag{Enabled: cfg.OnlineEnabled},
		BankTransferConfiguration: api.BankTransferConfiguration{
			Enabled:                       cfg.BankTransferEnabled,
			MatchAmount:                   "disabled",
			Expiration:                    cfg.BankTransferExpiration,
			ExpirationTimeShift:           bankTransferTimeShift,
			VirtualBankAccountsThreshold:  5,
			VirtualBankAccountsFetchCount: 10,
			DefaultExtensionPeriod:        "PT24H",
			MaximumExtensionPeriod:        "PT720H",
			RemindNotificationPeriod:      "PT72H",
		},
		SupportedBrands: supportedBrands(cfg),
	}
	if cfg.PaidyEnabled {
		info.PaidyPublicKey = ptr(sandboxPaidyPublicKey)
	}
	return info
}

// The deadline time shifts of konbini and bank-transfer payments (values of
// the documentation, not applied by the sandbox).
var (
	konbiniTimeShift      = api.ExpirationTimeShift{Value: "13:00:00+09:00"}
	bankTransferTimeShift = api.ExpirationTimeShift{Value: "11:00:00+09:00"}
)

// cardConfigurationView is the card_configuration object of checkout_info,
// /me and /stores/{id}.
func cardConfigurationView(cfg *domain.StoreConfig) api.CardConfiguration {
	return api.CardConfiguration{
		Enabled:                     cfg.CardEnabled,
		DebitEnabled:                cfg.DebitEnabled,
		PrepaidEnabled:              cfg.PrepaidEnabled,
		DebitAuthorizationEnabled:   cfg.DebitEnabled,
		PrepaidAuthorizationEnabled: cfg.PrepaidEnabled,
		OnlyDirectCurrency:          cfg.OnlyDirectCurrency,
		AllowedCountriesByIP:        cfg.AllowedCountriesByIP,
		ForeignCardsAllowed:         cfg.ForeignCardsAllowed,
		AllowEmptyCVV:               cfg.AllowEmptyCVV,
		AllowDirectTokenCreation:    cfg.AllowDirectTokenCreation,
		ThreeDSRequired:             cfg.ThreeDSRequired,
		ThreeDSAddressRequired:      cfg.ThreeDSAddressRequired,
	}
}

// supportedBrands lists the brands of every enabled payment type, in the
// order card, konbini, online, bank transfer, Paidy; each type's brands in
// the order of the configuration.
func supportedBrands(cfg *domain.StoreConfig) []api.SupportedBrand {
	out := []api.SupportedBrand{}
	jpy := func() []string { return []string{"JPY"} }
	other := func(pt api.PaymentType, brand string) api.SupportedBrand {
		return api.SupportedBrand{PaymentType: pt, Brand: brand, SupportAuthCapture: true, SupportedCurrencies: jpy()}
	}
	if cfg.CardEnabled {
		for _, b := range cfg.CardBrands {
			t := cardBrandTraits[b]
			out = append(out, api.SupportedBrand{
				PaymentType:         api.PaymentTypeCard,
				Brand:               b,
				CardBrand:           b,
				SupportAuthCapture:  t.authCapture,
				RequiresCVV:         !cfg.AllowEmptyCVV,
				CountriesAllowed:    cfg.CardCountries,
				SupportedCurrencies: nonNil(cfg.CardCurrencies),
				CVVAuth:             true,
				InstallmentCapable:  t.installments && cfg.InstallmentsEnabled,
			})
		}
	}
	if cfg.KonbiniEnabled {
		for _, b := range cfg.KonbiniBrands {
			out = append(out, other(api.PaymentTypeKonbini, b))
		}
	}
	if cfg.OnlineEnabled {
		for _, b := range cfg.OnlineBrands {
			sb := other(api.PaymentTypeOnline, b)
			sb.OnlineBrand = b
			sb.DynamicInfo = onlineDynamicInfo[b]
			out = append(out, sb)
		}
	}
	if cfg.BankTransferEnabled {
		sb := other(api.PaymentTypeBankTransfer, "aozora_bank")
		sb.SupportAuthCapture = false
		out = append(out, sb)
	}
	if cfg.PaidyEnabled {
		out = append(out, other(api.PaymentTypePaidy, "paidy"))
	}
	return out
}

func (s *Server) handleCheckoutInfo(r *http.Request, p *principal) (int, any, error) {
	shop, err := s.storage.GetStore(r.Context(), p.app.StoreID)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, checkoutInfo(shop, p.app.Mode), nil
}

func (s *Server) checkoutRoutes(m *apiMux) {
	s.handle(m, "GET /checkout_info", true, "The store's checkout settings, read by the widget when it opens.", s.handleCheckoutInfo)
}
