package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// Webhook delivery (docs/webhooks.md, "Delivery"): the engine job
// runDueWebhooks hands the due deliveries of a store to one worker
// goroutine per webhook, which POSTs them in order outside every engine
// lock; the outcome of each attempt decides the retry (on the store's
// sandbox clock) and whether the webhook is stopped.

const (
	// DefaultWebhookTimeout is how long a receiver has to answer.
	DefaultWebhookTimeout = 3 * time.Second
	// webhookMaxAttempts is the number of attempts of one delivery,
	// the first included.
	webhookMaxAttempts = 10
	// webhookUserAgent is the User-Agent of every delivery.
	webhookUserAgent = "UnivaPay-Sandbox-Webhook/1"
	// webhookMaxRetryDelay caps the doubling retry delay.
	webhookMaxRetryDelay = 15 * time.Minute
)

// webhookEngine is the delivery state of a Server.
type webhookEngine struct {
	client  *http.Client
	timeout time.Duration
	// ctx lives as long as the server: deliveries outlive the request or
	// engine pass that started them and stop at Close.
	ctx context.Context

	mu      sync.Mutex
	busy    map[string]bool // webhook ID -> a worker is delivering for it
	missed  bool            // a due delivery was skipped because its webhook was busy
	waiters []chan struct{} // closed when no worker runs

	// writeMu, with the lease "webhooks" (lockShared), serialises the
	// read-modify-write of webhooks across processes (PATCH and the
	// stop rule).
	writeMu sync.Mutex
}

func newWebhookEngine(timeout time.Duration) *webhookEngine {
	if timeout <= 0 {
		timeout = DefaultWebhookTimeout
	}
	return &webhookEngine{
		timeout: timeout,
		client: &http.Client{
			Timeout: timeout,
			// A 3xx answer is an outcome (the webhook stops), never
			// followed.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		ctx:  context.Background(),
		busy: map[string]bool{},
	}
}

// claim marks a webhook as being delivered for; false if it already is.
func (h *webhookEngine) claim(webhookID string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.busy[webhookID] {
		h.missed = true
		return false
	}
	h.busy[webhookID] = true
	return true
}

// release ends a claim; it reports whether a delivery was skipped while
// workers ran (the engine should look again).
func (h *webhookEngine) release(webhookID string) (missed bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.busy, webhookID)
	missed, h.missed = h.missed, false
	if len(h.busy) == 0 {
		for _, c := range h.waiters {
			close(c)
		}
		h.waiters = nil
	}
	return missed
}

// whenIdle returns a channel closed once no delivery worker runs.
func (h *webhookEngine) whenIdle() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := make(chan struct{})
	if len(h.busy) == 0 {
		close(c)
	} else {
		h.waiters = append(h.waiters, c)
	}
	return c
}

// runDueWebhooks is the engine job of webhooks: it starts a worker for
// each webhook with due deliveries in the store (unless one runs already)
// and returns without waiting for them.
func (s *Server) runDueWebhooks(ctx context.Context, storeID string, now time.Time) {
	if s.hooks.ctx.Err() != nil {
		return
	}
	due, err := s.storage.ListDueWebhookDeliveries(ctx, storeID, now)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("list due webhook deliveries", "err", err)
		}
		return
	}
	var order []string
	byHook := map[string][]string{}
	for _, d := range due {
		if _, ok := byHook[d.WebhookID]; !ok {
			order = append(order, d.WebhookID)
		}
		byHook[d.WebhookID] = append(byHook[d.WebhookID], d.ID)
	}
	for _, hookID := range order {
		if !s.hooks.claim(hookID) {
			continue
		}
		// The webhook's lease makes one process deliver for it at a
		// time (docs/postgres.md, "Several processes"); a busy webhook
		// is looked at again on the next engine pass.
		key, holder := "webhook/"+hookID, holderID()
		ok, err := s.storage.AcquireLease(ctx, key, holder, s.hooks.leaseTTL())
		if err != nil || !ok {
			if err != nil && ctx.Err() == nil {
				s.log.Error("webhook lease", "webhook_id", hookID, "err", err)
			}
			s.hooks.release(hookID)
			continue
		}
		ids := byHook[hookID]
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			hctx := s.hooks.ctx
			for i, id := range ids {
				if hctx.Err() != nil {
					break
				}
				if i > 0 { // renew the lease for the next delivery
					if ok, err := s.storage.AcquireLease(hctx, key, holder, s.hooks.leaseTTL()); err != nil || !ok {
						break
					}
				}
				s.deliver(hctx, id)
			}
			if err := s.storage.ReleaseLease(context.WithoutCancel(hctx), key, holder); err != nil {
				s.log.Error("webhook lease release", "webhook_id", hookID, "err", err)
			}
			if s.hooks.release(hookID) {
				s.kickEngine()
			}
		}()
	}
}

// leaseTTL is how long the lease of a webhook lasts: one delivery's
// attempt and its recording. A killed process's webhook is delivered by
// another once it has run out.
func (h *webhookEngine) leaseTTL() time.Duration { return h.timeout + 10*time.Second }

// outcome is what an attempt's result means for the delivery and its
// webhook.
type outcome int

const (
	outcomeSuccess   outcome = iota // 2xx
	outcomeStop                     // 3xx: no retry, the webhook stops at once
	outcomeRetryStop                // 4xx, 500, 501, 502: retry; the 10th failure stops the webhook
	outcomeRetry                    // other statuses, timeouts, connection errors: retry, never stop
)

// classify maps an attempt's HTTP status (0 when no answer came) to its
// outcome (docs/webhooks.md, "Outcomes").
func classify(status int) outcome {
	switch {
	case status >= 200 && status < 300:
		return outcomeSuccess
	case status >= 300 && status < 400:
		return outcomeStop
	case status >= 400 && status < 500, status == 500, status == 501, status == 502:
		return outcomeRetryStop
	}
	return outcomeRetry
}

// retryDelay is the wait after the n-th failed attempt: 1, 2, 4, 8 minutes,
// then 15 minutes.
func retryDelay(n int) time.Duration {
	if n >= 5 {
		return webhookMaxRetryDelay
	}
	return min(time.Minute<<(n-1), webhookMaxRetryDelay)
}

// deliver makes the next attempt of a due delivery and records it.
func (s *Server) deliver(ctx context.Context, id string) {
	d, err := s.storage.GetWebhookDelivery(ctx, id)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("webhook delivery: load", "delivery_id", id, "err", err)
		}
		return
	}
	now := s.clock.Now(d.StoreID)
	if d.Status != api.DeliveryPending || d.DueAt == nil || now.Before(*d.DueAt) {
		return
	}
	w, err := s.storage.GetWebhook(ctx, d.WebhookID)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		s.cancelDelivery(ctx, d, now, "webhook deleted")
		return
	case err != nil:
		if ctx.Err() == nil {
			s.log.Error("webhook delivery: load webhook", "webhook_id", d.WebhookID, "err", err)
		}
		return
	case !w.Active:
		s.cancelDelivery(ctx, d, now, "webhook stopped")
		return
	}

	n := len(d.Attempts) + 1
	eventAt := d.CreatedAt
	if !d.EventAt.IsZero() {
		eventAt = d.EventAt
	}
	body := mustJSON(api.WebhookPayload{ID: d.EventID, Event: d.Event, Data: d.Data, CreatedOn: api.FormatTime(eventAt),
		WebhookID: w.ID, Successful: true, FiredOn: api.FormatTime(now)})
	start := time.Now() // a measurement, not a rule: real time
	status, msg := s.hooks.post(ctx, w, body)
	elapsed := time.Since(start)
	if ctx.Err() != nil {
		// Shutting down: the attempt does not count; the delivery stays
		// due and is made after the next start.
		return
	}

	stop := false
	var next *time.Time
	out := classify(status)
	switch {
	case out == outcomeSuccess:
		d.Status = api.DeliverySuccessful
	case out == outcomeStop:
		d.Status, stop = api.DeliveryFailed, true
	case n >= webhookMaxAttempts:
		d.Status, stop = api.DeliveryFailed, out == outcomeRetryStop
	default:
		at := now.Add(retryDelay(n))
		next = &at
	}
	if stop {
		msg += " (webhook stopped)"
	}
	d.Attempts = append(d.Attempts, domain.WebhookAttempt{Number: n, At: now, URL: w.URL, HTTPStatus: status, Error: msg, Duration: elapsed})
	d.DueAt = next
	d.UpdatedAt = s.clock.Now(d.StoreID)
	// Record even when the server is closing: the attempt was made.
	wctx := context.WithoutCancel(ctx)
	if err := s.storage.UpdateWebhookDelivery(wctx, d); err != nil {
		s.log.Error("webhook delivery: record attempt", "delivery_id", d.ID, "err", err)
		return
	}
	s.log.Info("webhook delivered", "delivery_id", d.ID, "webhook_id", w.ID, "event", d.Event, "attempt", n, "status", status, "result", d.Status)
	if stop {
		s.stopWebhook(wctx, w.ID, d.StoreID)
	}
	if next != nil {
		s.schedule(d.StoreID, *next)
	}
}

// resendDelivery sends a delivery's event again (docs/webhooks.md,
// "Resending a delivery"): a new delivery of the same event (payload id,
// data and created_on) to the same webhook, due at once with the whole
// retry schedule of its own. Only a delivery that is over (successful,
// failed or canceled) is resent, and only to an active webhook; the
// original stays in the log as it was.
func (s *Server) resendDelivery(ctx context.Context, storeID, id string) (*domain.WebhookDelivery, error) {
	if !validUUID(id) {
		return nil, errNotFound
	}
	d, err := s.storage.GetWebhookDelivery(ctx, id)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && d.StoreID != storeID) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	if d.Status == api.DeliveryPending {
		return nil, api.NewError(http.StatusConflict, api.CodeWebhookDeliveryPending)
	}
	w, err := s.storage.GetWebhook(ctx, d.WebhookID)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	if !w.Active {
		return nil, api.NewError(http.StatusConflict, api.CodeWebhookInactive)
	}
	now := s.clock.Now(storeID)
	eventAt := d.EventAt
	if eventAt.IsZero() {
		eventAt = d.CreatedAt
	}
	nd := &domain.WebhookDelivery{ID: newID(), WebhookID: d.WebhookID, StoreID: d.StoreID, MerchantID: d.MerchantID,
		EventID: d.EventID, Event: d.Event, Data: d.Data, Status: api.DeliveryPending, DueAt: &now,
		Attempts: []domain.WebhookAttempt{}, ResentFrom: d.ID, EventAt: eventAt, CreatedAt: now, UpdatedAt: now}
	if err := s.storage.CreateWebhookDeliveries(ctx, []*domain.WebhookDelivery{nd}); err != nil {
		return nil, err
	}
	s.kickEngine()
	return nd, nil
}

// cancelDelivery ends a pending delivery without an attempt: its webhook
// was stopped or deleted.
func (s *Server) cancelDelivery(ctx context.Context, d *domain.WebhookDelivery, now time.Time, why string) {
	d.Status = api.DeliveryCanceled
	d.DueAt = nil
	d.UpdatedAt = now
	if err := s.storage.UpdateWebhookDelivery(ctx, d); err != nil && ctx.Err() == nil {
		s.log.Error("webhook delivery: cancel", "delivery_id", d.ID, "err", err)
		return
	}
	s.log.Info("webhook delivery canceled", "delivery_id", d.ID, "webhook_id", d.WebhookID, "reason", why)
}

// stopWebhook deactivates a webhook after a 3xx answer or its 10th failed
// attempt; PATCH {"active": true} re-enables it.
func (s *Server) stopWebhook(ctx context.Context, webhookID, storeID string) {
	unlock, err := s.lockShared(ctx, &s.hooks.writeMu, "webhooks")
	if err != nil {
		s.log.Error("webhook: stop", "webhook_id", webhookID, "err", err)
		return
	}
	defer unlock()
	w, err := s.storage.GetWebhook(ctx, webhookID)
	if err != nil {
		if !errors.Is(err, domain.ErrNotFound) {
			s.log.Error("webhook: stop", "webhook_id", webhookID, "err", err)
		}
		return
	}
	if !w.Active {
		return
	}
	w.Active = false
	w.UpdatedAt = s.clock.Now(storeID)
	if err := s.storage.UpdateWebhook(ctx, w); err != nil {
		s.log.Error("webhook: stop", "webhook_id", webhookID, "err", err)
		return
	}
	s.log.Warn("webhook stopped after failed deliveries", "webhook_id", webhookID, "url", w.URL)
}

// post sends one delivery and returns the HTTP status (0 when no answer
// came) and, unless it was 2xx, the error message of the attempt.
func (h *webhookEngine) post(ctx context.Context, w *domain.Webhook, body []byte) (int, string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return 0, "Invalid webhook URL: " + err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", webhookUserAgent)
	if w.AuthToken != "" {
		req.Header["Authorization"] = []string{w.AuthToken}
	}
	resp, err := h.client.Do(req)
	if err != nil {
		host := req.URL.Host
		var ue *url.Error
		if errors.As(err, &ue) && ue.Timeout() {
			return 0, fmt.Sprintf("Request timeout to %s after %s", host, seconds(h.timeout))
		}
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, fmt.Sprintf("Request to %s failed: %v", host, err)
	}
	// Read (a bounded part of) the body so the connection can be reused.
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if classify(resp.StatusCode) == outcomeSuccess {
		return resp.StatusCode, ""
	}
	return resp.StatusCode, fmt.Sprintf("HTTP %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
}

// seconds renders a timeout the way the UnivaPay log does ("3 seconds"),
// or as a Go duration when it is not whole seconds.
func seconds(d time.Duration) string {
	if d%time.Second == 0 {
		if d == time.Second {
			return "1 second"
		}
		return fmt.Sprintf("%d seconds", d/time.Second)
	}
	return d.String()
}
