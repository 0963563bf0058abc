package storagetest

import (
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
	at := base.Add(time.Duration(n) * time.Second)
	w := &domain.Webhook{ID: newID(), MerchantID: f.merchant.ID, Triggers: []api.WebhookEvent{api.EventChargeFinished},
		URL: url, AuthToken: "secret-token", Active: true, CreatedAt: at, UpdatedAt: at}
	if s != nil {
		w.StoreID = s.ID
	}
	return w
}

func webhookIDs(items []*domain.Webhook) []string {
	var out []string
	for _, w := range items {
		out = append(out, w.ID)
	}
	return out
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
	if _, err := st.GetWebhook(ctx, newID()); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("unknown webhook: %v", err)
	}

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
	ghost := f.webhook(f.store, 9, "https://example.com/ghost")
	if err := st.UpdateWebhook(ctx, ghost); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("update unknown: %v", err)
	}

	// Lists: by store, newest first; with the merchant-wide ones; active.
	l, err := st.ListWebhooks(ctx, domain.WebhookQuery{Page: domain.Page{Limit: 10}, MerchantID: f.merchant.ID, StoreID: f.store.ID})
	must(t, err)
	if want := []string{c.ID, b.ID, a.ID}; !equalIDs(webhookIDs(l.Items), want) || l.TotalHits != 3 || l.HasMore {
		t.Fatalf("store list = %v (total %d)", webhookIDs(l.Items), l.TotalHits)
	}
	l, _ = st.ListWebhooks(ctx, domain.WebhookQuery{Page: domain.Page{Limit: 2}, MerchantID: f.merchant.ID, StoreID: f.store.ID, MerchantWide: true})
	if want := []string{c.ID, b.ID}; !equalIDs(webhookIDs(l.Items), want) || l.TotalHits != 4 || !l.HasMore {
		t.Fatalf("store + merchant list page 1 = %v (total %d)", webhookIDs(l.Items), l.TotalHits)
	}
	l, _ = st.ListWebhooks(ctx, domain.WebhookQuery{Page: domain.Page{Limit: 2, Cursor: b.ID}, MerchantID: f.merchant.ID, StoreID: f.store.ID, MerchantWide: true})
	if want := []string{merchant.ID, a.ID}; !equalIDs(webhookIDs(l.Items), want) || l.HasMore {
		t.Fatalf("store + merchant list page 2 = %v", webhookIDs(l.Items))
	}
	l, _ = st.ListWebhooks(ctx, domain.WebhookQuery{Page: domain.Page{Limit: 10}, MerchantID: f.merchant.ID})
	if want := []string{merchant.ID}; !equalIDs(webhookIDs(l.Items), want) {
		t.Fatalf("merchant-wide list = %v", webhookIDs(l.Items))
	}
	inactive := false
	l, _ = st.ListWebhooks(ctx, domain.WebhookQuery{Page: domain.Page{Limit: 10}, MerchantID: f.merchant.ID, StoreID: f.store.ID, Active: &inactive})
	if want := []string{b.ID}; !equalIDs(webhookIDs(l.Items), want) {
		t.Fatalf("inactive list = %v", webhookIDs(l.Items))
	}
	from, to := base.Add(2*time.Second), base.Add(6*time.Second)
	l, _ = st.ListWebhooks(ctx, domain.WebhookQuery{Page: domain.Page{Limit: 10}, Filters: domain.Filters{From: &from, To: &to}, MerchantID: f.merchant.ID, StoreID: f.store.ID})
	if want := []string{b.ID}; !equalIDs(webhookIDs(l.Items), want) {
		t.Fatalf("from/to list = %v", webhookIDs(l.Items))
	}
	if _, err := st.ListWebhooks(ctx, domain.WebhookQuery{Page: domain.Page{Limit: 10, Cursor: newID()}, StoreID: f.store.ID}); !errors.Is(err, domain.ErrCursor) {
		t.Fatalf("unknown cursor: %v", err)
	}

	// The webhooks an event of a store goes to: the store's active ones and
	// the merchant-wide ones, oldest first.
	active, err := st.ActiveWebhooks(ctx, f.merchant.ID, f.store.ID)
	must(t, err)
	if want := []string{a.ID, merchant.ID, c.ID}; !equalIDs(webhookIDs(active), want) {
		t.Fatalf("ActiveWebhooks = %v, want %v", webhookIDs(active), want)
	}

	// Delete frees the URL and the slot.
	must(t, st.DeleteWebhook(ctx, a.ID))
	if _, err := st.GetWebhook(ctx, a.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("deleted webhook: %v", err)
	}
	if err := st.DeleteWebhook(ctx, a.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
	must(t, st.CreateWebhook(ctx, f.webhook(f.store, 10, a.URL), 3))

	testWebhookDeliveries(t, st, f, c)
}

func deliveryIDs(items []*domain.WebhookDelivery) []string {
	var out []string
	for _, d := range items {
		out = append(out, d.ID)
	}
	return out
}

func testWebhookDeliveries(t *testing.T, st domain.Storage, f fixture, w *domain.Webhook) {
	delivery := func(s *domain.Store, n int, event api.WebhookEvent) *domain.WebhookDelivery {
		at := base.Add(time.Duration(n) * time.Second)
		return &domain.WebhookDelivery{ID: newID(), WebhookID: w.ID, StoreID: s.ID, MerchantID: s.MerchantID, EventID: newID(),
			Event: event, Data: json.RawMessage(fmt.Sprintf(`{"id":"r%d","n":%d}`, n, n)), Status: api.DeliveryPending,
			DueAt: &at, Attempts: []domain.WebhookAttempt{}, CreatedAt: at, UpdatedAt: at}
	}
	d1 := delivery(f.store, 1, api.EventChargeFinished)
	d2 := delivery(f.store, 2, api.EventTokenCreated)
	d3 := delivery(f.store, 3, api.EventChargeFinished)
	d4 := delivery(f.other, 1, api.EventChargeFinished)
	must(t, st.CreateWebhookDeliveries(ctx, []*domain.WebhookDelivery{d1, d2, d3, d4}))
	dup := delivery(f.store, 4, api.EventChargeFinished)
	if err := st.CreateWebhookDeliveries(ctx, []*domain.WebhookDelivery{dup, d1}); err == nil {
		t.Fatal("inserting an existing delivery succeeded")
	}
	if _, err := st.GetWebhookDelivery(ctx, dup.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("a failed batch left %s behind: %v", dup.ID, err)
	}
	got, err := st.GetWebhookDelivery(ctx, d1.ID)
	must(t, err)
	if got.EventID != d1.EventID || got.Event != d1.Event || string(got.Data) != string(d1.Data) || got.Status != api.DeliveryPending || !got.DueAt.Equal(*d1.DueAt) {
		t.Fatalf("GetWebhookDelivery = %+v", got)
	}

	due, err := st.ListDueWebhookDeliveries(ctx, f.store.ID, base.Add(2*time.Second))
	must(t, err)
	if want := []string{d1.ID, d2.ID}; !equalIDs(deliveryIDs(due), want) {
		t.Fatalf("due at +2s = %v, want %v", deliveryIDs(due), want)
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
	if want := []string{d3.ID}; !equalIDs(deliveryIDs(due), want) {
		t.Fatalf("due at +30s = %v, want %v", deliveryIDs(due), want)
	}
	due, _ = st.ListDueWebhookDeliveries(ctx, f.store.ID, next)
	if want := []string{d3.ID, d1.ID}; !equalIDs(deliveryIDs(due), want) {
		t.Fatalf("due at +1m = %v, want %v", deliveryIDs(due), want)
	}
	got, _ = st.GetWebhookDelivery(ctx, d1.ID)
	if len(got.Attempts) != 1 || got.Attempts[0].HTTPStatus != 500 || got.Attempts[0].Duration != 12*time.Millisecond || got.Attempts[0].Error != "HTTP 500" {
		t.Fatalf("attempts = %+v", got.Attempts)
	}
	if err := st.UpdateWebhookDelivery(ctx, delivery(f.store, 9, api.EventChargeFinished)); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("update unknown delivery: %v", err)
	}

	// The log: per store, newest first, filtered.
	list := func(q domain.WebhookDeliveryQuery) []string {
		t.Helper()
		q.StoreID = f.store.ID
		if q.Limit == 0 {
			q.Limit = 10
		}
		l, err := st.ListWebhookDeliveries(ctx, q)
		must(t, err)
		return deliveryIDs(l.Items)
	}
	if got, want := list(domain.WebhookDeliveryQuery{}), []string{d3.ID, d2.ID, d1.ID}; !equalIDs(got, want) {
		t.Fatalf("log = %v, want %v", got, want)
	}
	if got, want := list(domain.WebhookDeliveryQuery{Event: api.EventChargeFinished}), []string{d3.ID, d1.ID}; !equalIDs(got, want) {
		t.Fatalf("log by event = %v", got)
	}
	if got, want := list(domain.WebhookDeliveryQuery{Status: api.DeliverySuccessful}), []string{d2.ID}; !equalIDs(got, want) {
		t.Fatalf("log by status = %v", got)
	}
	if got := list(domain.WebhookDeliveryQuery{WebhookID: newID()}); len(got) != 0 {
		t.Fatalf("log by other webhook = %v", got)
	}
	if got, want := list(domain.WebhookDeliveryQuery{WebhookID: w.ID, Page: domain.Page{Limit: 10, Cursor: d3.ID}}), []string{d2.ID, d1.ID}; !equalIDs(got, want) {
		t.Fatalf("log after cursor = %v", got)
	}
	if got, want := list(domain.WebhookDeliveryQuery{Page: domain.Page{Limit: 10, Asc: true}}), []string{d1.ID, d2.ID, d3.ID}; !equalIDs(got, want) {
		t.Fatalf("log ascending = %v", got)
	}
	// Deliveries outlive their webhook.
	must(t, st.DeleteWebhook(ctx, w.ID))
	if got := list(domain.WebhookDeliveryQuery{WebhookID: w.ID}); len(got) != 3 {
		t.Fatalf("log after deleting the webhook = %v", got)
	}
}
