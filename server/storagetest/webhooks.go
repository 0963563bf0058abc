package storagetest

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// webhook returns a webhook of store s ("" = merchant-wide) created at
// base+n seconds.
func (f fixture) webhook(s *domain.Store, n int, url string) *domain.Webhook {
	w := &domain.Webhook{ID: newID(), MerchantID: f.merchant.ID, Triggers: []api.WebhookEvent{api.EventChargeFinished},
		URL: url, AuthToken: "secret-token", Active: true, CreatedAt: at(n), UpdatedAt: at(n)}
	if s != nil {
		w.StoreID = s.ID
	}
	return w
}

func testWebhooks(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	a := f.webhook(f.store, 1, "https://example.com/a")
	must(t, st.CreateWebhook(ctx, a, 3))
	got, err := st.GetWebhook(ctx, a.ID)
	must(t, err)
	if got.URL != a.URL || got.StoreID != f.store.ID || got.AuthToken != "secret-token" || !got.Active ||
		!slices.Equal(got.Triggers, a.Triggers) || !got.CreatedAt.Equal(a.CreatedAt) {
		t.Fatalf("GetWebhook = %+v", got)
	}
	wantNotFound(t, errOf(st.GetWebhook(ctx, newID())))

	// The same URL twice in a store is a conflict; in another store or
	// merchant-wide it is not.
	if err := st.CreateWebhook(ctx, f.webhook(f.store, 2, a.URL), 3); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("duplicate URL: %v", err)
	}
	other := f.webhook(f.other, 2, a.URL)
	must(t, st.CreateWebhook(ctx, other, 3))
	merchant := f.webhook(nil, 3, a.URL)
	must(t, st.CreateWebhook(ctx, merchant, 3))
	if err := st.CreateWebhook(ctx, f.webhook(nil, 4, a.URL), 3); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("duplicate merchant-wide URL: %v", err)
	}
	if got, _ := st.GetWebhook(ctx, merchant.ID); got.StoreID != "" {
		t.Fatalf("merchant-wide webhook has store %q", got.StoreID)
	}

	// The limit counts per scope.
	b := f.webhook(f.store, 5, "https://example.com/b")
	c := f.webhook(f.store, 6, "https://example.com/c")
	must(t, st.CreateWebhook(ctx, b, 3))
	must(t, st.CreateWebhook(ctx, c, 3))
	if err := st.CreateWebhook(ctx, f.webhook(f.store, 7, "https://example.com/d"), 3); !errors.Is(err, domain.ErrLimit) {
		t.Fatalf("fourth webhook with max 3: %v", err)
	}
	must(t, st.CreateWebhook(ctx, f.webhook(f.other, 7, "https://example.com/d"), 3))

	// Update: a URL of another webhook in the scope conflicts.
	b.URL = a.URL
	if err := st.UpdateWebhook(ctx, b); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("update to a taken URL: %v", err)
	}
	b.URL = "https://example.com/b2"
	b.Active = false
	b.Triggers = []api.WebhookEvent{api.EventTokenCreated, api.EventRefundFinished}
	b.UpdatedAt = base.Add(time.Minute)
	must(t, st.UpdateWebhook(ctx, b))
	if got, _ := st.GetWebhook(ctx, b.ID); got.URL != b.URL || got.Active || len(got.Triggers) != 2 || !got.UpdatedAt.Equal(b.UpdatedAt) {
		t.Fatalf("after update: %+v", got)
	}
	wantNotFound(t, st.UpdateWebhook(ctx, f.webhook(f.store, 9, "https://example.com/ghost")))

	// Lists: by store, newest first; with the merchant-wide ones; active.
	list := func(q domain.WebhookQuery, want ...*domain.Webhook) {
		t.Helper()
		q.Limit = 10
		l, err := st.ListWebhooks(ctx, q)
		wantAll(t, l, err, want)
	}
	list(domain.WebhookQuery{MerchantID: f.merchant.ID, StoreID: f.store.ID}, c, b, a)
	testRecordPages(t, 2, func(p domain.Page) (domain.List[*domain.Webhook], error) {
		return st.ListWebhooks(ctx, domain.WebhookQuery{Page: p, MerchantID: f.merchant.ID, StoreID: f.store.ID, MerchantWide: true})
	}, []string{c.ID, b.ID, merchant.ID, a.ID})
	list(domain.WebhookQuery{MerchantID: f.merchant.ID}, merchant)
	list(domain.WebhookQuery{MerchantID: f.merchant.ID, StoreID: f.store.ID, Active: new(false)}, b)
	list(domain.WebhookQuery{Filters: domain.Filters{From: new(at(2)), To: new(at(6))}, MerchantID: f.merchant.ID, StoreID: f.store.ID}, b)

	// The webhooks an event of a store goes to: the store's active ones and
	// the merchant-wide ones, oldest first.
	active, err := st.ActiveWebhooks(ctx, f.merchant.ID, f.store.ID)
	must(t, err)
	if want := []string{a.ID, merchant.ID, c.ID}; !slices.Equal(ids(active), want) {
		t.Fatalf("ActiveWebhooks = %v, want %v", ids(active), want)
	}

	// Delete frees the URL and the slot.
	must(t, st.DeleteWebhook(ctx, a.ID))
	wantNotFound(t, errOf(st.GetWebhook(ctx, a.ID)), st.DeleteWebhook(ctx, a.ID))
	must(t, st.CreateWebhook(ctx, f.webhook(f.store, 10, a.URL), 3))

	testWebhookDeliveries(t, st, f, c)
}

func testWebhookDeliveries(t *testing.T, st domain.Storage, f fixture, w *domain.Webhook) {
	delivery := func(s *domain.Store, n int, event api.WebhookEvent) *domain.WebhookDelivery {
		return &domain.WebhookDelivery{ID: newID(), WebhookID: w.ID, StoreID: s.ID, MerchantID: s.MerchantID, EventID: newID(),
			Event: event, Data: json.RawMessage(fmt.Sprintf(`{"id":"r%d","n":%d}`, n, n)), Status: api.DeliveryPending,
			DueAt: new(at(n)), Attempts: []domain.WebhookAttempt{}, CreatedAt: at(n), UpdatedAt: at(n)}
	}
	d1 := delivery(f.store, 1, api.EventChargeFinished)
	d2 := delivery(f.store, 2, api.EventTokenCreated)
	d3 := delivery(f.store, 3, api.EventChargeFinished)
	d4 := delivery(f.other, 1, api.EventChargeFinished)
	must(t, st.CreateWebhookDeliveries(ctx, []*domain.WebhookDelivery{d1, d2, d3, d4}))
	dup := delivery(f.store, 4, api.EventChargeFinished)
	sameID := delivery(f.store, 4, api.EventChargeFinished)
	sameID.ID = d1.ID
	if err := st.CreateWebhookDeliveries(ctx, []*domain.WebhookDelivery{dup, sameID}); err == nil {
		t.Fatal("inserting an existing delivery ID succeeded")
	}
	wantNotFound(t, errOf(st.GetWebhookDelivery(ctx, dup.ID))) // a failed batch leaves nothing behind
	// An event recorded again: no second delivery to the same webhook.
	again := delivery(f.store, 5, api.EventChargeFinished)
	again.EventID = d1.EventID
	must(t, st.CreateWebhookDeliveries(ctx, []*domain.WebhookDelivery{again}))
	wantNotFound(t, errOf(st.GetWebhookDelivery(ctx, again.ID)))
	got, err := st.GetWebhookDelivery(ctx, d1.ID)
	must(t, err)
	if got.EventID != d1.EventID || got.Event != d1.Event || string(got.Data) != string(d1.Data) || got.Status != api.DeliveryPending || !got.DueAt.Equal(*d1.DueAt) {
		t.Fatalf("GetWebhookDelivery = %+v", got)
	}

	due, err := st.ListDueWebhookDeliveries(ctx, f.store.ID, base.Add(2*time.Second))
	must(t, err)
	if want := []string{d1.ID, d2.ID}; !slices.Equal(ids(due), want) {
		t.Fatalf("due at +2s = %v, want %v", ids(due), want)
	}

	// An attempt failed: d1 is due again later; d2 succeeded: never due.
	next := base.Add(time.Minute)
	d1.Attempts = append(d1.Attempts, domain.WebhookAttempt{Number: 1, At: base.Add(time.Second), URL: w.URL, HTTPStatus: 500,
		Error: "HTTP 500", Duration: 12 * time.Millisecond})
	d1.DueAt = &next
	must(t, st.UpdateWebhookDelivery(ctx, d1))
	d2.Status, d2.DueAt = api.DeliverySuccessful, nil
	d2.Attempts = append(d2.Attempts, domain.WebhookAttempt{Number: 1, At: base.Add(2 * time.Second), URL: w.URL, HTTPStatus: 200})
	must(t, st.UpdateWebhookDelivery(ctx, d2))
	due, _ = st.ListDueWebhookDeliveries(ctx, f.store.ID, base.Add(30*time.Second))
	if want := []string{d3.ID}; !slices.Equal(ids(due), want) {
		t.Fatalf("due at +30s = %v, want %v", ids(due), want)
	}
	due, _ = st.ListDueWebhookDeliveries(ctx, f.store.ID, next)
	if want := []string{d3.ID, d1.ID}; !slices.Equal(ids(due), want) {
		t.Fatalf("due at +1m = %v, want %v", ids(due), want)
	}
	got, _ = st.GetWebhookDelivery(ctx, d1.ID)
	if len(got.Attempts) != 1 || got.Attempts[0].HTTPStatus != 500 || got.Attempts[0].Duration != 12*time.Millisecond || got.Attempts[0].Error != "HTTP 500" {
		t.Fatalf("attempts = %+v", got.Attempts)
	}
	wantNotFound(t, st.UpdateWebhookDelivery(ctx, delivery(f.store, 9, api.EventChargeFinished)))

	// The log: per store, newest first, filtered.
	list := func(q domain.WebhookDeliveryQuery) []string {
		t.Helper()
		q.StoreID = f.store.ID
		q.Limit = cmp.Or(q.Limit, 10)
		l, err := st.ListWebhookDeliveries(ctx, q)
		must(t, err)
		return ids(l.Items)
	}
	if got, want := list(domain.WebhookDeliveryQuery{}), []string{d3.ID, d2.ID, d1.ID}; !slices.Equal(got, want) {
		t.Fatalf("log = %v, want %v", got, want)
	}
	if got, want := list(domain.WebhookDeliveryQuery{Event: api.EventChargeFinished}), []string{d3.ID, d1.ID}; !slices.Equal(got, want) {
		t.Fatalf("log by event = %v", got)
	}
	if got, want := list(domain.WebhookDeliveryQuery{Status: api.DeliverySuccessful}), []string{d2.ID}; !slices.Equal(got, want) {
		t.Fatalf("log by status = %v", got)
	}
	if got := list(domain.WebhookDeliveryQuery{WebhookID: newID()}); len(got) != 0 {
		t.Fatalf("log by other webhook = %v", got)
	}
	if got, want := list(domain.WebhookDeliveryQuery{WebhookID: w.ID, Page: domain.Page{Limit: 10, Cursor: d3.ID}}), []string{d2.ID, d1.ID}; !slices.Equal(got, want) {
		t.Fatalf("log after cursor = %v", got)
	}
	testRecordPages(t, 2, func(p domain.Page) (domain.List[*domain.WebhookDelivery], error) {
		return st.ListWebhookDeliveries(ctx, domain.WebhookDeliveryQuery{Page: p, StoreID: f.store.ID})
	}, []string{d3.ID, d2.ID, d1.ID})
	// Deliveries outlive their webhook.
	must(t, st.DeleteWebhook(ctx, w.ID))
	if got := list(domain.WebhookDeliveryQuery{WebhookID: w.ID}); len(got) != 3 {
		t.Fatalf("log after deleting the webhook = %v", got)
	}
}
