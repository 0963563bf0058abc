package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// idempotencyTTL is how long a stored idempotent response is replayed
// (docs/limits.md, "Idempotency"), on the sandbox clock of the caller's
// store.
const idempotencyTTL = 24 * time.Hour

// idempotencyLeaseTTL bounds how long a request holds its key against the
// other processes: a killed process's key is free again after it.
const idempotencyLeaseTTL = time.Minute

// idempotent is the Idempotency-Key layer of the handler chain
// (docs/limits.md, "Idempotency"). A POST or PATCH bearing a key runs at
// most once per key and scope (the app token's merchant and mode): the
// first response with a status below 500 is stored and replayed, byte for
// byte, to every later request with the key for 24 hours. Requests with
// the same key wait for each other, in every process of the database.
// Other methods only get "Idempotency-Status: disabled".
func (s *Server) idempotent(next apiHandler) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, p *principal) {
		key := r.Header.Get(api.HeaderIdempotencyKey)
		switch {
		case key == "":
			next(w, r, p)
			return
		case r.Method != http.MethodPost && r.Method != http.MethodPatch:
			w.Header().Set(api.HeaderIdempotencyStatus, api.IdempotencyDisabled)
			next(w, r, p)
			return
		}
		scope := p.app.MerchantID + ":" + string(p.app.Mode)
		unlock, err := s.idemLocks.lock(r.Context(), scope+"\x00"+key)
		if err != nil {
			return // the client left while waiting for the other request
		}
		defer unlock()
		if s.multiProcess() {
			// Across processes: the key's lease, stored (the in-process
			// lock above is the fast path of one process). SQLite is
			// served by one process: the lock is enough.
			release, err := s.lease(r.Context(), "idempotency/"+scope+"/"+key, idempotencyLeaseTTL)
			if err != nil {
				if r.Context().Err() == nil {
					s.writeError(w, r, err)
				}
				return
			}
			defer release()
		}
		s.serveIdempotent(w, r, p, scope, key, next)
	}
}

// serveIdempotent handles a request under its key, holding the key's lock.
func (s *Server) serveIdempotent(w http.ResponseWriter, r *http.Request, p *principal, scope, key string, next apiHandler) {
	ctx := r.Context()
	now := s.clock.Now(p.app.StoreID)
	status := api.IdempotencyStored
	prev, err := s.storage.GetIdempotentResponse(ctx, scope, key)
	switch {
	case err == nil && now.Sub(prev.CreatedAt) < idempotencyTTL:
		if prev.Method != r.Method || prev.Path != r.URL.Path {
			w.Header().Set(api.HeaderIdempotencyStatus, api.IdempotencyConflictingKey)
			s.writeError(w, r, api.NewError(http.StatusConflict, api.CodeIdempotencyKeyConflict))
			return
		}
		if !replayable(prev) {
			s.log.Error("unreadable idempotent response", "scope", scope, "status", prev.Status)
			w.Header().Set(api.HeaderIdempotencyStatus, api.IdempotencyError)
			s.writeError(w, r, api.NewError(http.StatusInternalServerError, api.CodeUnableToGetIdempotentResult))
			return
		}
		w.Header().Set(api.HeaderIdempotencyStatus, api.IdempotencyRetrieved)
		writeRaw(w, prev.Status, prev.Body)
		return
	case err == nil, errors.Is(err, domain.ErrNotFound):
		// A new key, or one past its retention: run the request.
	default:
		// The request runs without the guarantee (Idempotency-Status: error).
		s.log.Error("idempotency read failed", "err", err)
		status = api.IdempotencyError
	}

	rec := &responseBuffer{header: w.Header(), status: http.StatusOK}
	next(rec, r, p)
	if status == api.IdempotencyStored {
		if rec.status >= http.StatusInternalServerError {
			// Not stored: a retry with the key runs the request again.
			status = api.IdempotencyError
		} else {
			stored := &domain.IdempotentResponse{Scope: scope, Key: key, Method: r.Method, Path: r.URL.Path,
				Status: rec.status, Body: rec.body.Bytes(), CreatedAt: s.clock.Now(p.app.StoreID)}
			if err := s.storage.PutIdempotentResponse(context.WithoutCancel(ctx), stored); err != nil {
				s.log.Error("idempotency write failed", "err", err)
				status = api.IdempotencyError
			}
		}
	}
	w.Header().Set(api.HeaderIdempotencyStatus, status)
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
}

// replayable reports whether a stored response can be sent again.
func replayable(r *domain.IdempotentResponse) bool {
	return r.Status >= 200 && r.Status < 500 && (len(r.Body) == 0 || json.Valid(r.Body))
}

// responseBuffer holds a response until the idempotency layer has stored
// it. Headers go straight to the real writer's header map.
type responseBuffer struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (b *responseBuffer) Header() http.Header { return b.header }

func (b *responseBuffer) WriteHeader(code int) {
	if !b.wroteHeader {
		b.status, b.wroteHeader = code, true
	}
}

func (b *responseBuffer) Write(p []byte) (int, error) {
	b.wroteHeader = true
	return b.body.Write(p)
}

// keyLocks is a lock per idempotency key: requests with the same key run
// one after the other, requests with different keys never wait for each
// other. A key's lock exists only while a request holds or awaits it; mu
// guards only the map.
type keyLocks struct {
	mu sync.Mutex
	m  map[string]*keyLock
}

type keyLock struct {
	held chan struct{} // holds one value while locked
	refs int           // requests holding or awaiting it
}

// lock takes the lock of key, waiting for its holder; it fails only when
// ctx ends first. The returned function releases it.
func (k *keyLocks) lock(ctx context.Context, key string) (unlock func(), err error) {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[string]*keyLock{}
	}
	l := k.m[key]
	if l == nil {
		l = &keyLock{held: make(chan struct{}, 1)}
		k.m[key] = l
	}
	l.refs++
	k.mu.Unlock()
	select {
	case l.held <- struct{}{}:
		return func() {
			<-l.held
			k.release(key, l)
		}, nil
	case <-ctx.Done():
		k.release(key, l)
		return nil, ctx.Err()
	}
}

func (k *keyLocks) release(key string, l *keyLock) {
	k.mu.Lock()
	defer k.mu.Unlock()
	l.refs--
	if l.refs == 0 {
		delete(k.m, key)
	}
}

// len returns the number of keys locked or awaited (tests).
func (k *keyLocks) len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.m)
}
