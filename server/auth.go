package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"kessai/api"
	"kessai/server/domain"
)

// appTokenVersion is the "version" claim of issued app tokens.
const appTokenVersion = 1

// principal is the authenticated caller of a request.
type principal struct {
	app        *domain.AppToken
	withSecret bool
	// origin is the effective origin that passed the domain check, "" when
	// none was checked.
	origin string
}

var (
	errAuthMissing  = api.NewError(http.StatusUnauthorized, api.CodeAuthHeaderMissing)
	errInvalidToken = api.NewError(http.StatusUnauthorized, api.CodeInvalidAppToken)
	errInvalidCreds = api.NewError(http.StatusUnauthorized, api.CodeInvalidCredentials)
	errInvalidDom   = api.NewError(http.StatusUnauthorized, api.CodeInvalidDomain)
	errPermissions  = api.NewError(http.StatusForbidden, api.CodeInvalidPermissions)
	errNotFound     = api.NewError(http.StatusNotFound, api.CodeNotFound)
)

// credentials are the parts of an Authorization header.
type credentials struct {
	jwt    string // Bearer forms
	appID  string // ApplicationToken form
	secret string // "" when absent
}

// parseAuthorization splits an Authorization header value into its
// credentials (docs/sandbox-api.md, "Authentication and access"): "Bearer {jwt}",
// "Bearer {secret}.{jwt}" and the legacy "ApplicationToken {appId}|{secret}".
func parseAuthorization(h string) (credentials, error) {
	h = strings.TrimSpace(h)
	if h == "" {
		return credentials{}, errAuthMissing
	}
	scheme, rest, ok := strings.Cut(h, " ")
	rest = strings.TrimSpace(rest)
	if !ok || rest == "" {
		return credentials{}, errInvalidToken
	}
	switch strings.ToLower(scheme) {
	case "bearer":
		parts := strings.Split(rest, ".")
		for _, p := range parts {
			if p == "" {
				return credentials{}, errInvalidToken
			}
		}
		switch len(parts) {
		case 3:
			return credentials{jwt: rest}, nil
		case 4:
			return credentials{secret: parts[0], jwt: strings.Join(parts[1:], ".")}, nil
		}
	case "applicationtoken":
		id, secret, ok := strings.Cut(rest, "|")
		if ok && id != "" && secret != "" {
			return credentials{appID: id, secret: secret}, nil
		}
	}
	return credentials{}, errInvalidToken
}

// authenticate verifies the request's Authorization header and returns the
// app token it names. It does not perform the domain check.
func (s *Server) authenticate(ctx context.Context, h string) (*principal, error) {
	cred, err := parseAuthorization(h)
	if err != nil {
		return nil, err
	}
	var app *domain.AppToken
	if cred.jwt != "" {
		app, err = s.verifyJWT(ctx, cred.jwt)
	} else {
		app, err = s.activeAppToken(ctx, cred.appID)
	}
	if err != nil {
		return nil, err
	}
	p := &principal{app: app}
	if cred.secret != "" {
		if !secretMatches(app.SecretHash, cred.secret) {
			return nil, errInvalidCreds
		}
		p.withSecret = true
	}
	return p, nil
}

func (s *Server) activeAppToken(ctx context.Context, id string) (*domain.AppToken, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, errInvalidToken
	}
	app, err := s.docs.appToken(ctx, s.storage, id)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, errInvalidToken
	}
	if err != nil {
		return nil, err
	}
	if !app.Active {
		return nil, errInvalidToken
	}
	return app, nil
}

// verifyJWT checks an app-token JWT: HS256 signature with the server key,
// sub "app_token", a jti naming an existing active app token whose store
// and mode match the claims.
func (s *Server) verifyJWT(ctx context.Context, token string) (*domain.AppToken, error) {
	claims, err := s.docs.jwtClaims(token, func() (jwt.MapClaims, error) {
		claims := jwt.MapClaims{}
		_, err := jwt.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) { return s.jwtKey, nil },
			jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}))
		return claims, err
	})
	if err != nil {
		return nil, errInvalidToken
	}
	sub, _ := claims["sub"].(string)
	jti, _ := claims["jti"].(string)
	if sub != "app_token" || jti == "" {
		return nil, errInvalidToken
	}
	app, err := s.activeAppToken(ctx, jti)
	if err != nil {
		return nil, err
	}
	storeID, _ := claims["store_id"].(string)
	mode, _ := claims["mode"].(string)
	if storeID != app.StoreID || mode != string(app.Mode) {
		return nil, errInvalidToken
	}
	if v, _ := claims["version"].(float64); int(v) < appTokenVersion {
		return nil, api.NewError(http.StatusForbidden, api.CodeOutdatedAppToken)
	}
	return app, nil
}

// signJWT issues the JWT of an app token.
func (s *Server) signJWT(t *domain.AppToken) (string, error) {
	domains := t.Domains
	if domains == nil {
		domains = []string{}
	}
	claims := jwt.MapClaims{
		"sub":         "app_token",
		"iat":         t.CreatedAt.Unix(),
		"merchant_id": t.MerchantID,
		"store_id":    t.StoreID,
		"domains":     domains,
		"mode":        string(t.Mode),
		"creator_id":  t.CreatorID,
		"version":     t.Version,
		"jti":         t.ID,
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.jwtKey)
}

const secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// newSecret returns 32 random alphanumeric characters.
func newSecret() string {
	b := make([]byte, 32)
	out := make([]byte, 32)
	for i := 0; i < len(out); {
		rand.Read(b)
		for _, c := range b {
			if int(c) >= 256-256%len(secretAlphabet) { // reject for uniformity
				continue
			}
			out[i] = secretAlphabet[int(c)%len(secretAlphabet)]
			i++
			if i == len(out) {
				break
			}
		}
	}
	return string(out)
}

func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

func secretMatches(hash, secret string) bool {
	got := hashSecret(secret)
	return subtle.ConstantTimeCompare([]byte(got), []byte(hash)) == 1
}

// effectiveOrigin returns the origin to domain-check for a request
// (docs/sandbox-api.md, "Authentication and access"): the Origin header unless it is the widget origin or absent,
// then the "origin" query parameter. A widget-origin request without the
// parameter fails with INVALID_DOMAIN. ok is false when there is no origin.
func (s *Server) effectiveOrigin(r *http.Request) (origin string, ok bool, err error) {
	hdr := strings.TrimSpace(r.Header.Get("Origin"))
	fromWidget := false
	if hdr != "" {
		if o, perr := originOf(hdr); perr == nil && s.widgetOrigin != "" && o == s.widgetOrigin {
			fromWidget = true
		} else {
			return hdr, true, nil
		}
	}
	if q := strings.TrimSpace(r.URL.Query().Get("origin")); q != "" {
		return q, true, nil
	}
	if fromWidget {
		return "", false, errInvalidDom
	}
	return "", false, nil
}

// linkFormRequest tells whether a secret-less request comes from a link
// form page (docs/link-forms.md, "Authorisation"): it names the form with
// the query parameter "form" and comes from the widget origin, where this
// server serves the page (a same-origin GET carries no Origin header). A
// merchant page naming a form still has its own Origin and gets the domain
// check.
func (s *Server) linkFormRequest(r *http.Request) (formID string, ok bool) {
	formID = strings.TrimSpace(r.URL.Query().Get("form"))
	if formID == "" || s.widgetOrigin == "" {
		return "", false
	}
	hdr := strings.TrimSpace(r.Header.Get("Origin"))
	if hdr == "" {
		return formID, true
	}
	o, err := originOf(hdr)
	return formID, err == nil && o == s.widgetOrigin
}

// linkFormAllowed replaces the domain check for a link form page: the form
// must exist and belong to the app token's store. The page cannot be
// framed (frame-ancestors 'none'), so no other site acts through it.
func (s *Server) linkFormAllowed(ctx context.Context, formID string, p *principal) error {
	f, err := s.storage.GetForm(ctx, formID)
	if errors.Is(err, domain.ErrNotFound) || err == nil && f.StoreID != p.app.StoreID {
		return errInvalidDom
	}
	if err != nil {
		return err
	}
	p.origin = s.widgetOrigin
	return nil
}

// domainAllowed reports whether origin (e.g. "https://shop.example:3000",
// or a bare "host[:port]") matches one of the registered domains: "*"
// matches all; an entry with a port must match host and port; an entry
// without a port matches the host on any port; case-insensitive; no
// implicit sub-domains. An empty list matches nothing.
func domainAllowed(domains []string, origin string) bool {
	host, port, ok := splitOrigin(origin)
	for _, entry := range domains {
		d, err := domain.ParseWidgetDomain(entry)
		if err != nil {
			continue // never matches; creation refuses such entries
		}
		if d.Any() || ok && d.Matches(host, port) {
			return true
		}
	}
	return false
}

// splitOrigin returns the lower-cased host and the port (explicit or the
// scheme's default) of an origin (domain.ParseOrigin).
func splitOrigin(origin string) (host, port string, ok bool) {
	o, err := domain.ParseOrigin(origin)
	if err != nil {
		return "", "", false
	}
	return o.Host, o.Port, true
}
