// Command kessai is the Kessai server: the UnivaPay-compatible checkout
// widget and sandbox REST API in one binary.
//
//	kessai serve [--addr :8080] [--data ./kessai-data] [--database postgres://…] [--public-url http://localhost:8080] [--limits on|off]
//	kessai apptoken create --domain D [--domain D2 ...] [--mode test|live] [--store ID] [--data DIR] [--database URL]
//	kessai store configure [--config store.json] [--products products.json] [--store ID] [--data DIR] [--database URL]
//	kessai store show [--store ID] [--data DIR] [--database URL]
//	kessai form create|update|list [--name N] [--config form.json] [--form ID] [--store ID] [--data DIR] [--database URL]
//
// Every command keeps its data in SQLite in --data, or with --database in
// that PostgreSQL database (docs/postgres.md).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"kessai/api"
	"kessai/examples"
	"kessai/server"
	"kessai/server/dashboard"
	"kessai/server/web"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "kessai:", err)
		os.Exit(1)
	}
}

const usage = `Kessai: a self-hostable UnivaPay-compatible checkout widget and sandbox API.

Usage:
  kessai serve [flags]             serve the widget, the API, the dashboard and the example merchant pages
  kessai apptoken create [flags]   create an app token and print it as JSON
  kessai store configure [flags]   change a store's configuration from a JSON file (docs/sandbox.md)
  kessai store show [flags]        print a store's configuration as JSON
  kessai form create [flags]       create a link form and print it as JSON, its url included (docs/link-forms.md)
  kessai form update [flags]       change a link form's name or settings
  kessai form list [flags]         print the store's link forms

Run "kessai <command> -h" (e.g. "kessai store configure -h") for the flags.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command")
	}
	switch {
	case args[0] == "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case args[0] == "apptoken" && len(args) > 1 && args[1] == "create":
		return createAppToken(ctx, args[2:], stdout, stderr)
	case args[0] == "store" && len(args) > 1 && (args[1] == "configure" || args[1] == "show"):
		return storeCommand(ctx, args[1], args[2:], stdout, stderr)
	case args[0] == "form" && len(args) > 1 && (args[1] == "create" || args[1] == "update" || args[1] == "list"):
		return formCommand(ctx, args[1], args[2:], stdout, stderr)
	case args[0] == "help" || args[0] == "-h" || args[0] == "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", strings.Join(args, " "))
}

// databaseFlag adds --database, where every command keeps its data
// instead of SQLite in --data.
func databaseFlag(fs *flag.FlagSet) *string {
	return fs.String("database", env("KESSAI_DATABASE", ""),
		"PostgreSQL database URL (postgres://user:password@host/dbname) to keep the data in instead of SQLite in --data; see docs/postgres.md (env KESSAI_DATABASE)")
}

// env returns the environment variable name's value, or def.
func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", env("KESSAI_ADDR", ":8080"), "listen address (env KESSAI_ADDR)")
	data := fs.String("data", env("KESSAI_DATA", "kessai-data"), "data directory: the SQLite database (unless --database) and the example shop's credentials; created if missing (env KESSAI_DATA)")
	database := databaseFlag(fs)
	public := fs.String("public-url", env("KESSAI_PUBLIC_URL", ""), "URL the widget and API are reached at; default http://localhost:PORT (env KESSAI_PUBLIC_URL)")
	limits := fs.String("limits", env("KESSAI_LIMITS", "on"), "on, or off to switch every sandbox limit off (rate limits, charge frequency, card lock, daily test charges) for load tests and fast CI suites; see docs/limits.md (env KESSAI_LIMITS)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	limitsOff, err := parseLimits(*limits)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	publicURL := *public
	if publicURL == "" {
		publicURL = fmt.Sprintf("http://localhost:%d", ln.Addr().(*net.TCPAddr).Port)
	}

	logw := newLogWriter(stderr)
	defer logw.Close()
	log := slog.New(slog.NewTextHandler(logw, nil))
	app, err := NewApp(ctx, Config{DataDir: *data, Database: *database, PublicURL: publicURL, Logger: log, LimitsOff: limitsOff})
	if err != nil {
		return err
	}
	defer app.Close()

	fmt.Fprintf(stdout, "Kessai is serving the widget and the sandbox API at %s\n", publicURL)
	fmt.Fprintf(stdout, "Sandbox dashboard (sign in with an app token's JWT and secret): %s\n", app.DashboardURL())
	fmt.Fprintf(stdout, "Example merchant pages (another origin, as a real shop would be):\n")
	for _, p := range app.ExamplePages() {
		fmt.Fprintf(stdout, "  %s\n", p)
	}
	if limitsOff {
		fmt.Fprintf(stdout, "The sandbox limits are off (--limits=off): no rate limits, charge frequency limit, card lock or daily test-charge limit.\n")
	}
	if app.DemoCreated != nil {
		b, _ := json.Marshal(app.DemoCreated)
		fmt.Fprintf(stdout, "Created the demo store and its test-mode app token (the secret is shown only this once):\n  %s\n", b)
	}

	srv := newHTTPServer(accessLog(log, app), defaultTransportLimits)
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(limitConns(ln, defaultTransportLimits.MaxConns)) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	}
}

// parseLimits reads the --limits value: "on" or "off"; it reports whether
// the limits are off.
func parseLimits(v string) (off bool, err error) {
	switch v {
	case "on":
		return false, nil
	case "off":
		return true, nil
	}
	return false, fmt.Errorf("serve: --limits (env KESSAI_LIMITS) must be on or off, not %q", v)
}

func createAppToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("apptoken create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var domains multiFlag
	fs.Var(&domains, "domain", "domain allowed to embed the widget (host, host:port or *); repeatable")
	mode := fs.String("mode", "test", "test or live")
	store := fs.String("store", "", "store id (default: the demo store)")
	data := fs.String("data", env("KESSAI_DATA", "kessai-data"), "data directory (env KESSAI_DATA)")
	database := databaseFlag(fs)
	public := fs.String("public-url", env("KESSAI_PUBLIC_URL", "http://localhost:8080"), "public URL of the server (env KESSAI_PUBLIC_URL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if len(domains) == 0 {
		return errors.New("apptoken create: at least one --domain is required")
	}
	if *mode != "test" && *mode != "live" {
		return fmt.Errorf("apptoken create: --mode must be test or live, not %q", *mode)
	}
	srv, err := server.Open(server.Config{DataDir: *data, Database: *database, PublicURL: *public})
	if err != nil {
		return err
	}
	defer srv.Close()
	tok, err := srv.CreateAppToken(ctx, server.AppTokenInput{StoreID: *store, Mode: *mode, Domains: domains})
	if err != nil {
		return err
	}
	return printJSON(stdout, tok)
}

// withProducts sets the key "products" of a configuration document to the
// list in the file (docs/sandbox.md, "Products").
func withProducts(doc []byte, file string) ([]byte, error) {
	list, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var items []json.RawMessage
	if err := json.Unmarshal(list, &items); err != nil {
		return nil, fmt.Errorf("%s is not a JSON list of products: %w", file, err)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(doc, &obj); err != nil || obj == nil {
		return nil, fmt.Errorf("the configuration is not a JSON object: %v", err)
	}
	obj["products"] = list
	return json.Marshal(obj)
}

// storeCommand runs "store configure" and "store show": both print the
// store's (new) configuration as JSON.
func storeCommand(ctx context.Context, cmd string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("store "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	store := fs.String("store", "", "store id (default: the demo store)")
	data := fs.String("data", env("KESSAI_DATA", "kessai-data"), "data directory (env KESSAI_DATA)")
	database := databaseFlag(fs)
	var config, products *string
	if cmd == "configure" {
		config = fs.String("config", "", `JSON file with the keys to change ("-" reads standard input); the others keep their values`)
		products = fs.String("products", "", `JSON file with the store's products, [{"code", "name", "amount", "currency"}, ...]: replaces the catalogue`)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("store %s: unexpected argument %q", cmd, fs.Arg(0))
	}
	var doc []byte
	if config != nil {
		var err error
		switch {
		case *config == "" && *products == "":
			return errors.New("store configure: --config FILE is required (or --products FILE)")
		case *config == "":
			doc = []byte("{}")
		case *config == "-":
			doc, err = io.ReadAll(os.Stdin)
		default:
			doc, err = os.ReadFile(*config)
		}
		if err != nil {
			return fmt.Errorf("store configure: %w", err)
		}
		if *products != "" {
			if doc, err = withProducts(doc, *products); err != nil {
				return fmt.Errorf("store configure: %w", err)
			}
		}
	}
	srv, err := server.Open(server.Config{DataDir: *data, Database: *database, Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		return err
	}
	defer srv.Close()
	var settings *server.StoreSettings
	if config != nil {
		settings, err = srv.ConfigureStore(ctx, *store, doc, false)
	} else {
		settings, err = srv.StoreConfiguration(ctx, *store)
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		var b strings.Builder
		what := *config
		if what == "" {
			what = *products
		}
		fmt.Fprintf(&b, "store configure: %s is not a valid store configuration:", what)
		return fieldErrors(&b, ae)
	}
	if err != nil {
		return err
	}
	return printJSON(stdout, settings)
}

// printJSON prints what a command made, indented, as the API shows it.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// fieldErrors ends the message in b with the field errors of a refused
// request, one per line, and returns it as the command's error.
func fieldErrors(b *strings.Builder, ae *api.Error) error {
	for _, fe := range ae.Errors {
		if fe.Field != "" {
			fmt.Fprintf(b, "\n  %s: %s", fe.Field, fe.Reason)
		} else {
			fmt.Fprintf(b, "\n  %s", fe.Reason)
		}
	}
	return errors.New(b.String())
}

// accessLog logs each API and page request (not the widget's static
// files): a sandbox is where a merchant's developer watches what their
// integration sends. Query strings are left out: they may carry app tokens.
func accessLog(log *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		switch p := r.URL.Path; {
		case strings.HasPrefix(p, "/web/"), p == "/app.js", p == "/wasm_exec.js", p == "/app.css",
			p == "/app-worker.js", p == "/manifest.webmanifest":
			return
		}
		log.Info("request", "method", r.Method, "host", r.Host, "path", r.URL.Path, "status", rec.status,
			"duration", time.Since(start).Round(time.Millisecond))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// Config configures an App.
type Config struct {
	DataDir string
	// Database is server.Config.Database: "" for SQLite in DataDir.
	Database  string
	PublicURL string
	Logger    *slog.Logger
	// ProcessingDelay overrides the sandbox's pending time (tests).
	ProcessingDelay time.Duration
	// LimitsOff switches every sandbox limit off (--limits=off).
	LimitsOff bool
}

// App is the whole server: API, widget and example merchant site, routed by
// path, with the example site sent to its own origin.
type App struct {
	api      *server.Server
	web      *web.Handler
	examples *examples.Site
	public   *url.URL
	mux      *http.ServeMux
	// DemoCreated is the demo app token when this start created it.
	DemoCreated *server.AppTokenCreated
}

// NewApp opens the store and builds the handlers. On the first start with
// an empty data directory it creates the demo merchant, store and app token.
func NewApp(ctx context.Context, cfg Config) (*App, error) {
	pub, err := url.Parse(cfg.PublicURL)
	if err != nil || pub.Scheme == "" || pub.Host == "" {
		return nil, fmt.Errorf("invalid public URL %q", cfg.PublicURL)
	}
	api, err := server.Open(server.Config{DataDir: cfg.DataDir, Database: cfg.Database, PublicURL: cfg.PublicURL, Logger: cfg.Logger,
		ProcessingDelay: cfg.ProcessingDelay, LimitsOff: cfg.LimitsOff})
	if err != nil {
		return nil, err
	}
	a := &App{api: api, public: pub, mux: http.NewServeMux()}
	demo, created, err := api.EnsureDemo(ctx)
	if err != nil {
		api.Close()
		return nil, err
	}
	if created {
		a.DemoCreated = &demo
		// The demo store shows a logo in the widget's header (showLogo).
		logo, _ := json.Marshal(map[string]string{"logo_image": pub.JoinPath("/web", web.DemoLogo).String()})
		if _, err := api.ConfigureStore(ctx, demo.StoreID, logo, false); err != nil {
			api.Close()
			return nil, err
		}
	}
	a.examples, err = examples.New(ctx, examples.Config{
		DataDir: cfg.DataDir, APIURL: cfg.PublicURL, WidgetURL: cfg.PublicURL,
		// The demo token is only seen on the start that creates it; the
		// example back end keeps its copy in the data directory, as a
		// merchant keeps its secret in its own configuration.
		Demo: demoCredentials(a.DemoCreated),
		NewToken: func(ctx context.Context) (examples.Credentials, error) {
			t, err := api.CreateAppToken(ctx, server.AppTokenInput{Mode: "test", Domains: []string{"localhost", "127.0.0.1"}})
			return examples.Credentials{JWT: t.JWT, Secret: t.Secret, StoreID: t.StoreID}, err
		},
	})
	if err != nil {
		api.Close()
		return nil, err
	}
	a.web, err = web.New(api, cfg.Logger)
	if err != nil {
		api.Close()
		return nil, err
	}
	for _, p := range web.Paths() {
		a.mux.Handle(p, a.web)
	}
	dash, err := dashboard.New(api.Handler())
	if err != nil {
		api.Close()
		return nil, err
	}
	a.mux.Handle(dashboard.Prefix, dash)
	a.mux.Handle(dashboard.Prefix+"/", dash)
	a.mux.Handle("/examples/", a.examplesOnOwnOrigin(a.examples))
	a.mux.Handle("/", api.Handler())
	return a, nil
}

func demoCredentials(t *server.AppTokenCreated) *examples.Credentials {
	if t == nil {
		return nil
	}
	return &examples.Credentials{JWT: t.JWT, Secret: t.Secret, StoreID: t.StoreID}
}

// ServeHTTP implements http.Handler.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

// Close closes the store.
func (a *App) Close() error { return a.api.Close() }

// DashboardURL is the sandbox dashboard's URL (docs/dashboard.md).
func (a *App) DashboardURL() string {
	return strings.TrimSuffix(a.public.String(), "/") + dashboard.Prefix
}

// ExamplePages returns the URLs of the example merchant pages.
func (a *App) ExamplePages() []string {
	base := a.examplesBase()
	var out []string
	for _, p := range examples.Pages {
		out = append(out, base+"/examples/"+p)
	}
	return out
}

// examplesBase is the example site's origin: the public URL's with
// localhost and 127.0.0.1 swapped, so that the merchant pages and the widget
// are different origins (the real cross-origin path).
func (a *App) examplesBase() string {
	host := a.public.Hostname()
	alt := "127.0.0.1"
	if host == "127.0.0.1" {
		alt = "localhost"
	}
	if p := a.public.Port(); p != "" {
		alt = net.JoinHostPort(alt, p)
	}
	return a.public.Scheme + "://" + alt
}

// examplesOnOwnOrigin redirects example pages requested on the widget's own
// origin to the example origin.
func (a *App) examplesOnOwnOrigin(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Host, a.public.Host) {
			http.Redirect(w, r, a.examplesBase()+r.URL.RequestURI(), http.StatusFound)
			return
		}
		h.ServeHTTP(w, r)
	})
}
