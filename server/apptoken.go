package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// AppTokenInput describes an app token to create.
type AppTokenInput struct {
	// StoreID is the store the token is for; empty means the first store,
	// creating a demo merchant and store if there is none.
	StoreID string
	// Mode is "test" (default) or "live".
	Mode string
	// Domains are the registered widget domains (docs/sandbox-api.md, "Authentication and access"), e.g.
	// "localhost", "shop.example:3000" or "*".
	Domains []string
}

// AppTokenCreated is a newly created app token. Secret is shown only once:
// it is stored hashed.
type AppTokenCreated struct {
	JWT     string   `json:"jwt"`
	Secret  string   `json:"secret"`
	StoreID string   `json:"store_id"`
	Mode    string   `json:"mode"`
	Domains []string `json:"domains"`
}

// Demo names and settings.
const (
	DemoMerchantName = "Kessai デモ加盟店"
	DemoStoreName    = "Kessai デモストア"
	// DemoMerchantEmail is the demo merchant's e-mail address (GET /me).
	DemoMerchantEmail = "merchant@example.com"
	settingDemoToken  = "demo_app_token_id"
)

// DemoDomains are the domains of the demo app token.
var DemoDomains = []string{"localhost", "127.0.0.1"}

// CreateAppToken creates a store app token (JWT + secret).
func (s *Server) CreateAppToken(ctx context.Context, in AppTokenInput) (AppTokenCreated, error) {
	unlock, err := s.lockSetup(ctx)
	if err != nil {
		return AppTokenCreated{}, err
	}
	defer unlock()
	created, _, err := s.createAppToken(ctx, in)
	return created, err
}

func (s *Server) createAppToken(ctx context.Context, in AppTokenInput) (AppTokenCreated, *domain.AppToken, error) {
	mode := api.Mode(strings.ToLower(strings.TrimSpace(in.Mode)))
	if mode == "" {
		mode = api.ModeTest
	}
	if mode != api.ModeTest && mode != api.ModeLive {
		return AppTokenCreated{}, nil, fmt.Errorf("server: invalid mode %q (want test or live)", in.Mode)
	}
	var shop *domain.Store
	var err error
	if in.StoreID == "" {
		shop, err = s.firstStore(ctx)
	} else {
		shop, err = s.storage.GetStore(ctx, in.StoreID)
		if errors.Is(err, domain.ErrNotFound) {
			return AppTokenCreated{}, nil, fmt.Errorf("server: store %s not found", in.StoreID)
		}
	}
	if err != nil {
		return AppTokenCreated{}, nil, err
	}
	domains := []string{}
	for _, entry := range in.Domains {
		if strings.TrimSpace(entry) == "" {
			continue
		}
		d, err := domain.ParseWidgetDomain(entry)
		if err != nil {
			return AppTokenCreated{}, nil, fmt.Errorf("server: %w", err)
		}
		domains = append(domains, d.String())
	}
	secret := newSecret()
	t := &domain.AppToken{
		ID:         newID(),
		MerchantID: shop.MerchantID,
		StoreID:    shop.ID,
		Mode:       mode,
		Domains:    domains,
		SecretHash: hashSecret(secret),
		Active:     true,
		CreatorID:  shop.MerchantID,
		Version:    appTokenVersion,
		CreatedAt:  time.Now().UTC(),
	}
	if t.JWT, err = s.signJWT(t); err != nil {
		return AppTokenCreated{}, nil, err
	}
	if err := s.storage.CreateAppToken(ctx, t); err != nil {
		return AppTokenCreated{}, nil, err
	}
	return AppTokenCreated{JWT: t.JWT, Secret: secret, StoreID: t.StoreID, Mode: string(mode), Domains: domains}, t, nil
}

// firstStore returns the first store, creating the demo merchant and store
// when there is none.
func (s *Server) firstStore(ctx context.Context) (*domain.Store, error) {
	shops, err := s.storage.ListStores(ctx)
	if err != nil {
		return nil, err
	}
	if len(shops) > 0 {
		return shops[0], nil
	}
	now := time.Now().UTC()
	m := &domain.Merchant{ID: newID(), Name: DemoMerchantName, Email: DemoMerchantEmail, Verified: true, CreatedAt: now}
	if err := s.storage.CreateMerchant(ctx, m); err != nil {
		return nil, err
	}
	shop := &domain.Store{
		ID:         newID(),
		MerchantID: m.ID,
		Name:       DemoStoreName,
		Config:     domain.DefaultStoreConfig(),
		CreatedAt:  now,
	}
	if err := s.storage.CreateStore(ctx, shop); err != nil {
		return nil, err
	}
	s.log.Info("created demo store", "merchant_id", m.ID, "store_id", shop.ID)
	return shop, nil
}

// EnsureDemo makes sure a demo app token exists. On the first start with
// an empty store it creates a demo merchant, store and test-mode app token
// for DemoDomains and returns it with created=true (including the secret).
// Later calls return the existing demo token with created=false and an
// empty Secret (the secret is shown only once).
func (s *Server) EnsureDemo(ctx context.Context) (demo AppTokenCreated, created bool, err error) {
	unlock, err := s.lockSetup(ctx)
	if err != nil {
		return demo, false, err
	}
	defer unlock()
	id, err := s.storage.GetSetting(ctx, settingDemoToken)
	switch {
	case err == nil:
		t, err := s.storage.GetAppToken(ctx, string(id))
		if err == nil && t.Active {
			return viewAppToken(t), false, nil
		}
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return AppTokenCreated{}, false, err
		}
	case !errors.Is(err, domain.ErrNotFound):
		return AppTokenCreated{}, false, err
	default:
		// No demo recorded: if the store already has data (tokens created
		// with CreateAppToken), report the first active token of the first
		// store instead of creating another one.
		shops, err := s.storage.ListStores(ctx)
		if err != nil {
			return AppTokenCreated{}, false, err
		}
		if len(shops) > 0 {
			tokens, err := s.storage.ListAppTokens(ctx, shops[0].ID)
			if err != nil {
				return AppTokenCreated{}, false, err
			}
			for _, t := range tokens {
				if t.Active {
					return viewAppToken(t), false, nil
				}
			}
		}
	}
	demo, t, err := s.createAppToken(ctx, AppTokenInput{Mode: string(api.ModeTest), Domains: DemoDomains})
	if err != nil {
		return AppTokenCreated{}, false, err
	}
	if err := s.storage.PutSetting(ctx, settingDemoToken, []byte(t.ID)); err != nil {
		return AppTokenCreated{}, false, err
	}
	return demo, true, nil
}

func viewAppToken(t *domain.AppToken) AppTokenCreated {
	domains := t.Domains
	if domains == nil {
		domains = []string{}
	}
	return AppTokenCreated{JWT: t.JWT, StoreID: t.StoreID, Mode: string(t.Mode), Domains: domains}
}

// AppTokenDomains verifies an app-token JWT (signature, existing and active
// app token) and returns its registered domains, e.g. for the widget
// iframe's CSP frame-ancestors. The error is an *api.Error
// (INVALID_APP_TOKEN) for a bad token.
func (s *Server) AppTokenDomains(ctx context.Context, jwt string) ([]string, error) {
	t, err := s.verifyJWT(ctx, strings.TrimSpace(jwt))
	if err != nil {
		return nil, err
	}
	domains := t.Domains
	if domains == nil {
		domains = []string{}
	}
	return domains, nil
}
