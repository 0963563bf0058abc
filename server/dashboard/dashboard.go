// Package dashboard serves the sandbox dashboard at /dashboard: server-rendered
// pages where a developer signs in with an app token and sees the store's
// charges, tokens, subscriptions, webhooks, clock and configuration.
//
// The dashboard is a client of the REST API: every read and every action is
// a request to the API handler, made in-process with the session's
// "Bearer {secret}.{jwt}", so no rule of the API is written twice
// (docs/dashboard.md, "How it works").
package dashboard

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Prefix is the path the dashboard is mounted at.
const Prefix = "/dashboard"

// sessionCookie names the cookie holding the session ID.
const sessionCookie = "kessai_dashboard"

// sessionTTL is how long a session lives after its last use.
const sessionTTL = 12 * time.Hour

//go:embed templates/*.html static/*
var files embed.FS

// Handler serves the dashboard.
type Handler struct {
	api   http.Handler
	mux   *http.ServeMux
	pages map[string]*template.Template
	css   []byte
	// previewPage is the widget preview (static/preview.tmpl).
	previewPage *template.Template

	mu       sync.Mutex
	sessions map[string]*session
	now      func() time.Time
}

// session is a signed-in browser: the app token's credentials stay here, on
// the server; the browser holds only the random session ID.
type session struct {
	jwt, secret string
	storeID     string
	csrf        string
	flash       string
	flashErr    bool
	// ran is what the last clock move of the session ran, shown once.
	ran []any
	// newToken is the app token just created, with its secret, shown once.
	newToken map[string]any
	lastUsed time.Time
}

// New returns the dashboard over the API handler (server.Server.Handler()).
func New(apiHandler http.Handler) (*Handler, error) {
	h := &Handler{api: apiHandler, mux: http.NewServeMux(), sessions: map[string]*session{}, now: time.Now}
	if err := h.parseTemplates(); err != nil {
		return nil, err
	}
	css, err := fs.ReadFile(files, "static/style.css")
	if err != nil {
		return nil, err
	}
	h.css = css
	if h.previewPage, err = template.ParseFS(files, "static/preview.tmpl"); err != nil {
		return nil, err
	}
	h.routes()
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("Cache-Control", "no-store")
	h.mux.ServeHTTP(w, r)
}

// randomID returns 32 random bytes, URL-safe base64.
func randomID() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// current returns the request's session, or nil.
func (h *Handler) current(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.sessions[c.Value]
	if s == nil {
		return nil
	}
	if h.now().Sub(s.lastUsed) > sessionTTL {
		delete(h.sessions, c.Value)
		return nil
	}
	s.lastUsed = h.now()
	return s
}

// startSession stores a new session and sets its cookie (Secure when the
// request came over TLS).
func (h *Handler) startSession(w http.ResponseWriter, r *http.Request, s *session) {
	id := randomID()
	s.csrf = randomID()
	s.lastUsed = h.now()
	h.mu.Lock()
	for k, old := range h.sessions {
		if h.now().Sub(old.lastUsed) > sessionTTL {
			delete(h.sessions, k)
		}
	}
	h.sessions[id] = s
	h.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: Prefix, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
}

// endSession forgets the request's session and clears its cookie.
func (h *Handler) endSession(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		h.mu.Lock()
		delete(h.sessions, c.Value)
		h.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: Prefix, MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteStrictMode})
}

// setFlash keeps a message for the next page of the session.
func (h *Handler) setFlash(s *session, msg string, isErr bool) {
	h.mu.Lock()
	s.flash, s.flashErr = msg, isErr
	h.mu.Unlock()
}

// takeFlash returns and clears the session's message.
func (h *Handler) takeFlash(s *session) (string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	m, e := s.flash, s.flashErr
	s.flash, s.flashErr = "", false
	return m, e
}

// validCSRF reports whether the form carries the session's CSRF token.
func validCSRF(s *session, r *http.Request) bool {
	got := r.PostFormValue("csrf")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.csrf)) == 1
}

// apiResult is one answer of the API.
type apiResult struct {
	status int
	body   []byte
}

// ok reports a 2xx status.
func (a apiResult) ok() bool { return a.status >= 200 && a.status < 300 }

// decode reads the body as JSON into a generic value.
func (a apiResult) decode() (map[string]any, error) {
	var v map[string]any
	dec := json.NewDecoder(bytes.NewReader(a.body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// errorText is the API's error body as one line for a message.
func (a apiResult) errorText() string {
	b := strings.TrimSpace(string(a.body))
	if b == "" {
		return fmt.Sprintf("HTTP %d", a.status)
	}
	return fmt.Sprintf("HTTP %d: %s", a.status, b)
}

// call sends one request to the API handler in-process, authenticated with
// the session's credentials (docs/sandbox-api.md, "Authentication and access").
func (h *Handler) call(ctx context.Context, r *http.Request, s *session, method, path string, body any) apiResult {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return apiResult{status: http.StatusInternalServerError, body: []byte(err.Error())}
		}
		rd = bytes.NewReader(b)
	}
	return h.callRaw(ctx, r, s.secret+"."+s.jwt, method, path, rd)
}

// callRaw is call with a given Authorization credential.
func (h *Handler) callRaw(ctx context.Context, r *http.Request, cred, method, path string, body io.Reader) apiResult {
	req := httptest.NewRequestWithContext(ctx, method, path, body)
	req.Header.Set("Authorization", "Bearer "+cred)
	req.Header.Set("Accept", "application/json")
	if method == http.MethodGet {
		// The dashboard's reads stay out of the store's request log
		// (docs/dashboard.md, "The request log").
		req.Header.Set("X-Kessai-No-Request-Log", "1")
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r != nil {
		req.RemoteAddr = r.RemoteAddr
		req.Host = r.Host
	}
	rec := httptest.NewRecorder()
	h.api.ServeHTTP(rec, req)
	return apiResult{status: rec.Code, body: rec.Body.Bytes()}
}

// signIn checks the credentials against the API and returns the session.
func (h *Handler) signIn(r *http.Request, jwt, secret string) (*session, error) {
	jwt, secret = strings.TrimSpace(jwt), strings.TrimSpace(secret)
	if jwt == "" || secret == "" {
		return nil, errors.New("missing")
	}
	res := h.callRaw(r.Context(), r, secret+"."+jwt, http.MethodGet, "/stores", nil)
	if !res.ok() {
		return nil, errors.New(res.errorText())
	}
	v, err := res.decode()
	if err != nil {
		return nil, err
	}
	items, _ := v["items"].([]any)
	if len(items) == 0 {
		return nil, errors.New("no store")
	}
	first, _ := items[0].(map[string]any)
	id, _ := first["id"].(string)
	if id == "" {
		return nil, errors.New("no store")
	}
	return &session{jwt: jwt, secret: secret, storeID: id}, nil
}

// storePath is the API path of the session's store plus rest.
func (s *session) storePath(rest string) string {
	return "/stores/" + url.PathEscape(s.storeID) + rest
}
