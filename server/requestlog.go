package server

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// The request log (docs/dashboard.md, "The request log"): every API
// request of a store, with its status, idempotency key and whether it was
// a replay, and the IDs of the resources it touched, so that the
// dashboard shows the requests of a resource. Requests hand their entry to
// one writer goroutine through a bounded queue and never wait for the
// storage; when the queue is full the entry is dropped (and counted).

const (
	// requestLogKeep is how many entries each store keeps.
	requestLogKeep = 5000
	// requestLogQueue bounds the entries waiting for the writer.
	requestLogQueue = 4096
	// requestLogBatch is the most entries written in one transaction.
	requestLogBatch = 256
	// requestLogDelay is how long the writer gathers entries before a
	// transaction (a reader of the log does not wait for it: it asks for
	// the queue to be written).
	requestLogDelay = 100 * time.Millisecond
	// requestLogCapture bounds the part of a response body read for the
	// IDs it answers with.
	requestLogCapture = 64 << 10
	// requestLogBody bounds the request bodies kept.
	requestLogBody = 8 << 10
	// HeaderNoRequestLog on a GET keeps it out of the request log: the
	// dashboard's own reads.
	HeaderNoRequestLog = "X-Kessai-No-Request-Log"
)

// requestLog queues entries for its writer.
type requestLog struct {
	queue chan requestLogItem
	mu    sync.Mutex
	lost  int // entries dropped because the queue was full
}

// requestLogItem is an entry to write, or (entry nil) a barrier closed
// once everything queued before it is written.
type requestLogItem struct {
	entry   *domain.RequestLogEntry
	barrier chan struct{}
}

func newRequestLog() *requestLog {
	return &requestLog{queue: make(chan requestLogItem, requestLogQueue)}
}

// add queues an entry without waiting.
func (l *requestLog) add(e *domain.RequestLogEntry) {
	select {
	case l.queue <- requestLogItem{entry: e}:
	default:
		l.mu.Lock()
		l.lost++
		l.mu.Unlock()
	}
}

// sync waits until the entries queued so far are written.
func (l *requestLog) sync(ctx context.Context) {
	b := make(chan struct{})
	select {
	case l.queue <- requestLogItem{barrier: b}:
	case <-ctx.Done():
		return
	}
	select {
	case <-b:
	case <-ctx.Done():
	}
}

// runRequestLog is the writer: it writes the queued entries in batches
// until ctx ends, then what is left.
func (s *Server) runRequestLog(ctx context.Context) {
	defer s.wg.Done()
	l := s.reqlog
	for {
		select {
		case it := <-l.queue:
			s.writeRequestLog(ctx, it)
		case <-ctx.Done():
			for {
				select {
				case it := <-l.queue:
					s.writeRequestLog(ctx, it)
				default:
					return
				}
			}
		}
	}
}

// writeRequestLog writes first and what else comes within
// requestLogDelay (up to a batch, until a barrier, or at once once stop
// has ended), then releases the barriers among them: one transaction for
// many requests.
func (s *Server) writeRequestLog(stop context.Context, first requestLogItem) {
	var entries []*domain.RequestLogEntry
	var barriers []chan struct{}
	take := func(it requestLogItem) {
		if it.entry != nil {
			entries = append(entries, it.entry)
		} else {
			barriers = append(barriers, it.barrier)
		}
	}
	take(first)
	timer := time.NewTimer(requestLogDelay)
	defer timer.Stop()
more:
	for len(entries) < requestLogBatch && len(barriers) == 0 {
		select {
		case it := <-s.reqlog.queue:
			take(it)
		case <-timer.C:
			break more
		case <-stop.Done():
			break more
		}
	}
	// Written even when the server is closing: the requests were answered.
	ctx := context.WithoutCancel(stop)
	if len(entries) > 0 {
		if err := s.storage.AddRequests(ctx, entries, requestLogKeep); err != nil {
			s.log.Error("request log not written", "entries", len(entries), "err", err)
		}
	}
	s.reqlog.mu.Lock()
	if s.reqlog.lost > 0 {
		s.log.Warn("request log entries dropped: the queue was full", "entries", s.reqlog.lost)
		s.reqlog.lost = 0
	}
	s.reqlog.mu.Unlock()
	for _, b := range barriers {
		close(b)
	}
}

// pathIDs are the path parameters that name a resource.
var pathIDs = []string{"chargeId", "tokenId", "id", "refundId", "cancelId", "webhookId", "deliveryId", "paymentId"}

// logged is the request-log layer of the handler chain: it passes the
// request on and queues its entry.
func (s *Server) logged(next apiHandler) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, p *principal) {
		if r.Method == http.MethodGet && r.Header.Get(HeaderNoRequestLog) != "" {
			next(w, r, p)
			return
		}
		start := time.Now() // a measurement, not a rule: real time
		write := r.Method != http.MethodGet && r.Method != http.MethodDelete
		lw := &loggedWriter{ResponseWriter: w, status: http.StatusOK, capture: write}
		var body *boundedBuffer
		if write && !strings.Contains(r.URL.Path, "/tokens") && r.Body != nil {
			// Token bodies hold card data: never kept.
			body = &boundedBuffer{max: requestLogBody}
			r.Body = struct {
				io.Reader
				io.Closer
			}{io.TeeReader(r.Body, body), r.Body}
		}
		// The charges whose status the request changed (a clock move's
		// settlements, say) are resources it touched.
		ctx, ran := withRan(r.Context())
		r = r.WithContext(ctx)
		next(lw, r, p)
		e := &domain.RequestLogEntry{ID: newID(), StoreID: p.app.StoreID, At: s.clock.Now(p.app.StoreID), Method: r.Method,
			Path: r.URL.RequestURI(), Status: lw.status, Secret: p.withSecret, IdempotencyKey: r.Header.Get(api.HeaderIdempotencyKey),
			Replay: w.Header().Get(api.HeaderIdempotencyStatus) == api.IdempotencyRetrieved, Duration: time.Since(start)}
		if body != nil && !body.over && json.Valid(body.buf.Bytes()) {
			e.Body = body.buf.String()
		}
		add := func(id string) {
			if id = strings.ToLower(id); validUUID(id) && !slices.Contains(e.ResourceIDs, id) {
				e.ResourceIDs = append(e.ResourceIDs, id)
			}
		}
		for _, k := range pathIDs {
			add(r.PathValue(k))
		}
		for _, x := range ran.list() {
			if x.Type == "charge" { // a refund's or cancel's change is its charge's
				add(x.ID)
			}
		}
		if lw.capture && lw.status < 300 {
			var answer struct {
				ID             string `json:"id"`
				TokenID        string `json:"transaction_token_id"`
				ChargeID       string `json:"charge_id"`
				SubscriptionID string `json:"subscription_id"`
			}
			if json.Unmarshal(lw.body.Bytes(), &answer) == nil {
				add(answer.ID)
				add(answer.TokenID)
				add(answer.ChargeID)
				add(answer.SubscriptionID)
			}
		}
		s.reqlog.add(e)
	}
}

// boundedBuffer keeps what is written up to max bytes; over reports that
// more came.
type boundedBuffer struct {
	buf  bytes.Buffer
	max  int
	over bool
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	if b.buf.Len()+len(p) > b.max {
		b.over = true
	} else {
		b.buf.Write(p)
	}
	return len(p), nil
}

// loggedWriter records the status of a response and, with capture, the
// start of its body.
type loggedWriter struct {
	http.ResponseWriter
	status  int
	capture bool
	body    bytes.Buffer
}

func (w *loggedWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *loggedWriter) Write(b []byte) (int, error) {
	if w.capture && w.body.Len() < requestLogCapture {
		w.body.Write(b[:min(len(b), requestLogCapture-w.body.Len())])
	}
	return w.ResponseWriter.Write(b)
}

// Flush lets a handler flush through the layer.
func (w *loggedWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *Server) requestLogRoutes(m *apiMux) {
	s.handle(m, "GET /sandbox/requests", false, "Sandbox: the store's request log, newest first (?resource_id: the requests that touched a resource; ?path_prefix).", s.handleListRequests)
}

func (s *Server) handleListRequests(r *http.Request, p *principal) (int, any, error) {
	q := r.URL.Query()
	pg, _, err := listParams(q)
	if err != nil {
		return 0, nil, err
	}
	query := domain.RequestLogQuery{Page: pg, StoreID: p.app.StoreID}
	if v := strings.TrimSpace(q.Get("resource_id")); v != "" {
		if !validUUID(v) {
			return 0, nil, api.ValidationError(api.FieldError{Field: "resource_id", Reason: api.ReasonInvalidFormatUUID})
		}
		query.ResourceID = v
	}
	query.PathPrefix = q.Get("path_prefix")
	// What was answered before this request is listed.
	s.reqlog.sync(r.Context())
	list, err := s.storage.ListRequests(r.Context(), query)
	if err != nil {
		return 0, nil, listError(err)
	}
	return http.StatusOK, listView(list, requestView), nil
}

// requestView renders an entry of the request log.
func requestView(e *domain.RequestLogEntry) api.RequestLogEntry {
	v := api.RequestLogEntry{ID: e.ID, Method: e.Method, Path: e.Path, Status: e.Status, Secret: e.Secret, Replay: e.Replay,
		ResourceIDs: e.ResourceIDs, DurationMS: e.Duration.Milliseconds(), CreatedOn: api.FormatTime(e.At)}
	if e.Body != "" {
		v.Body = json.RawMessage(e.Body)
	}
	if v.ResourceIDs == nil {
		v.ResourceIDs = []string{}
	}
	if e.IdempotencyKey != "" {
		v.IdempotencyKey = ptr(e.IdempotencyKey)
	}
	v.Kind = "request"
	if e.Kind == domain.KindStatusChange {
		v.Kind = "status_change"
		v.ResourceType = ptr(cmp.Or(e.Resource, "charge"))
		v.ToStatus = ptr(e.To)
		if e.From != "" {
			v.FromStatus = ptr(e.From)
		}
	}
	return v
}

// logStatus records in the request log that a charge went from status
// from ("" when it was created) to to, at its update time, and notes it
// for a clock move under way (noteRan).
func (s *Server) logStatus(ctx context.Context, prev, c *domain.Charge) {
	from := ""
	if prev != nil {
		from = string(prev.Status)
	}
	if from == string(c.Status) {
		return
	}
	noteRan(ctx, "charge", c.ID, from, string(c.Status))
	s.reqlog.add(&domain.RequestLogEntry{ID: newID(), StoreID: c.StoreID, Kind: domain.KindStatusChange, Resource: "charge",
		From: from, To: string(c.Status), At: c.UpdatedAt, ResourceIDs: []string{c.ID}})
}

// logChildStatus records that a refund or cancel (typ) of a charge was
// settled from status from: an entry of both the child and its charge.
func (s *Server) logChildStatus(ctx context.Context, typ string, st resourceState, from string) {
	if from == st.Status {
		return
	}
	noteRan(ctx, typ, st.ID, from, st.Status)
	s.reqlog.add(&domain.RequestLogEntry{ID: newID(), StoreID: st.StoreID, Kind: domain.KindStatusChange, Resource: typ,
		From: from, To: st.Status, At: s.clock.Now(st.StoreID), ResourceIDs: []string{st.ID, st.ChargeID}})
}
