package server

import (
	"net/http"

	"kessai/api"
	"kessai/server/domain"
)

// cardBrandTraits are the per-brand flags of supported_brands (seed values).
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

// brandSupportsAuth reports support_auth_capture of a card brand.
func brandSupportsAuth(brand string) bool { return cardBrandTraits[brand].authCapture }

// defaultTheme are the theme colours of stores without their own.
var defaultTheme = api.ThemeColors{
	MainBackground:      "#FFFFFF",
	SecondaryBackground: "#F5F8FC",
	MainColor:           "#4C5F85",
	MainText:            "#FFFFFF",
	PrimaryText:         "#4C5F85",
	SecondaryText:       "#4C5F85",
	BaseText:            "#4C5F85",
}

func ptr[T any](v T) *T { return &v }

// checkoutInfo builds the checkout_info object of a store (api.md §10).
// Only card payments are enabled in this slice; every key of the shape is
// emitted.
func checkoutInfo(shop *domain.Store, mode api.Mode) *api.CheckoutInfo {
	cfg := shop.Config
	theme := defaultTheme
	if cfg.Theme != nil {
		theme = *cfg.Theme
	}
	priv := cfg.RecurringTokenPrivilege
	if priv == "" {
		priv = api.RecurringNone
	}
	allTypes := []string{"card", "konbini", "apple_pay", "paidy", "bank_transfer"}
	info := &api.CheckoutInfo{
		Mode:                    mode,
		RecurringTokenPrivilege: priv,
		Name:                    shop.Name,
		CardConfiguration: api.CardConfiguration{
			Enabled:                     cfg.CardEnabled,
			DebitEnabled:                true,
			PrepaidEnabled:              true,
			DebitAuthorizationEnabled:   true,
			PrepaidAuthorizationEnabled: true,
			ForeignCardsAllowed:         true,
			AllowEmptyCVV:               cfg.AllowEmptyCVV,
			AllowDirectTokenCreation:    true,
		},
		SubscriptionConfiguration: api.EnabledFlag{Enabled: cfg.SubscriptionsEnabled},
		InstallmentsConfiguration: api.InstallmentsConfiguration{
			SupportedPaymentTypes: allTypes,
			MaxPayoutPeriod:       ptr("P100Y"),
		},
		SubscriptionPlanConfiguration: api.SubscriptionPlanConfiguration{
			SupportedPaymentTypes: allTypes,
			MaxPayoutPeriod:       ptr("P100Y"),
		},
		CheckoutConfiguration: api.CheckoutConfiguration{ECEmail: api.EnabledFlag{Enabled: true}},
		ConvenienceConfiguration: api.ConvenienceConfiguration{
			Expiration:          "PT720H",
			ExpirationTimeShift: api.ExpirationTimeShift{Value: "13:00:00+09:00"},
		},
		LogoImage: cfg.LogoImage,
		Theme:     api.Theme{Colors: theme},
		RecurringCardChargeCVVConfirmation: api.CVVConfirmation{
			Threshold: []api.MoneyAmount{{Amount: 10000, AmountFormatted: api.FormatAmount(10000, "JPY"), Currency: "JPY"}},
		},
		BankTransferConfiguration: api.BankTransferConfiguration{
			MatchAmount:                   "disabled",
			Expiration:                    "PT168H",
			ExpirationTimeShift:           api.ExpirationTimeShift{Value: "11:00:00+09:00"},
			VirtualBankAccountsThreshold:  5,
			VirtualBankAccountsFetchCount: 10,
			DefaultExtensionPeriod:        "PT24H",
			MaximumExtensionPeriod:        "PT720H",
			RemindNotificationPeriod:      "PT72H",
		},
		SupportedBrands: []api.SupportedBrand{},
	}
	if cfg.CardEnabled {
		for _, b := range cfg.CardBrands {
			t := cardBrandTraits[b]
			info.SupportedBrands = append(info.SupportedBrands, api.SupportedBrand{
				PaymentType:         api.PaymentTypeCard,
				Brand:               b,
				CardBrand:           b,
				SupportAuthCapture:  t.authCapture,
				RequiresCVV:         !cfg.AllowEmptyCVV,
				SupportedCurrencies: []string{"JPY", "USD"},
				CVVAuth:             true,
				InstallmentCapable:  t.installments,
			})
		}
	}
	return info
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
