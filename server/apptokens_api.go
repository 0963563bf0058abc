package server

import (
	"errors"
	"net/http"
	"strings"

	"kessai/api"
	"kessai/server/domain"
)

// App tokens over the API (docs/sandbox.md, "App tokens"): Kessai
// additions for the dashboard, as UnivaPay manages app tokens in its
// merchant console. They act on the caller's store and need the secret.

// SandboxAppToken is an app token of the store as listed; Secret is set
// only in the answer of its creation (it is stored hashed).
type SandboxAppToken struct {
	ID        string   `json:"id"`
	JWT       string   `json:"jwt"`
	Secret    string   `json:"secret,omitempty"`
	Mode      api.Mode `json:"mode"`
	Domains   []string `json:"domains"`
	Active    bool     `json:"active"`
	CreatedOn string   `json:"created_on"`
	// Current: the token of this request.
	Current bool `json:"current"`
}

func (s *Server) appTokenRoutes(m *apiMux) {
	s.handle(m, "GET /sandbox/app_tokens", false, "Sandbox: the store's app tokens (never their secrets).", s.handleListAppTokens)
	s.handle(m, "POST /sandbox/app_tokens", false, `Sandbox: create an app token of the store ({"domains":["shop.example"],"mode":"test"}); the answer holds its secret, shown once.`, s.handleCreateAppToken)
	s.handle(m, "DELETE /sandbox/app_tokens/{appTokenId}", false, "Sandbox: revoke an app token of the store (not the one making the request).", s.handleRevokeAppToken)
}

func appTokenView(t *domain.AppToken, p *principal) SandboxAppToken {
	domains := t.Domains
	if domains == nil {
		domains = []string{}
	}
	return SandboxAppToken{ID: t.ID, JWT: t.JWT, Mode: t.Mode, Domains: domains, Active: t.Active,
		CreatedOn: api.FormatTime(t.CreatedAt), Current: t.ID == p.app.ID}
}

func (s *Server) handleListAppTokens(r *http.Request, p *principal) (int, any, error) {
	tokens, err := s.storage.ListAppTokens(r.Context(), p.app.StoreID)
	if err != nil {
		return 0, nil, err
	}
	out := api.List[SandboxAppToken]{Items: []SandboxAppToken{}, TotalHits: len(tokens)}
	for i := len(tokens) - 1; i >= 0; i-- { // newest first
		out.Items = append(out.Items, appTokenView(tokens[i], p))
	}
	return http.StatusOK, out, nil
}

func (s *Server) handleCreateAppToken(r *http.Request, p *principal) (int, any, error) {
	var req struct {
		Domains []string `json:"domains"`
		Mode    string   `json:"mode"`
	}
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	var errs []api.FieldError
	for _, d := range req.Domains {
		if _, err := domain.ParseWidgetDomain(d); strings.TrimSpace(d) != "" && err != nil {
			errs = append(errs, api.FieldError{Field: "domains", Reason: api.ReasonInvalidFormat})
			break
		}
	}
	if m := strings.ToLower(strings.TrimSpace(req.Mode)); m != "" && m != string(api.ModeTest) && m != string(api.ModeLive) {
		errs = append(errs, api.FieldError{Field: "mode", Reason: api.ReasonInvalidFormat})
	}
	if len(errs) > 0 {
		return 0, nil, api.ValidationError(errs...)
	}
	unlock, err := s.lockSetup(r.Context())
	if err != nil {
		return 0, nil, err
	}
	defer unlock()
	created, t, err := s.createAppToken(r.Context(), AppTokenInput{StoreID: p.app.StoreID, Mode: req.Mode, Domains: req.Domains})
	if err != nil {
		return 0, nil, err
	}
	v := appTokenView(t, p)
	v.Secret = created.Secret
	return http.StatusCreated, v, nil
}

func (s *Server) handleRevokeAppToken(r *http.Request, p *principal) (int, any, error) {
	ctx := r.Context()
	id := r.PathValue("appTokenId")
	t, err := s.storage.GetAppToken(ctx, id)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && t.StoreID != p.app.StoreID) {
		return 0, nil, errNotFound
	}
	if err != nil {
		return 0, nil, err
	}
	if t.ID == p.app.ID {
		return 0, nil, api.NewError(http.StatusConflict, api.CodeAppTokenInUse)
	}
	if t.Active {
		t.Active = false
		if err := s.storage.UpdateAppToken(ctx, t); err != nil {
			return 0, nil, err
		}
	}
	return http.StatusNoContent, nil, nil
}
