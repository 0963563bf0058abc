// Package examples is the demo merchant: shop pages that embed the widget
// in HTML, JS and inline mode, and the shop's back end, which receives the
// form and looks the charge up through the API with the app token's secret,
// as a real merchant's server would (over HTTP, with the API types of
// package api).
package examples

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"kessai/api"
)

//go:embed pages/*.html
var pages embed.FS

// Pages are the example merchant pages, relative to /examples/.
var Pages = []string{"html.html", "js.html", "inline.html", "token.html", "subscription.html"}

// Credentials are the shop's app token: the JWT goes into its pages, the
// secret stays on its server.
type Credentials struct {
	JWT     string `json:"jwt"`
	Secret  string `json:"secret"`
	StoreID string `json:"store_id"`
}

// Config configures the example shop.
type Config struct {
	// DataDir is where the shop keeps its credentials (examples.json).
	DataDir string
	// APIURL is the API base URL; WidgetURL where checkout.js is served.
	APIURL, WidgetURL string
	// Demo are the demo store's credentials when they were just created
	// (nil otherwise: the secret is shown only once).
	Demo *Credentials
	// NewToken creates fresh credentials when the shop has none.
	NewToken func(context.Context) (Credentials, error)
	// Client calls the API; http.DefaultClient when nil.
	Client *http.Client
}

// Site serves /examples/.
type Site struct {
	cfg   Config
	creds Credentials
	tmpl  *template.Template
}

// New loads (or creates and saves) the shop's credentials.
func New(ctx context.Context, cfg Config) (*Site, error) {
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 15 * time.Second}
	}
	s := &Site{cfg: cfg}
	path := filepath.Join(cfg.DataDir, "examples.json")
	switch b, err := os.ReadFile(path); {
	case cfg.Demo != nil:
		s.creds = *cfg.Demo
	case err == nil:
		if err := json.Unmarshal(b, &s.creds); err != nil {
			return nil, fmt.Errorf("examples: %s: %w", path, err)
		}
	case errors.Is(err, os.ErrNotExist) && cfg.NewToken != nil:
		if s.creds, err = cfg.NewToken(ctx); err != nil {
			return nil, fmt.Errorf("examples: %w", err)
		}
	default:
		return nil, fmt.Errorf("examples: %w", err)
	}
	b, _ := json.MarshalIndent(s.creds, "", "  ")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, fmt.Errorf("examples: %w", err)
	}
	var err error
	s.tmpl, err = template.ParseFS(pages, "pages/*.html")
	if err != nil {
		return nil, err
	}
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/examples/")
	switch {
	case name == "" || name == "index.html":
		s.render(w, "index.html", s.page("Examples"))
	case name == "result":
		s.result(w, r)
	case contains(Pages, name):
		s.render(w, name, s.page(strings.TrimSuffix(name, ".html")))
	default:
		http.NotFound(w, r)
	}
}

type pageData struct {
	Title, WidgetURL, AppID string
	Received                []field
	Charge                  *api.Charge
	Token                   *api.TransactionToken
	Subscription            *api.Subscription
	Errors                  []string
}

type field struct{ Name, Value string }

func (s *Site) page(title string) pageData {
	return pageData{Title: title, WidgetURL: s.cfg.WidgetURL, AppID: s.creds.JWT}
}

func (s *Site) render(w http.ResponseWriter, name string, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := s.tmpl.ExecuteTemplate(w, name, d); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// result is the shop's back end: it shows the form it received and reads
// the charge, subscription and token through the API with the secret.
func (s *Site) result(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	d := s.page("Result")
	for name, vals := range r.Form {
		for _, v := range vals {
			d.Received = append(d.Received, field{name, v})
		}
	}
	sort.Slice(d.Received, func(i, j int) bool { return d.Received[i].Name < d.Received[j].Name })
	if id := r.Form.Get("univapayChargeId"); id != "" {
		var ch api.Charge
		if err := s.get(r.Context(), "/stores/"+url.PathEscape(s.creds.StoreID)+"/charges/"+url.PathEscape(id)+"?polling=true", &ch); err != nil {
			d.Errors = append(d.Errors, "charge: "+err.Error())
		} else {
			d.Charge = &ch
		}
	}
	if id := r.Form.Get("univapaySubscriptionId"); id != "" {
		var sub api.Subscription
		if err := s.get(r.Context(), "/stores/"+url.PathEscape(s.creds.StoreID)+"/subscriptions/"+url.PathEscape(id), &sub); err != nil {
			d.Errors = append(d.Errors, "subscription: "+err.Error())
		} else {
			d.Subscription = &sub
		}
	}
	if id := r.Form.Get("univapayTokenId"); id != "" {
		var t api.TransactionToken
		if err := s.get(r.Context(), "/stores/"+url.PathEscape(s.creds.StoreID)+"/tokens/"+url.PathEscape(id), &t); err != nil {
			d.Errors = append(d.Errors, "token: "+err.Error())
		} else {
			d.Token = &t
		}
	}
	s.render(w, "result.html", d)
}

// get calls the API as a merchant's server does: Bearer {secret}.{jwt}.
func (s *Site) get(ctx context.Context, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(s.cfg.APIURL, "/")+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+s.creds.Secret+"."+s.creds.JWT)
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		var eb api.ErrorBody
		if json.Unmarshal(body, &eb) == nil && eb.Code != "" {
			return eb.Err(resp.StatusCode)
		}
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return json.Unmarshal(body, out)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
