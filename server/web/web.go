// Package web serves the browser side of the widget: the loader
// /client/checkout.js, the iframe document /checkout (a go-app page whose
// Content-Security-Policy frame-ancestors lists the app token's domains) and
// the checkout app's wasm, pre-compressed and content-hashed.
package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
	esbuild "github.com/evanw/esbuild/pkg/api"
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"kessai/embed"
	"kessai/server/domain"
	"kessai/widget"
	"kessai/widget/tsdecl"
)

// DomainSource tells which domains may embed the widget for an app token
// (server.Server implements it).
type DomainSource interface {
	AppTokenDomains(ctx context.Context, jwt string) ([]string, error)
}

// Handler serves the widget's browser side.
type Handler struct {
	domains DomainSource
	forms   FormSource // nil: no link forms
	log     *slog.Logger
	mux     *http.ServeMux
	loader  asset
	decl    asset  // the TypeScript declarations of the loader's global
	wasm    *asset // nil until `make wasm` has run
	static  map[string]asset
	goapp   *app.Handler
}

// asset is a file kept in memory with its compressed forms.
type asset struct {
	body, br, gz []byte
	ctype        string
	etag         string
	cache        string
}

// New builds the handler from the embedded assets.
func New(domains DomainSource, log *slog.Logger) (*Handler, error) {
	if log == nil {
		log = slog.Default()
	}
	h := &Handler{domains: domains, log: log, mux: http.NewServeMux(), static: map[string]asset{}}
	h.forms, _ = domains.(FormSource)

	js, err := renderLoader()
	if err != nil {
		return nil, err
	}
	h.loader = newAsset(js, "text/javascript; charset=utf-8", "public, max-age=300")
	decl, err := tsdecl.Generate()
	if err != nil {
		return nil, err
	}
	h.decl = newAsset([]byte(decl), "application/typescript; charset=utf-8", "public, max-age=300")

	for _, name := range []string{"checkout.css", "icon.svg", "icon.png", DemoLogo} {
		b, err := fs.ReadFile(embed.Static, "static/"+name)
		if err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
		h.static["/web/"+name] = newAsset(b, contentType(name), "public, max-age=3600")
	}

	version := "dev"
	if raw, err := fs.ReadFile(embed.Web, "web/app.wasm"); err == nil {
		a := asset{body: raw, ctype: "application/wasm", cache: "public, max-age=31536000, immutable"}
		a.br, a.gz = compressedTwins(raw, log)
		sum := sha256.Sum256(raw)
		version = hex.EncodeToString(sum[:8])
		a.etag = `"` + version + `"`
		h.wasm = &a
	} else {
		log.Warn("the checkout app is not built: run `make wasm` (or `make run`)")
	}

	h.goapp = &app.Handler{
		Name:         "UnivaPay Checkout",
		Title:        "UnivaPay Checkout",
		Lang:         "ja",
		Version:      version,
		Resources:    resolver{version: version},
		Icon:         app.Icon{Default: "/web/icon.png", SVG: "/web/icon.svg"},
		LoadingLabel: " ",
		// Tell the loader at once that this document was allowed to render; a
		// frame blocked by frame-ancestors never runs it. The message carries
		// nothing, so "*" leaks nothing.
		RawHeaders: []string{`<script>parent.postMessage('{"type":"` + string(widget.MsgHello) + `"}',"*")</script>`, prerenderScript,
			// The stylesheet inline: a linked one would block the first paint
			// of the pre-rendered form by a request (docs/performance.md,
			// "Click to interactive").
			"<style>" + string(h.static["/web/checkout.css"].body) + "</style>"},
		// go-app registers a service worker unconditionally. The widget must
		// not keep a cache-first worker on its origin: this one removes itself.
		ServiceWorkerTemplate: `self.addEventListener("install",function(){self.skipWaiting()});` +
			`self.addEventListener("activate",function(){self.registration.unregister()});`,
	}
	// The server pre-renders the card form (prerender.go); the checkout
	// component lives in the wasm (a client-only main).
	app.Route("/checkout", func() app.Composer { return &shell{} })

	h.mux.HandleFunc("GET /client/checkout.js", h.serveLoader)
	h.mux.HandleFunc("GET /client/checkout.d.ts", h.serveDeclarations)
	h.mux.HandleFunc("GET /checkout", h.serveCheckout)
	h.formRoutes()
	// go-app's /app.css blocks the iframe's first paint, and go-app sends
	// it no-cache: it is served from memory with a day's cache instead
	// (docs/performance.md, "Click to interactive").
	rec := httptest.NewRecorder()
	h.goapp.ServeHTTP(rec, httptest.NewRequest("GET", "/app.css", nil))
	appCSS := newAsset(rec.Body.Bytes(), "text/css; charset=utf-8", "public, max-age=86400")
	h.mux.HandleFunc("GET /app.css", func(w http.ResponseWriter, r *http.Request) { serveAsset(w, r, appCSS) })
	for _, p := range []string{"/wasm_exec.js", "/app.js", "/app-worker.js", "/manifest.webmanifest"} {
		h.mux.Handle("GET "+p, h.goapp)
	}
	h.mux.HandleFunc("GET /web/", h.serveWeb)
	h.mux.HandleFunc("GET /qr.svg", h.serveQR)
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// DemoLogo is the demo store's logo, served under /web/ (its logo_image).
const DemoLogo = "demo-logo.svg"

// Paths lists the path patterns this handler answers, for the binary's
// router.
func Paths() []string {
	return []string{"/client/", "/checkout", "/wasm_exec.js", "/app.js", "/app-worker.js", "/manifest.webmanifest", "/app.css", "/web/", "/qr.svg", "/forms/"}
}

func (h *Handler) serveLoader(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	serveAsset(w, r, h.loader)
}

// serveDeclarations serves the TypeScript declarations of the loader's
// global (docs/widget.md, "The typed contract"), generated from package
// widget's types.
func (h *Handler) serveDeclarations(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	serveAsset(w, r, h.decl)
}

// serveCheckout serves the iframe document. Only the app token's domains
// may frame it (the browser enforces frame-ancestors; docs/architecture.md).
func (h *Handler) serveCheckout(w http.ResponseWriter, r *http.Request) {
	if h.wasm == nil {
		http.Error(w, "The checkout app is not built. Run `make wasm`.", http.StatusServiceUnavailable)
		return
	}
	ancestors := "'none'"
	domains, err := h.domains.AppTokenDomains(r.Context(), r.URL.Query().Get("appId"))
	if err != nil {
		// An unusable app token: let the frame render so that it can say
		// so (it can do nothing else: the API refuses the token).
		ancestors = "*"
	} else if len(domains) > 0 {
		ancestors = FrameAncestors(domains)
	}
	w.Header().Set("Content-Security-Policy", "frame-ancestors "+ancestors)
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	h.goapp.ServeHTTP(w, r)
}

// FrameAncestors turns app-token domains into a CSP frame-ancestors source
// list. Entries are read with domain.ParseWidgetDomain, as the API's domain
// check reads them; an entry it refuses never reaches the header.
func FrameAncestors(domains []string) string {
	var srcs []string
	for _, entry := range domains {
		d, err := domain.ParseWidgetDomain(entry)
		if err != nil {
			continue
		}
		if d.Any() {
			return "*"
		}
		hp := d.String()
		if d.Port == "" {
			hp += ":*"
		}
		srcs = append(srcs, "http://"+hp, "https://"+hp)
	}
	if len(srcs) == 0 {
		return "'none'"
	}
	return strings.Join(srcs, " ")
}

func (h *Handler) serveWeb(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if a, ok := h.static[p]; ok {
		serveAsset(w, r, a)
		return
	}
	if h.wasm != nil && p == h.goapp.Resources.Resolve("/web/app.wasm") {
		serveAsset(w, r, *h.wasm)
		return
	}
	http.NotFound(w, r)
}

// serveAsset writes a in the best encoding the client accepts.
func serveAsset(w http.ResponseWriter, r *http.Request, a asset) {
	hd := w.Header()
	hd.Set("Content-Type", a.ctype)
	hd.Set("Cache-Control", a.cache)
	hd.Set("Vary", "Accept-Encoding")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("ETag", a.etag)
	if match := r.Header.Get("If-None-Match"); match != "" && match == a.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := a.body
	accept := r.Header.Get("Accept-Encoding")
	switch {
	case len(a.br) > 0 && acceptsEncoding(accept, "br"):
		hd.Set("Content-Encoding", "br")
		body = a.br
	case len(a.gz) > 0 && acceptsEncoding(accept, "gzip"):
		hd.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	hd.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

// acceptsEncoding reports whether an Accept-Encoding header accepts enc
// with a non-zero quality (RFC 9110 §12.5.3).
func acceptsEncoding(header, enc string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), enc) {
			continue
		}
		for _, param := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(param), "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				return err == nil && q > 0
			}
		}
		return true
	}
	return false
}

func newAsset(b []byte, ctype, cache string) asset {
	sum := sha256.Sum256(b)
	a := asset{body: b, ctype: ctype, cache: cache, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	var buf bytes.Buffer
	bw := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	bw.Write(b)
	bw.Close()
	a.br = append([]byte(nil), buf.Bytes()...)
	buf.Reset()
	gw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	gw.Write(b)
	gw.Close()
	a.gz = append([]byte(nil), buf.Bytes()...)
	return a
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	}
	return "application/octet-stream"
}

// compressedTwins returns the build's pre-compressed forms of the wasm,
// dropping any that does not decompress to exactly raw (a build that
// skipped `precompress` must not serve an old wasm under the new hash).
func compressedTwins(raw []byte, log *slog.Logger) (br, gz []byte) {
	br, _ = fs.ReadFile(embed.Web, "web/app.wasm.br")
	gz, _ = fs.ReadFile(embed.Web, "web/app.wasm.gz")
	if br != nil {
		if got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br))); err != nil || !bytes.Equal(got, raw) {
			log.Warn("embed/web/app.wasm.br is not app.wasm compressed; serving without brotli (run `make wasm`)")
			br = nil
		}
	}
	if gz != nil {
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err == nil {
			var got []byte
			if got, err = io.ReadAll(zr); err == nil && !bytes.Equal(got, raw) {
				err = fmt.Errorf("differs")
			}
		}
		if err != nil {
			log.Warn("embed/web/app.wasm.gz is not app.wasm compressed; serving without gzip (run `make wasm`)")
			gz = nil
		}
	}
	return br, gz
}

// resolver points go-app's /web/app.wasm at the content-hashed URL, so that
// the wasm can be cached for a year and a new build is fetched at once.
type resolver struct{ version string }

func (r resolver) Resolve(p string) string {
	if p == "/web/app.wasm" {
		return "/web/app." + r.version + ".wasm"
	}
	return p
}

// renderLoader builds client/checkout.js from embed/static/checkout.js: the
// contract's constants (K.*, loaderDefines) are replaced with esbuild's
// define, and the result is minified to keep the merchant page's footprint
// small. Properties of the loader's internal objects end in "_" so that
// they can be mangled.
func renderLoader() ([]byte, error) {
	src, err := fs.ReadFile(embed.Static, "static/checkout.js")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	defines, err := loaderDefines()
	if err != nil {
		return nil, err
	}
	define := make(map[string]string, len(defines))
	for k, v := range defines {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("web: loader constant %s: %w", k, err)
		}
		define["K."+k] = string(b)
	}
	res := esbuild.Transform(string(src), esbuild.TransformOptions{
		Define:            define,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		MangleProps:       "_$",
		Charset:           esbuild.CharsetUTF8,
		// The browser floor of the UnivaPay widget documentation: Chrome 80, Safari 13.1.
		Engines: []esbuild.Engine{{Name: esbuild.EngineChrome, Version: "80"}, {Name: esbuild.EngineSafari, Version: "13.1"}, {Name: esbuild.EngineFirefox, Version: "72"}},
	})
	if len(res.Errors) > 0 {
		return nil, fmt.Errorf("web: loader: %s (line %d)", res.Errors[0].Text, lineOf(res.Errors[0].Location))
	}
	if bytes.Contains(res.Code, []byte("K.")) || !bytes.HasPrefix(res.Code, []byte("(function(")) {
		return nil, fmt.Errorf("web: loader: a K.* constant has no value in loaderDefines, or a constant became a global")
	}
	return res.Code, nil
}

func lineOf(l *esbuild.Location) int {
	if l == nil {
		return 0
	}
	return l.Line
}

// loaderDefines are the constants the loader needs, all from package
// widget: the message contract, the few parameter names it must read before
// the iframe exists (the app id, inline, the launch button's), and what it
// reports when the page may not embed the widget (widget.BlockedFrame).
func loaderDefines() (map[string]any, error) {
	c := widget.Contract()
	k := map[string]any{
		"MsgInit": c.MsgInit, "MsgOpen": c.MsgOpen, "MsgSubmit": c.MsgSubmit, "MsgClose": c.MsgClose,
		"MsgHello": c.MsgHello, "MsgReady": c.MsgReady, "MsgEvent": c.MsgEvent, "MsgInputs": c.MsgInputs,
		"MsgResize": c.MsgResize, "MsgClosed": c.MsgClosed, "MsgResult": c.MsgResult, "MsgConsole": c.MsgConsole,
		"ModePopup": c.ModePopup, "ModeInline": c.ModeInline, "SourceHTML": c.SourceHTML, "SourceJS": c.SourceJS,
		"EventError": c.EventError, "ErrorCallback": c.ErrorCallback,
	}
	for key, name := range map[string]string{
		"appId": "appId", "inline": "inline", "style": "style", "hoverStyle": "hoverStyle", "class": "class", "size": "size", "text": "text",
		"locale": "locale",
	} {
		param, ok := widget.LookupParam(name)
		if !ok {
			return nil, fmt.Errorf("web: parameter %q not in widget.Params()", name)
		}
		if a := param.HTML(); a != "" {
			k[key+"Attr"] = a
		}
		if n := param.JS(); n != "" {
			k[key+"Name"] = n
		}
		if key == "text" {
			k["textAttrs"] = strings.Join(param.Attrs(), ",") // a string: an array would become a global
			k["defaultText"] = param.Default
		}
	}
	ja, en := widget.BlockedFrame(widget.LocaleJA), widget.BlockedFrame(widget.LocaleEN)
	k["blockedJA"], k["blockedEN"] = ja.Message, en.Message
	k["blockedCode"], k["blockedStage"] = en.Code, en.Stage
	rej := en.SubmitError(widget.LocaleEN)
	k["blockedStatus"], k["blockedType"] = rej.Status, rej.Type
	downJA, downEN := widget.UnreachableFrame(widget.LocaleJA), widget.UnreachableFrame(widget.LocaleEN)
	k["downJA"], k["downEN"], k["downCode"] = downJA.Message, downEN.Message, downEN.Code
	return k, nil
}

// Loader returns client/checkout.js as the server sends it (minified), for
// the size report of make bench-size.
func Loader() ([]byte, error) { return renderLoader() }
