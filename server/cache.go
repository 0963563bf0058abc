package server

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"kessai/api"
	"kessai/server/domain"
	"kessai/server/postgres"
)

// The hot paths of the API (every authenticated request, POST /tokens,
// POST /charges, GET /checkout_info) read the caller's app token and store.
// They read them through docCache, which keeps the decoded documents (and
// the checkout_info each store's configuration renders) instead of reading
// and decoding them on every request (docs/performance.md, "Caches").
//
// A cached document is forgotten as soon as this process changes it
// (cachingStorage wraps the storage to see every change), and is read
// again at most docCacheTTL after it was loaded: a change made by another
// process (another server on the same PostgreSQL database, `kessai store
// configure` on the SQLite file) is seen within docCacheTTL.
const docCacheTTL = time.Second

// docCacheMax bounds each map of docCache; past it, the map is emptied.
const docCacheMax = 10000

// docCache holds app tokens and stores as loaded from the storage. Its
// values are shared: callers must not modify them.
type docCache struct {
	now func() time.Time // real time

	mu     sync.Mutex
	gen    uint64 // incremented by every forget: a load that began before is not kept
	apps   map[string]cached[domain.AppToken]
	stores map[string]*cachedStore

	jwts     sync.Map // JWT -> jwt.MapClaims (read only), at most docCacheMax
	jwtCount atomic.Int64
}

type cached[T any] struct {
	v  *T
	at time.Time
}

// cachedStore is a store and what is derived from it alone.
type cachedStore struct {
	cached[domain.Store]
	info sync.Map // api.Mode -> json.RawMessage: its checkout_info in that mode
}

func newDocCache(now func() time.Time) *docCache {
	return &docCache{now: now, apps: map[string]cached[domain.AppToken]{}, stores: map[string]*cachedStore{}}
}

// appToken returns the app token id, from the cache when fresh.
func (c *docCache) appToken(ctx context.Context, st domain.Storage, id string) (*domain.AppToken, error) {
	now := c.now()
	c.mu.Lock()
	e, ok := c.apps[id]
	gen := c.gen
	c.mu.Unlock()
	if ok && now.Sub(e.at) < docCacheTTL {
		return e.v, nil
	}
	v, err := st.GetAppToken(ctx, id)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.gen == gen {
		if len(c.apps) >= docCacheMax {
			clear(c.apps)
		}
		c.apps[id] = cached[domain.AppToken]{v, now}
	}
	c.mu.Unlock()
	return v, nil
}

// store returns the store id, from the cache when fresh.
func (c *docCache) store(ctx context.Context, st domain.Storage, id string) (*cachedStore, error) {
	now := c.now()
	c.mu.Lock()
	e := c.stores[id]
	gen := c.gen
	c.mu.Unlock()
	if e != nil && now.Sub(e.at) < docCacheTTL {
		return e, nil
	}
	v, err := st.GetStore(ctx, id)
	if err != nil {
		return nil, err
	}
	e = &cachedStore{cached: cached[domain.Store]{v, now}}
	c.mu.Lock()
	if c.gen == gen {
		if len(c.stores) >= docCacheMax {
			clear(c.stores)
		}
		c.stores[id] = e
	}
	c.mu.Unlock()
	return e, nil
}

// jwtClaims returns the claims of a JWT whose signature parse verified
// once. App-token JWTs carry no expiry: a token verified stays verified
// (it is the app token it names that is checked on every request).
func (c *docCache) jwtClaims(token string, parse func() (jwt.MapClaims, error)) (jwt.MapClaims, error) {
	if v, ok := c.jwts.Load(token); ok {
		return v.(jwt.MapClaims), nil
	}
	claims, err := parse()
	if err != nil {
		return nil, err
	}
	if _, has := claims["exp"]; !has && c.jwtCount.Add(1) <= docCacheMax {
		c.jwts.Store(token, claims)
	}
	return claims, nil
}

// checkoutInfo returns the store's checkout_info in mode, encoded.
func (e *cachedStore) checkoutInfo(mode api.Mode) json.RawMessage {
	if b, ok := e.info.Load(mode); ok {
		return b.(json.RawMessage)
	}
	b := json.RawMessage(mustJSON(checkoutInfo(e.v, mode)))
	e.info.Store(mode, b)
	return b
}

// forgetAppToken and forgetStore drop a document this process changed.
func (c *docCache) forgetAppToken(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.apps, id)
}

func (c *docCache) forgetStore(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.stores, id)
}

// cachingStorage is the server's storage: the storage it was given, with
// every change of an app token or a store dropping it from the cache.
type cachingStorage struct {
	domain.Storage
	cache *docCache
}

func (s cachingStorage) UpdateAppToken(ctx context.Context, t *domain.AppToken) error {
	defer s.cache.forgetAppToken(t.ID)
	return s.Storage.UpdateAppToken(ctx, t)
}

func (s cachingStorage) UpdateStore(ctx context.Context, st *domain.Store) error {
	defer s.cache.forgetStore(st.ID)
	return s.Storage.UpdateStore(ctx, st)
}

// Close closes the wrapped storage.
func (s cachingStorage) Close() error { return s.Storage.Close() }

// postgresDB returns the PostgreSQL storage, if that is the storage.
func (s *Server) postgresDB() (*postgres.DB, bool) {
	st := s.storage
	if c, ok := st.(cachingStorage); ok {
		st = c.Storage
	}
	db, ok := st.(*postgres.DB)
	return db, ok
}

// multiProcess reports whether other processes may serve the same data
// (PostgreSQL, docs/postgres.md, "Several processes"); SQLite is served
// by one process.
func (s *Server) multiProcess() bool {
	_, ok := s.postgresDB()
	return ok
}
