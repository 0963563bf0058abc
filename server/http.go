package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"kessai/api"
)

// maxBodyBytes is the request-body limit (docs/sandbox-api.md, "Metadata": 256 KB).
const maxBodyBytes = 256 << 10

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
	s.requestLogRoutes(m)
	s.appTokenRoutes(m)
	s.formRoutes(m)
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
// (docs/sandbox-api.md, "Authentication and access"). The app token is not known yet, so the origin is echoed;
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

// apiHandler serves a request whose caller is authenticated: the layers
// of the handler chain that handle builds.
type apiHandler func(w http.ResponseWriter, r *http.Request, p *principal)

// handle registers an authenticated API route. public marks the routes a
// secret-less (browser) app token may call (docs/sandbox-api.md, "Authentication and access"); summary is its
// line in docs/endpoints.md. A request goes through a chain of layers:
// authentication (and CORS) → request log → rate limits → idempotency →
// fn, whose result is written as JSON.
func (s *Server) handle(m *apiMux, pattern string, public bool, summary string, fn handlerFunc) {
	m.public[pattern] = public
	s.routeTable = append(s.routeTable, Route{Pattern: pattern, Public: public, Summary: summary})
	m.mux.Handle(pattern, s.authenticated(public, s.logged(s.rateLimited(pattern, s.idempotent(s.serveJSON(fn))))))
}

// exposedHeaders are the response headers a browser may read (CORS).
var exposedHeaders = strings.Join(append([]string{api.HeaderIdempotencyStatus}, rateLimitHeaders...), ", ")

// authenticated is the first layer of the handler chain: it authenticates
// the caller (authorize) and adds the CORS headers for a browser that
// passed the domain check.
func (s *Server) authenticated(public bool, next apiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.authorize(r, public)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if s.multiProcess() {
			// Another process may have moved the store's clock; on
			// SQLite (one process) every move goes through this one.
			s.clock.Refresh(r.Context(), p.app.StoreID)
		}
		if !p.withSecret && p.origin != "" {
			if o := r.Header.Get("Origin"); o != "" {
				w.Header().Set("Access-Control-Allow-Origin", o)
				w.Header().Set("Access-Control-Expose-Headers", exposedHeaders)
				w.Header().Add("Vary", "Origin")
			}
		}
		next(w, r, p)
	})
}

// serveJSON is the last layer of the handler chain: it runs fn and writes
// its result as JSON, or its error as an API error body.
func (s *Server) serveJSON(fn handlerFunc) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, p *principal) {
		status, body, err := fn(r, p)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if raw, ok := body.(json.RawMessage); ok {
			writeRaw(w, status, raw) // encoded already (a cached body)
			return
		}
		writeJSON(w, status, body)
	}
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
	if form, ok := s.linkFormRequest(r); ok {
		// A link form page instead of a merchant page (docs/link-forms.md,
		// "Authorisation").
		if err := s.linkFormAllowed(r.Context(), form, p); err != nil {
			return nil, err
		}
	} else {
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
	}
	if !public {
		return nil, errPermissions
	}
	return p, nil
}

// writeError writes err as an API error body: an *api.Error with its own
// status and code, a lost database as 503 SERVICE_UNAVAILABLE_TRY_AGAIN,
// anything else as 500 INTERNAL_ERROR (both logged).
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *api.Error
	switch {
	case errors.As(err, &ae):
	case databaseUnavailable(err):
		s.log.Error("database unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
		ae = api.NewError(http.StatusServiceUnavailable, api.CodeServiceUnavailable)
	default:
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
