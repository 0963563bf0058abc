package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"

	"kessai/api"
	"kessai/server/domain"
)

// merchantRoutes registers /me, stores, create_customer_id and the
// transaction history.
func (s *Server) merchantRoutes(m *apiMux) {
	s.handle(m, "GET /me", false, "The merchant of the app token and its configuration.", s.handleMe)
	s.handle(m, "GET /stores", false, "List the stores the app token may see (search by name or ID).", s.handleListStores)
	s.handle(m, "GET /stores/{storeId}", false, "Get a store and its configuration.", s.handleGetStore)
	s.handle(m, "POST /stores/{storeId}/create_customer_id", false, "The customer UUID of a merchant's customer ID (always the same for the same store and ID).", s.handleCreateCustomerID)
}

func (s *Server) handleMe(r *http.Request, p *principal) (int, any, error) {
	ctx := r.Context()
	m, err := s.storage.GetMerchant(ctx, p.app.MerchantID)
	if err != nil {
		return 0, nil, err
	}
	shop, err := s.merchantFirstStore(ctx, m.ID)
	if err != nil {
		return 0, nil, err
	}
	conf := storeConfigurationView(&shop.Config)
	conf.TransferSchedule = &api.TransferSchedule{WaitPeriod: "P7D", Period: "monthly"}
	return http.StatusOK, &api.Merchant{
		ID:                m.ID,
		Name:              m.Name,
		Email:             m.Email,
		NotificationEmail: m.Email,
		Verified:          m.Verified,
		CreatedOn:         api.FormatTime(m.CreatedAt),
		Configuration:     conf,
	}, nil
}

// merchantFirstStore is the merchant's first store, whose configuration
// GET /me shows as the merchant's.
func (s *Server) merchantFirstStore(ctx context.Context, merchantID string) (*domain.Store, error) {
	shops, err := s.storage.ListStores(ctx)
	if err != nil {
		return nil, err
	}
	for _, shop := range shops {
		if shop.MerchantID == merchantID {
			return shop, nil
		}
	}
	return nil, errors.New("merchant has no store")
}

func (s *Server) handleGetStore(r *http.Request, p *principal) (int, any, error) {
	id := r.PathValue("storeId")
	if err := storeScoped(p, id); err != nil {
		return 0, nil, err
	}
	shop, err := s.storage.GetStore(r.Context(), id)
	if errors.Is(err, domain.ErrNotFound) {
		return 0, nil, errNotFound
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, &api.Store{
		ID:            shop.ID,
		Name:          shop.Name,
		CreatedOn:     api.FormatTime(shop.CreatedAt),
		Configuration: storeConfigurationView(&shop.Config),
	}, nil
}

func (s *Server) handleListStores(r *http.Request, p *principal) (int, any, error) {
	q := r.URL.Query()
	page, filters, err := listParams(q)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	m, err := s.storage.GetMerchant(ctx, p.app.MerchantID)
	if err != nil {
		return 0, nil, err
	}
	all, err := s.storage.ListStores(ctx)
	if err != nil {
		return 0, nil, err
	}
	scope := listScope(p)
	search := strings.ToLower(strings.TrimSpace(q.Get("search")))
	var match []*domain.Store
	for _, shop := range all {
		switch {
		case shop.MerchantID != scope.MerchantID, scope.StoreID != "" && shop.ID != scope.StoreID:
			continue
		case search != "" && !strings.Contains(strings.ToLower(shop.Name), search) && !strings.HasPrefix(shop.ID, search):
			continue
		case filters.From != nil && shop.CreatedAt.Before(*filters.From),
			filters.To != nil && !shop.CreatedAt.Before(*filters.To):
			continue
		}
		match = append(match, shop)
	}
	list, err := pageOf(match, page, func(s *domain.Store) string { return s.ID })
	if err != nil {
		return 0, nil, listError(err)
	}
	return http.StatusOK, listView(list, func(shop *domain.Store) api.StoreListItem {
		return api.StoreListItem{ID: shop.ID, Name: shop.Name, CreatedOn: api.FormatTime(shop.CreatedAt), MerchantName: m.Name}
	}), nil
}

// pageOf cuts one page out of items held in memory, in creation (ID)
// order: newest first, or oldest first with page.Asc.
func pageOf[T any](items []T, page domain.Page, id func(T) string) (domain.List[T], error) {
	sorted := slices.Clone(items)
	slices.SortFunc(sorted, func(a, b T) int { return strings.Compare(id(a), id(b)) })
	if !page.Asc {
		slices.Reverse(sorted)
	}
	start := 0
	if page.Cursor != "" {
		i := slices.IndexFunc(sorted, func(it T) bool { return id(it) == page.Cursor })
		if i < 0 {
			return domain.List[T]{}, domain.ErrCursor
		}
		start = i + 1
	}
	rest := sorted[start:]
	n := min(page.Limit, len(rest))
	return domain.List[T]{Items: rest[:n], HasMore: len(rest) > n, TotalHits: len(sorted)}, nil
}

// customerNamespace is the UUID namespace of customer UUIDs.
var customerNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://kessai.invalid/customer_id"))

// customerUUID is the customer UUID of a merchant's customer ID in a store:
// a UUIDv5, so the same store and ID always give the same UUID.
func customerUUID(storeID, customerID string) string {
	return uuid.NewSHA1(customerNamespace, []byte(storeID+"\x00"+customerID)).String()
}

func (s *Server) handleCreateCustomerID(r *http.Request, p *principal) (int, any, error) {
	id := r.PathValue("storeId")
	if err := storeScoped(p, id); err != nil {
		return 0, nil, err
	}
	customerID := r.URL.Query().Get("customer_id")
	if customerID == "" {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
		if err != nil {
			return 0, nil, err
		}
		if len(bytes.TrimSpace(body)) > 0 {
			var req api.CustomerIDRequest
			r.Body = io.NopCloser(bytes.NewReader(body))
			if err := decodeBody(r, &req); err != nil {
				return 0, nil, err
			}
			customerID = req.CustomerID
		}
	}
	customerID = strings.TrimSpace(customerID)
	if customerID == "" {
		return 0, nil, api.ValidationError(api.FieldError{Field: "customer_id", Reason: api.ReasonRequiredValue})
	}
	return http.StatusOK, api.CustomerID{CustomerID: customerUUID(id, customerID)}, nil
}

// storeConfigurationView renders a store's configuration as the
// configuration object of GET /me and GET /stores/{storeId}. Values the
// sandbox does not model are null or false.
func storeConfigurationView(cfg *domain.StoreConfig) api.StoreConfiguration {
	var minAmounts, maxAmountsView []api.MoneyAmount
	for _, cur := range []string{"JPY", "USD"} {
		minAmounts = append(minAmounts, moneyView(domain.Money{Amount: 1, Currency: cur}))
		maxAmountsView = append(maxAmountsView, moneyView(domain.Money{Amount: maxAmounts[cur], Currency: cur}))
	}
	info := checkoutInfo(&domain.Store{Config: *cfg}, api.ModeTest)
	var descriptor *api.DescriptorConfiguration
	if cfg.Descriptor != nil {
		descriptor = &api.DescriptorConfiguration{Descriptor: *cfg.Descriptor}
	}
	var country *string
	if cfg.Country != "" {
		country = ptr(cfg.Country)
	}
	return api.StoreConfiguration{
		FlatFees:             []api.MoneyAmount{},
		LogoURL:              cfg.LogoImage,
		Country:              country,
		Language:             ptr("ja"),
		DisplayTimeZone:      ptr("Asia/Tokyo"),
		MinimumChargeAmounts: minAmounts,
		MaximumChargeAmounts: maxAmountsView,
		RecurringTokenConfiguration: api.RecurringTokenConfiguration{
			RecurringType:             info.RecurringTokenPrivilege,
			CardChargeCVVConfirmation: info.RecurringCardChargeCVVConfirmation,
		},
		SecurityConfiguration:         api.SecurityConfiguration{LimitRefundBySales: api.LimitRefundBySales{Period: "daily"}},
		CheckoutConfiguration:         info.CheckoutConfiguration,
		InstallmentsConfiguration:     info.InstallmentsConfiguration,
		SubscriptionPlanConfiguration: info.SubscriptionPlanConfiguration,
		SubscriptionConfiguration: api.SubscriptionSettings{
			Enabled:                   cfg.SubscriptionsEnabled,
			AllowMerchantAmountPatch:  true,
			AllowMerchantDueDatePatch: true,
		},
		CustomerManagementConfiguration: api.CustomerManagementConfiguration{Enabled: true},
		DescriptorProvidedConfiguration: descriptor,
		CardConfiguration:               info.CardConfiguration,
		QRScanConfiguration:             info.QRScanConfiguration,
		ConvenienceConfiguration: api.ConvenienceSettings{
			Enabled:             cfg.KonbiniEnabled,
			ExpirationTimeShift: konbiniTimeShift,
		},
		PaidyConfiguration:  info.PaidyConfiguration,
		OnlineConfiguration: info.OnlineConfiguration,
		BankTransferConfiguration: api.BankTransferSettings{
			Enabled:                cfg.BankTransferEnabled,
			ExpirationTimeShift:    bankTransferTimeShift,
			DefaultExtensionPeriod: info.BankTransferConfiguration.DefaultExtensionPeriod,
		},
	}
}
