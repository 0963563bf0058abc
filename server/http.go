package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// maxBodyBytes is the request-body limit (api.md §5.3: 256 KB).
const maxBodyBytes = 256 << 10

// idempotencyTTL is how long a stored idempotent response is replayed.
const idempotencyTTL = 24 * time.Hour

// handlerFunc is an API handler: it returns the HTTP status and the value
// to encode as JSON, or an error (an *api.Error for request errors).
type handlerFunc func(r *http.Request, p *principal) (int, any, error)

// apiMux wraps the ServeMux with the allow-list of secret-less routes.
type apiMux struct {
	mux    *http.ServeMux
	public map[string]bool // pattern -> reachable without a secret
}

// Route is one route of the API, for the generated endpoint list
// (docs/endpoints.md).
type Route struct {
	Pattern string // "METHOD /path/{param}"
	// Public routes may be called without the secret (from a browser,
	// domain-checked).
	Public  bool
	Summary string
}

// Routes returns the API's routes in registration order.
func (s *Server) Routes() []Route { return s.routeTable }

func (s *Server) routes() http.Handler {
	m := &apiMux{mux: http.NewServeMux(), public: map[string]bool{}}
	m.mux.HandleFunc("GET /heartbeat", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, struct{}{})
	})
	s.routeTable = append(s.routeTable, Route{Pattern: "GET /heartbeat", Public: true, Summary: "Liveness check (the SDK's heartbeat)."})
	s.checkoutRoutes(m)
	s.tokenRoutes(m)
	s.chargeRoutes(m)
	s.captureRoutes(m)
	s.refundRoutes(m)
	s.cancelRoutes(m)
	s.subscriptionRoutes(m)
	s.webhookRoutes(m)
	s.merchantRoutes(m)
	s.sandboxRoutes(m)
	return doubleSlashFix(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serveHTTP(m, w, r) }))
}

var probeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete}

// serveHTTP answers CORS preflights and turns unknown routes into JSON
// 404/405 errors before dispatching to the mux.
func (s *Server) serveHTTP(m *apiMux, w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodOptions {
		s.preflight(m, w, r)
		return
	}
	if _, pat := m.mux.Handler(r); pat == "" {
		var allow []string
		for _, meth := range probeMethods {
			probe := r.Clone(r.Context())
			probe.Method = meth
			if _, p := m.mux.Handler(probe); p != "" {
				allow = append(allow, meth)
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			s.writeError(w, r, api.NewError(http.StatusMethodNotAllowed, api.CodeNotAllowed))
			return
		}
		s.writeError(w, r, errNotFound)
		return
	}
	m.mux.ServeHTTP(w, r)
}

// preflight answers a CORS preflight for the secret-less allow-list
// (api.md §1.5). The app token is not known yet, so the origin is echoed;
// the actual request is domain-checked and only gets
// Access-Control-Allow-Origin when it passes.
func (s *Server) preflight(m *apiMux, w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	method := r.Header.Get("Access-Control-Request-Method")
	if method == "" {
		method = http.MethodGet
	}
	probe := r.Clone(r.Context())
	probe.Method = method
	_, pat := m.mux.Handler(probe)
	h := w.Header()
	h.Add("Vary", "Origin")
	if pat != "" && m.public[pat] && origin != "" {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Methods", method)
		h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key")
		h.Set("Access-Control-Max-Age", "600")
	}
	w.WriteHeader(http.StatusNoContent)
}

// handle registers an authenticated API route. public marks the routes a
// secret-less (browser) app token may call (api.md §1.6); summary is its
// line in docs/endpoints.md.
func (s *Server) handle(m *apiMux, pattern string, public bool, summary string, fn handlerFunc) {
	m.public[pattern] = public
	s.routeTable = append(s.routeTable, Route{Pattern: pattern, Public: public, Summary: summary})
	m.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		p, err := s.authorize(r, public)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if !p.withSecret && p.origin != "" {
			if o := r.Header.Get("Origin"); o != "" {
				w.Header().Set("Access-Control-Allow-Origin", o)
				w.Header().Set("Access-Control-Expose-Headers", api.HeaderIdempotencyStatus)
				w.Header().Add("Vary", "Origin")
			}
		}
		if key := r.Header.Get(api.HeaderIdempotencyKey); key != "" {
			if r.Method != http.MethodPost && r.Method != http.MethodPatch {
				w.Header().Set(api.HeaderIdempotencyStatus, api.IdempotencyDisabled)
			} else {
				s.serveIdempotent(w, r, p, key, fn)
				return
			}
		}
		status, body, err := fn(r, p)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, status, body)
	})
}

// authorize authenticates the request, applies the domain check to
// secret-less requests and enforces the secret-less allow-list.
func (s *Server) authorize(r *http.Request, public bool) (*principal, error) {
	p, err := s.authenticate(r.Context(), r.Header.Get("Authorization"))
	if err != nil {
		return nil, err
	}
	if p.withSecret {
		return p, nil
	}
	origin, ok, err := s.effectiveOrigin(r)
	if err != nil {
		return nil, err
	}
	if ok {
		if !domainAllowed(p.app.Domains, origin) {
			return nil, errInvalidDom
		}
		p.origin = origin
	}
	if !public {
		return nil, errPermissions
	}
	return p, nil
}

// serveIdempotent runs fn under an Idempotency-Key (api.md §5.1): a stored
// response for the key is replayed; otherwise fn runs and its response
// (status < 500) is stored.
func (s *Server) serveIdempotent(w http.ResponseWriter, r *http.Request, p *principal, key string, fn handlerFunc) {
	s.idemMu.Lock()
	defer s.idemMu.Unlock()
	ctx := r.Context()
	scope := p.app.MerchantID + ":" + string(p.app.Mode)
	idemStatus := api.IdempotencyStored
	prev, err := s.storage.GetIdempotentResponse(ctx, scope, key)
	switch {
	case err == nil && s.clock.Now(p.app.StoreID).Sub(prev.CreatedAt) < idempotencyTTL:
		if prev.Method != r.Method || prev.Path != r.URL.Path {
			w.Header().Set(api.HeaderIdempotencyStatus, api.IdempotencyConflictingKey)
			s.writeError(w, r, api.NewError(http.StatusConflict, api.CodeIdempotencyKeyConflict))
			return
		}
		if !json.Valid(prev.Body) {
			s.writeError(w, r, api.NewError(http.StatusInternalServerError, api.CodeUnableToGetIdempotentResult))
			return
		}
		w.Header().Set(api.HeaderIdempotencyStatus, api.IdempotencyRetrieved)
		writeRaw(w, prev.Status, prev.Body)
		return
	case err == nil, errors.Is(err, domain.ErrNotFound):
	default:
		s.log.Error("idempotency read failed", "err", err)
		idemStatus = api.IdempotencyError
	}

	status, body, ferr := fn(r, p)
	var raw []byte
	if ferr != nil {
		var ae *api.Error
		if !errors.As(ferr, &ae) {
			w.Header().Set(api.HeaderIdempotencyStatus, idemStatus)
			s.writeError(w, r, ferr)
			return
		}
		status, raw = ae.Status, mustJSON(ae.Body())
	} else {
		raw = mustJSON(body)
	}
	if idemStatus == api.IdempotencyStored && status < 500 {
		rec := &domain.IdempotentResponse{Scope: scope, Key: key, Method: r.Method, Path: r.URL.Path,
			Status: status, Body: raw, CreatedAt: s.clock.Now(p.app.StoreID)}
		if err := s.storage.PutIdempotentResponse(context.WithoutCancel(ctx), rec); err != nil {
			s.log.Error("idempotency write failed", "err", err)
			idemStatus = api.IdempotencyError
		}
	}
	w.Header().Set(api.HeaderIdempotencyStatus, idemStatus)
	writeRaw(w, status, raw)
}

// writeError writes err as an API error body: an *api.Error with its own
// status and code, anything else as 500 INTERNAL_ERROR (logged).
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *api.Error
	if !errors.As(err, &ae) {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		ae = api.NewError(http.StatusInternalServerError, api.CodeInternalError)
	}
	writeJSON(w, ae.Status, ae.Body())
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Only our own types are encoded; this is a programming error.
		panic(err)
	}
	return b
}

func writeJSON(w http.ResponseWriter, status int, v any) { writeRaw(w, status, mustJSON(v)) }

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	if status == http.StatusNoContent {
		w.WriteHeader(status) // 204 carries no body (DELETE)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

// decodeBody decodes a JSON request body into dst, mapping problems to
// 400 VALIDATION_ERROR (too large, empty, malformed, wrong field types).
func decodeBody(r *http.Request, dst any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return api.ValidationError(api.FieldError{Reason: api.ReasonInvalidFormat})
	}
	if len(body) > maxBodyBytes {
		return api.ValidationError(api.FieldError{Reason: api.ReasonBodyTooLarge})
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return api.ValidationError(api.FieldError{Reason: api.ReasonRequiredValue})
	}
	if err := json.Unmarshal(body, dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return api.ValidationError(api.FieldError{Field: te.Field, Reason: api.ReasonInvalidFormat})
		}
		return api.ValidationError(api.FieldError{Reason: api.ReasonInvalidFormat})
	}
	return nil
}

// storeScoped returns 404 unless storeID is the caller's store.
func storeScoped(p *principal, storeID string) error {
	if storeID != p.app.StoreID {
		return errNotFound
	}
	return nil
}
