package server

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"kessai/server/domain"
)

// Rate limits (docs/limits.md, "Rate limits"): token buckets per app
// token, refilled continuously at their per-minute rate on the sandbox
// clock of the app token's store. Creating tokens, charges and
// subscriptions draws on the charge bucket; every other request draws on
// both the bucket of its route (path template) and the bucket of its exact
// path and query. On SQLite the buckets live in this process's memory; on
// PostgreSQL they are stored, shared by every process of the database
// (docs/postgres.md, "Several processes").

// bucketClass is one kind of bucket: its capacity, refill rate and the
// headers that report them.
type bucketClass struct {
	name            string
	capacity        float64
	perMinute       float64
	remainingHeader string
	perMinuteHeader string
}

var (
	chargeBuckets = &bucketClass{"charge", 100, 3000, "X-Remaining-Requests", "X-Requests-Per-Minute"}
	routeBuckets  = &bucketClass{"route", 30, 1200, "X-Remaining-Requests-Route", "X-Requests-Per-Minute-Route"}
	exactBuckets  = &bucketClass{"exact", 10, 120, "X-Remaining-Requests-Exact", "X-Requests-Per-Minute-Exact"}
)

// rateLimitHeaders are every header the rate limits send (exposed to
// browsers by CORS).
var rateLimitHeaders = []string{
	chargeBuckets.remainingHeader, chargeBuckets.perMinuteHeader,
	routeBuckets.remainingHeader, routeBuckets.perMinuteHeader,
	exactBuckets.remainingHeader, exactBuckets.perMinuteHeader,
}

// refill is how long an empty bucket of the class takes to fill up.
func (c *bucketClass) refill() time.Duration {
	return time.Duration(c.capacity / c.perMinute * float64(time.Minute))
}

// chargeRoutes are the routes counted by the charge buckets.
var chargeRoutes = map[string]bool{"POST /tokens": true, "POST /charges": true, "POST /subscriptions": true}

// bucketKey names a bucket: the app token, the class and, for route and
// exact buckets, the path template or the exact path and query.
type bucketKey struct {
	app   string
	class *bucketClass
	path  string
}

type bucket struct {
	level    float64   // requests left (fractional while refilling)
	at       time.Time // sandbox time of level
	lastUsed time.Time // real time of the last request, for eviction
}

// rateLimiter holds the buckets. Full buckets are the same as absent
// ones, so buckets idle long enough to have refilled are dropped; at most
// max buckets are kept.
type rateLimiter struct {
	mu        sync.Mutex
	buckets   map[bucketKey]*bucket
	max       int
	nextSweep int

	storedSweep time.Time // real time of the last sweep of the stored buckets
}

// maxBuckets bounds the limiter's memory (a bucket is about 150 bytes).
const maxBuckets = 100_000

func newRateLimiter(limit int) *rateLimiter {
	return &rateLimiter{buckets: map[bucketKey]*bucket{}, max: limit, nextSweep: min(1024, limit)}
}

// take draws one request from each bucket of keys at sandbox time now
// (real is the real time, for eviction). It draws from none unless each
// has a request left. It returns whether the request may go on and each
// bucket's remaining requests after it, floored.
func (l *rateLimiter) take(now, real time.Time, keys ...bucketKey) (ok bool, remaining []int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buckets)+len(keys) > l.nextSweep {
		l.sweep(real, len(keys))
	}
	bs := make([]*bucket, len(keys))
	ok = true
	for i, k := range keys {
		b := l.buckets[k]
		if b == nil {
			b = &bucket{level: k.class.capacity, at: now}
			l.buckets[k] = b
		}
		if now.After(b.at) {
			// Multiply before dividing: 50 ms at 1200/min is exactly 1.
			b.level = math.Min(k.class.capacity, b.level+float64(now.Sub(b.at))*k.class.perMinute/float64(time.Minute))
		}
		// A clock reset (sandbox) moves now back: refill from there on.
		b.at = now
		b.lastUsed = real
		bs[i] = b
		if b.level < 1 {
			ok = false
		}
	}
	remaining = make([]int, len(keys))
	for i, b := range bs {
		if ok {
			b.level--
		}
		remaining[i] = int(math.Floor(b.level))
	}
	return ok, remaining
}

// sweep drops the buckets idle for longer than their class takes to
// refill (the sandbox clock never runs slower than real time, so they are
// full), then, when that is not enough, arbitrary ones until a tenth of
// max is free besides room for n more.
func (l *rateLimiter) sweep(real time.Time, n int) {
	for k, b := range l.buckets {
		if real.Sub(b.lastUsed) >= k.class.refill() {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets)+n > l.max {
		for k := range l.buckets {
			if len(l.buckets)+n <= l.max-l.max/10 {
				break
			}
			delete(l.buckets, k)
		}
	}
	l.nextSweep = min(max(2*len(l.buckets), 1024), l.max)
}

// storedSweepEvery is how often a process deletes the idle stored buckets.
const storedSweepEvery = time.Minute

// stored returns the bucket of k in storage.
func (k bucketKey) stored() domain.RateBucket {
	return domain.RateBucket{Key: k.app + " " + k.class.name + " " + k.path, Capacity: k.class.capacity, PerMinute: k.class.perMinute}
}

// takeStored is take on the buckets of st: each draw is one atomic
// statement; when one bucket is empty, the requests drawn from the others
// are given back. Once a minute (real) it first deletes the idle buckets.
func (l *rateLimiter) takeStored(ctx context.Context, st domain.RateBucketStorage, now, real time.Time, keys ...bucketKey) (ok bool, remaining []int, err error) {
	l.mu.Lock()
	sweep := real.Sub(l.storedSweep) >= storedSweepEvery
	if sweep {
		l.storedSweep = real
	}
	l.mu.Unlock()
	if sweep {
		if err := st.DeleteIdleRateBuckets(ctx); err != nil {
			return false, nil, err
		}
	}
	levels := make([]float64, len(keys))
	drawn := make([]bool, len(keys))
	ok = true
	for i, k := range keys {
		if levels[i], drawn[i], err = st.DrawRateBucket(ctx, k.stored(), now, 1); err != nil {
			return false, nil, err
		}
		ok = ok && drawn[i]
	}
	remaining = make([]int, len(keys))
	for i, k := range keys {
		if !ok && drawn[i] {
			if levels[i], _, err = st.DrawRateBucket(ctx, k.stored(), now, -1); err != nil {
				return false, nil, err
			}
		}
		remaining[i] = int(math.Floor(levels[i]))
	}
	return ok, remaining, nil
}

// size returns the number of buckets held (tests).
func (l *rateLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// rateLimited is the rate-limit layer of the handler chain for the route
// pattern ("METHOD /path/{param}"): it sets the rate-limit headers on the
// response and answers 429 with an empty body when a bucket is empty.
func (s *Server) rateLimited(pattern string, next apiHandler) apiHandler {
	_, template, _ := strings.Cut(pattern, " ")
	charge := chargeRoutes[pattern]
	return func(w http.ResponseWriter, r *http.Request, p *principal) {
		if s.limitsOff || !s.rateLimitsOn(r, p) {
			next(w, r, p)
			return
		}
		var keys []bucketKey
		if charge {
			keys = []bucketKey{{app: p.app.ID, class: chargeBuckets}}
		} else {
			exact := r.URL.Path
			if r.URL.RawQuery != "" {
				exact += "?" + r.URL.RawQuery
			}
			keys = []bucketKey{{app: p.app.ID, class: routeBuckets, path: template}, {app: p.app.ID, class: exactBuckets, path: exact}}
		}
		now, real := s.clock.Now(p.app.StoreID), s.clock.real()
		var ok bool
		var remaining []int
		if st, shared := s.postgresDB(); shared {
			var err error
			if ok, remaining, err = s.rates.takeStored(r.Context(), st, now, real, keys...); err != nil {
				// The request goes on; it fails on its own if the
				// database is lost.
				s.log.Error("rate limits: stored buckets", "err", err)
				next(w, r, p)
				return
			}
		} else {
			ok, remaining = s.rates.take(now, real, keys...)
		}
		h := w.Header()
		for i, k := range keys {
			h.Set(k.class.remainingHeader, strconv.Itoa(remaining[i]))
			h.Set(k.class.perMinuteHeader, strconv.Itoa(int(k.class.perMinute)))
		}
		if !ok {
			h.Set("Content-Length", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		next(w, r, p)
	}
}

// rateLimitsOn reports whether the caller's store has its rate limits on.
func (s *Server) rateLimitsOn(r *http.Request, p *principal) bool {
	l, err := s.storeLimits(r.Context(), p.app.StoreID)
	if err != nil {
		s.log.Error("rate limits: load store", "store_id", p.app.StoreID, "err", err)
		return true
	}
	return l.RateLimits
}
