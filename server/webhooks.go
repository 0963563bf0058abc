package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"kessai/api"
	"kessai/server/domain"
)

// webhookLimit is the number of webhooks a store (or a merchant, for
// merchant-wide webhooks) may have (docs/webhooks.md, "Rules and errors").
const webhookLimit = 20

// maxAuthTokenLen bounds a webhook's auth_token.
const maxAuthTokenLen = 4096

func (s *Server) webhookRoutes(m *apiMux) {
	s.handle(m, "POST /stores/{storeId}/webhooks", false, "Create a webhook of the store.", s.handleCreateWebhook)
	s.handle(m, "POST /webhooks", false, "Create a merchant-wide webhook (events of every store).", s.handleCreateWebhook)
	for _, base := range []string{"/stores/{storeId}/webhooks", "/merchants/{merchantId}/stores/{storeId}/webhooks", "/webhooks"} {
		what := "the store's webhooks"
		if base == "/webhooks" {
			what = "the merchant-wide webhooks and the store's"
		}
		s.handle(m, "GET "+base, false, "List "+what+" (?active=true|false).", s.handleListWebhooks)
		s.handle(m, "GET "+base+"/{webhookId}", false, "Get a webhook.", s.handleGetWebhook)
		s.handle(m, "PATCH "+base+"/{webhookId}", false, "Update a webhook; {\"active\": true} re-enables a stopped one.", s.handleUpdateWebhook)
		s.handle(m, "DELETE "+base+"/{webhookId}", false, "Delete a webhook.", s.handleDeleteWebhook)
	}
	s.handle(m, "GET /sandbox/webhook_deliveries", false, "The store's webhook delivery log, newest first (?webhook_id, event, status).", s.handleListWebhookDeliveries)
}

// hookScope is what a webhook route addresses: one store's webhooks, or
// (storeID "") the merchant-level routes, which reach the merchant-wide
// webhooks and those of the caller's store.
type hookScope struct{ storeID string }

func webhookScope(r *http.Request, p *principal) (hookScope, error) {
	if m := r.PathValue("merchantId"); m != "" && m != p.app.MerchantID {
		return hookScope{}, errNotFound
	}
	if st := r.PathValue("storeId"); st != "" {
		if err := storeScoped(p, st); err != nil {
			return hookScope{}, err
		}
		return hookScope{storeID: st}, nil
	}
	return hookScope{}, nil
}

// loadWebhook returns the webhook of the route (404 when the caller may
// not see it there).
func (s *Server) loadWebhook(r *http.Request, p *principal) (*domain.Webhook, error) {
	sc, err := webhookScope(r, p)
	if err != nil {
		return nil, err
	}
	id := r.PathValue("webhookId")
	if !validUUID(id) {
		return nil, errNotFound
	}
	w, err := s.storage.GetWebhook(r.Context(), id)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	visible := w.MerchantID == p.app.MerchantID
	if sc.storeID != "" {
		visible = visible && w.StoreID == sc.storeID
	} else {
		visible = visible && (w.StoreID == "" || w.StoreID == p.app.StoreID)
	}
	if !visible {
		return nil, errNotFound
	}
	return w, nil
}

// checkTriggers validates a webhook's triggers and returns them without
// duplicates.
func checkTriggers(ts api.WebhookTriggers, errs *[]api.FieldError) []api.WebhookEvent {
	if len(ts) == 0 {
		*errs = append(*errs, api.FieldError{Field: "triggers", Reason: api.ReasonRequiredValue})
		return nil
	}
	out := make([]api.WebhookEvent, 0, len(ts))
	seen := map[api.WebhookEvent]bool{}
	for _, t := range ts {
		if !api.ValidWebhookEvent(t) {
			*errs = append(*errs, api.FieldError{Field: "triggers", Reason: api.ReasonInvalidFormat})
			return nil
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// checkWebhookURL validates a webhook URL: absolute http or https.
func checkWebhookURL(raw string, errs *[]api.FieldError) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		*errs = append(*errs, api.FieldError{Field: "url", Reason: api.ReasonRequiredValue})
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(raw) > 2048 {
		*errs = append(*errs, api.FieldError{Field: "url", Reason: api.ReasonInvalidFormatURL})
		return ""
	}
	return raw
}

// checkAuthToken validates an auth_token: it is sent as a header value, so
// no control characters.
func checkAuthToken(tok string, errs *[]api.FieldError) {
	bad := len(tok) > maxAuthTokenLen
	for _, c := range tok {
		if c < 0x20 || c == 0x7f {
			bad = true
		}
	}
	if bad {
		*errs = append(*errs, api.FieldError{Field: "auth_token", Reason: api.ReasonInvalidFormat})
	}
}

func (s *Server) handleCreateWebhook(r *http.Request, p *principal) (int, any, error) {
	sc, err := webhookScope(r, p)
	if err != nil {
		return 0, nil, err
	}
	var req api.WebhookCreateRequest
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	var errs []api.FieldError
	triggers := checkTriggers(req.Triggers, &errs)
	u := checkWebhookURL(req.URL, &errs)
	checkAuthToken(req.AuthToken, &errs)
	if len(errs) > 0 {
		return 0, nil, api.ValidationError(errs...)
	}
	now := s.clock.Now(p.app.StoreID)
	w := &domain.Webhook{ID: newID(), MerchantID: p.app.MerchantID, StoreID: sc.storeID, Triggers: triggers, URL: u,
		AuthToken: req.AuthToken, Active: req.Active.Bool(true), CreatedAt: now, UpdatedAt: now}
	if err := s.storage.CreateWebhook(r.Context(), w, webhookLimit); err != nil {
		return 0, nil, webhookStoreError(err)
	}
	return http.StatusCreated, webhookView(w), nil
}

// webhookStoreError maps the storage's rule violations to API errors.
func webhookStoreError(err error) error {
	switch {
	case errors.Is(err, domain.ErrConflict):
		return api.NewError(http.StatusConflict, api.CodeWebhookURLExists)
	case errors.Is(err, domain.ErrLimit):
		return api.NewError(http.StatusBadRequest, api.CodeResourceLimitReached)
	}
	return err
}

func (s *Server) handleGetWebhook(r *http.Request, p *principal) (int, any, error) {
	w, err := s.loadWebhook(r, p)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, webhookView(w), nil
}

func (s *Server) handleUpdateWebhook(r *http.Request, p *principal) (int, any, error) {
	var req api.WebhookUpdateRequest
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	var errs []api.FieldError
	var triggers []api.WebhookEvent
	if req.Triggers != nil {
		triggers = checkTriggers(*req.Triggers, &errs)
	}
	var u string
	if req.URL != nil {
		u = checkWebhookURL(*req.URL, &errs)
	}
	if req.AuthToken != nil {
		checkAuthToken(*req.AuthToken, &errs)
	}
	unlock, err := s.lockShared(r.Context(), &s.hooks.writeMu, "webhooks")
	if err != nil {
		return 0, nil, err
	}
	defer unlock()
	w, err := s.loadWebhook(r, p)
	if err != nil {
		return 0, nil, err
	}
	if len(errs) > 0 {
		return 0, nil, api.ValidationError(errs...)
	}
	if req.Triggers != nil {
		w.Triggers = triggers
	}
	if req.URL != nil {
		w.URL = u
	}
	if req.AuthToken != nil {
		w.AuthToken = *req.AuthToken
	}
	if req.Active != nil {
		w.Active = bool(*req.Active)
	}
	w.UpdatedAt = s.clock.Now(p.app.StoreID)
	if err := s.storage.UpdateWebhook(r.Context(), w); err != nil {
		return 0, nil, webhookStoreError(err)
	}
	return http.StatusOK, webhookView(w), nil
}

func (s *Server) handleDeleteWebhook(r *http.Request, p *principal) (int, any, error) {
	unlock, err := s.lockShared(r.Context(), &s.hooks.writeMu, "webhooks")
	if err != nil {
		return 0, nil, err
	}
	defer unlock()
	w, err := s.loadWebhook(r, p)
	if err != nil {
		return 0, nil, err
	}
	if err := s.storage.DeleteWebhook(r.Context(), w.ID); err != nil {
		if errors.Is(err, domain.ErrNotFound) {
			return 0, nil, errNotFound
		}
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

// boolParam reads an optional true/false query parameter.
func boolParam(q url.Values, name string) (*bool, error) {
	switch q.Get(name) {
	case "":
		return nil, nil
	case "true":
		return ptr(true), nil
	case "false":
		return ptr(false), nil
	}
	return nil, api.ValidationError(api.FieldError{Field: name, Reason: api.ReasonInvalidFormat})
}

func (s *Server) handleListWebhooks(r *http.Request, p *principal) (int, any, error) {
	sc, err := webhookScope(r, p)
	if err != nil {
		return 0, nil, err
	}
	q := r.URL.Query()
	pg, f, err := listParams(q)
	if err != nil {
		return 0, nil, err
	}
	active, err := boolParam(q, "active")
	if err != nil {
		return 0, nil, err
	}
	query := domain.WebhookQuery{Page: pg, Filters: f, MerchantID: p.app.MerchantID, StoreID: p.app.StoreID, Active: active}
	query.MerchantWide = sc.storeID == ""
	list, err := s.storage.ListWebhooks(r.Context(), query)
	if err != nil {
		return 0, nil, listError(err)
	}
	return http.StatusOK, listView(list, webhookView), nil
}

func (s *Server) handleListWebhookDeliveries(r *http.Request, p *principal) (int, any, error) {
	q := r.URL.Query()
	pg, f, err := listParams(q)
	if err != nil {
		return 0, nil, err
	}
	query := domain.WebhookDeliveryQuery{Page: pg, Filters: f, StoreID: p.app.StoreID}
	var errs []api.FieldError
	if v := q.Get("webhook_id"); v != "" {
		if !validUUID(v) {
			errs = append(errs, api.FieldError{Field: "webhook_id", Reason: api.ReasonInvalidFormatUUID})
		}
		query.WebhookID = v
	}
	if v := api.WebhookEvent(q.Get("event")); v != "" {
		if !api.ValidWebhookEvent(v) {
			errs = append(errs, api.FieldError{Field: "event", Reason: api.ReasonInvalidFormat})
		}
		query.Event = v
	}
	if v := api.WebhookDeliveryStatus(q.Get("status")); v != "" {
		ok := false
		for _, st := range api.WebhookDeliveryStatuses {
			ok = ok || st == v
		}
		if !ok {
			errs = append(errs, api.FieldError{Field: "status", Reason: api.ReasonInvalidFormat})
		}
		query.Status = v
	}
	if len(errs) > 0 {
		return 0, nil, api.ValidationError(errs...)
	}
	list, err := s.storage.ListWebhookDeliveries(r.Context(), query)
	if err != nil {
		return 0, nil, listError(err)
	}
	return http.StatusOK, listView(list, deliveryView), nil
}

// webhookView renders a webhook as the API object (never its auth_token).
func webhookView(w *domain.Webhook) *api.Webhook {
	v := &api.Webhook{ID: w.ID, MerchantID: w.MerchantID, Triggers: w.Triggers, URL: w.URL, Active: w.Active,
		CreatedOn: api.FormatTime(w.CreatedAt), UpdatedOn: api.FormatTime(w.UpdatedAt)}
	if w.StoreID != "" {
		v.StoreID = ptr(w.StoreID)
	}
	if v.Triggers == nil {
		v.Triggers = []api.WebhookEvent{}
	}
	return v
}

// deliveryView renders a delivery of the log.
func deliveryView(d *domain.WebhookDelivery) *api.WebhookDelivery {
	v := &api.WebhookDelivery{ID: d.ID, WebhookID: d.WebhookID, StoreID: d.StoreID, EventID: d.EventID, Event: d.Event,
		Status: d.Status, Attempts: make([]api.WebhookAttempt, 0, len(d.Attempts)), Data: d.Data,
		CreatedOn: api.FormatTime(d.CreatedAt), UpdatedOn: api.FormatTime(d.UpdatedAt)}
	if d.DueAt != nil {
		v.NextAttemptOn = ptr(api.FormatTime(*d.DueAt))
	}
	for _, a := range d.Attempts {
		va := api.WebhookAttempt{Number: a.Number, FiredOn: api.FormatTime(a.At), URL: a.URL, DurationMS: a.Duration.Milliseconds()}
		if a.HTTPStatus != 0 {
			va.HTTPStatus = ptr(a.HTTPStatus)
		}
		if a.Error != "" {
			va.ErrorMessage = ptr(a.Error)
		}
		v.Attempts = append(v.Attempts, va)
	}
	return v
}

// emit records a webhook event of a store (docs/webhooks.md, "Events") at
// once, for the changes that have no Outbox (the others add their events
// to it: followups.go). A failure is logged, never returned: the caller's
// request has succeeded.
func (s *Server) emit(ctx context.Context, storeID string, event api.WebhookEvent, data any) {
	ctx = context.WithoutCancel(ctx)
	n, err := s.recordEvent(ctx, storeID, event, data, newID())
	if err != nil {
		s.log.Error("webhook event not recorded", "store_id", storeID, "event", event, "err", err)
		return
	}
	if n > 0 {
		s.kickEngine()
	}
}

// recordEvent stores the deliveries of an event and returns their number:
// every active webhook of the store or of its merchant (merchant-wide)
// whose triggers include event gets a delivery of data, the resource as
// the API returns it. An event recorded again with its ID adds no delivery
// for the webhooks that have it.
func (s *Server) recordEvent(ctx context.Context, storeID string, event api.WebhookEvent, data any, eventID string) (int, error) {
	shop, err := s.storage.GetStore(ctx, storeID)
	if err != nil {
		return 0, err
	}
	hooks, err := s.storage.ActiveWebhooks(ctx, shop.MerchantID, storeID)
	if err != nil {
		return 0, err
	}
	var targets []*domain.Webhook
	for _, w := range hooks {
		if w.Triggered(event) {
			targets = append(targets, w)
		}
	}
	if len(targets) == 0 {
		return 0, nil
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return 0, err
	}
	now := s.clock.Now(storeID)
	ds := make([]*domain.WebhookDelivery, 0, len(targets))
	for _, w := range targets {
		ds = append(ds, &domain.WebhookDelivery{ID: newID(), WebhookID: w.ID, StoreID: storeID, MerchantID: shop.MerchantID,
			EventID: eventID, Event: event, Data: raw, Status: api.DeliveryPending, DueAt: &now,
			Attempts: []domain.WebhookAttempt{}, CreatedAt: now, UpdatedAt: now})
	}
	if err := s.storage.CreateWebhookDeliveries(ctx, ds); err != nil {
		return 0, err
	}
	return len(ds), nil
}
