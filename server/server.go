// Package server implements Kessai's REST API (a sandbox re-implementation
// of the UnivaPay API, see docs/architecture.md and api.md): authentication
// with app tokens (JWT, secrets, the widget domain check), the HTTP handlers
// (Go 1.22 ServeMux patterns), and the sandbox engine that settles charges.
//
// Persistence goes through the Storage interface (package server/domain);
// Open uses the SQLite implementation of package server/sqlite, or the
// PostgreSQL one of package server/postgres (docs/postgres.md).
package server

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"kessai/server/domain"
	"kessai/server/postgres"
	"kessai/server/sqlite"
)

// Storage is the persistence interface the server depends on; see
// domain.Storage. server/sqlite and server/postgres implement it.
type Storage = domain.Storage

// DefaultProcessingDelay is how long a sandbox card charge stays pending
// before the engine settles it (docs/sandbox.md).
const DefaultProcessingDelay = 300 * time.Millisecond

// Config configures a Server.
type Config struct {
	// DataDir is the directory of the SQLite file (kessai.db); created if
	// missing. Unused when Database is set.
	DataDir string
	// Database is empty for SQLite in DataDir, or a postgres:// or
	// postgresql:// URL for PostgreSQL (docs/postgres.md).
	Database string
	// PublicURL is the server's public base URL, e.g.
	// "http://localhost:8080". Its origin is the widget origin
	// (docs/sandbox-api.md, "Authentication and access" WIDGET_ORIGIN).
	PublicURL string
	// ProcessingDelay is how long card charges stay pending in the
	// sandbox; 0 means DefaultProcessingDelay.
	ProcessingDelay time.Duration
	// Logger receives server logs; nil means slog.Default().
	Logger *slog.Logger
	// PollWait is how long a ?polling=true request waits at most
	// (docs/sandbox-api.md, "Polling"); 0 means DefaultPollWait (3 s).
	PollWait time.Duration
	// Now is the real time under the sandbox clock; nil means time.Now.
	// Tests set it to hold real time still.
	Now func() time.Time
	// WebhookTimeout is how long a webhook receiver has to answer
	// (docs/webhooks.md); 0 means DefaultWebhookTimeout (3 s).
	WebhookTimeout time.Duration
	// LimitsOff switches every sandbox limit off: rate limits, charge
	// frequency, card lock and daily test charges (kessai serve
	// --limits=off; docs/limits.md). Idempotency keys still work.
	LimitsOff bool
	// MaxPolls bounds the polling requests that wait at once in this
	// process; beyond it a poll answers at once (docs/sandbox-api.md,
	// "Polling"). 0 means DefaultMaxPolls.
	MaxPolls int
}

// Server is the Kessai API server. Create it with Open and release it with
// Close.
type Server struct {
	storage      Storage
	log          *slog.Logger
	widgetOrigin string // normalised origin of Config.PublicURL, "" if none
	delay        time.Duration
	pollWait     time.Duration
	polls        chan struct{} // a slot per waiting poll (Config.MaxPolls)
	jwtKey       []byte
	clock        *Clock
	hooks        *webhookEngine // webhook delivery: HTTP client, workers
	handler      http.Handler
	routeTable   []Route

	settleMu sync.RWMutex // settlements (read) against POST /sandbox/reset (write)
	jobMu    sync.Mutex   // one engine pass at a time
	subMu    sync.Mutex   // with the lease subscriptionsLease: read-modify-write of subscriptions

	// followUpsStarted: the engine's first pass of follow-ups is done
	// (runFollowUps; guarded by jobMu).
	followUpsStarted bool

	changeMu sync.Mutex
	changed  chan struct{} // closed and replaced whenever a charge changes

	kick   chan struct{}
	cancel context.CancelFunc
	wg     sync.WaitGroup

	setupMu sync.Mutex // with the lease "setup" (lockSetup): CreateAppToken, EnsureDemo, the signing key

	idemLocks keyLocks     // one lock per idempotency key
	rates     *rateLimiter // rate-limit buckets
	limitsOff bool         // Config.LimitsOff
}

// Open opens the storage (SQLite in cfg.DataDir, or the PostgreSQL
// database cfg.Database), runs migrations, loads (or creates) the JWT
// signing key and starts the sandbox engine.
func Open(cfg Config) (*Server, error) {
	st, err := openStorage(cfg)
	if err != nil {
		return nil, err
	}
	s, err := New(cfg, st)
	if err != nil {
		st.Close()
		return nil, err
	}
	return s, nil
}

// openStorage opens the storage cfg selects: SQLite in cfg.DataDir when
// cfg.Database is empty, else the PostgreSQL database it names.
func openStorage(cfg Config) (Storage, error) {
	if cfg.Database == "" {
		db, err := sqlite.Open(cfg.DataDir)
		if err != nil {
			return nil, err
		}
		return db, nil
	}
	if !postgres.IsURL(cfg.Database) {
		return nil, errors.New("server: the database must be a postgres:// or postgresql:// URL, or empty for SQLite in the data directory")
	}
	db, err := postgres.Open(context.Background(), cfg.Database)
	if err != nil {
		return nil, err
	}
	return db, nil
}

// New creates a Server on an already opened Storage (which the Server then
// owns and closes in Close).
func New(cfg Config, st Storage) (*Server, error) {
	s := &Server{
		storage:   st,
		log:       cfg.Logger,
		delay:     cfg.ProcessingDelay,
		pollWait:  cfg.PollWait,
		changed:   make(chan struct{}),
		kick:      make(chan struct{}, 1),
		hooks:     newWebhookEngine(cfg.WebhookTimeout),
		rates:     newRateLimiter(maxBuckets),
		limitsOff: cfg.LimitsOff,
	}
	s.clock = NewClock(cfg.Now, st, s.kickEngine)
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.pollWait <= 0 {
		s.pollWait = DefaultPollWait
	}
	if cfg.MaxPolls <= 0 {
		cfg.MaxPolls = DefaultMaxPolls
	}
	s.polls = make(chan struct{}, cfg.MaxPolls)
	if s.delay <= 0 {
		s.delay = DefaultProcessingDelay
	}
	if cfg.PublicURL != "" {
		o, err := originOf(cfg.PublicURL)
		if err != nil {
			return nil, fmt.Errorf("server: invalid PublicURL %q: %w", cfg.PublicURL, err)
		}
		s.widgetOrigin = o
	}
	key, err := s.loadKey(context.Background())
	if err != nil {
		return nil, err
	}
	s.jwtKey = key
	s.handler = s.routes()

	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.hooks.ctx = ctx
	s.wg.Add(1)
	go s.engineLoop(ctx)
	return s, nil
}

const settingJWTKey = "jwt_signing_key"

func (s *Server) loadKey(ctx context.Context) ([]byte, error) {
	// Processes starting at once on a new database make one key.
	unlock, err := s.lockSetup(ctx)
	if err != nil {
		return nil, fmt.Errorf("server: load signing key: %w", err)
	}
	defer unlock()
	key, err := s.storage.GetSetting(ctx, settingJWTKey)
	if err == nil && len(key) >= 32 {
		return key, nil
	}
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return nil, fmt.Errorf("server: load signing key: %w", err)
	}
	key = make([]byte, 32)
	rand.Read(key)
	if err := s.storage.PutSetting(ctx, settingJWTKey, key); err != nil {
		return nil, fmt.Errorf("server: store signing key: %w", err)
	}
	return key, nil
}

// Clock returns the sandbox clock.
func (s *Server) Clock() *Clock { return s.clock }

// Close stops the sandbox engine and closes the storage.
func (s *Server) Close() error {
	s.cancel()
	s.wg.Wait()
	return s.storage.Close()
}

// Handler returns the REST API handler (all routes, CORS included).
func (s *Server) Handler() http.Handler { return s.handler }

// originOf returns the serialised origin "scheme://host[:port]" of an
// absolute URL (domain.ParseOrigin).
func originOf(raw string) (string, error) {
	if !strings.Contains(raw, "://") {
		return "", errors.New("not an absolute URL")
	}
	o, err := domain.ParseOrigin(raw)
	if err != nil {
		return "", err
	}
	return o.String(), nil
}
