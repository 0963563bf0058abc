package storagetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// subscription returns a subscription of tok created at base+n seconds.
func (f fixture) subscription(tok *domain.TxToken, n int, st api.SubscriptionStatus, meta api.Metadata) *domain.Subscription {
	created := at(n)
	if meta == nil {
		meta = api.Metadata{}
	}
	return &domain.Subscription{ID: newID(), StoreID: tok.StoreID, MerchantID: tok.MerchantID, TokenID: tok.ID, Mode: tok.Mode,
		Status: st, Amount: 1000, Currency: "JPY", Period: api.PeriodMonthly, Metadata: meta, PaymentType: tok.PaymentType,
		Schedule:    domain.ScheduleSettings{ZoneID: api.DefaultZoneID, TerminationMode: api.TerminationImmediate},
		NextPayment: &domain.ScheduledPayment{ID: newID(), DueDate: created.Format(time.DateOnly), Amount: 1000, CreatedAt: created, UpdatedAt: created},
		CreatedAt:   created, UpdatedAt: created}
}

func testSubscriptions(t *testing.T, st domain.Storage) {
	t.Run("Records", func(t *testing.T) { testSubscriptionRecords(t, st) })
	t.Run("Lists", func(t *testing.T) { testSubscriptionLists(t, st) })
	t.Run("ActiveSubscriptionTokens", func(t *testing.T) { testActiveSubscriptionTokens(t, st) })
}

func testSubscriptionRecords(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)

	// Creation consumes a subscription token atomically.
	tok := f.token(t, st, f.store, 0, api.TokenTypeSubscription)
	sub := f.subscription(tok, 1, api.SubscriptionUnverified, api.Metadata{"big": []byte("12345678901234567890")})
	must(t, st.CreateSubscription(ctx, sub, true))
	used, _ := st.GetToken(ctx, tok.ID)
	if used.Active || used.LastUsedAt == nil || !used.LastUsedAt.Equal(sub.CreatedAt) {
		t.Fatalf("token after CreateSubscription: active=%v last_used=%v", used.Active, used.LastUsedAt)
	}
	again := f.subscription(tok, 2, api.SubscriptionUnverified, nil)
	if err := st.CreateSubscription(ctx, again, true); !errors.Is(err, domain.ErrTokenInactive) {
		t.Fatalf("second subscription on a used token: %v", err)
	}
	if _, err := st.GetSubscription(ctx, again.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("failed creation stored: %v", err)
	}
	ghost := f.subscription(&domain.TxToken{ID: newID(), StoreID: f.store.ID, MerchantID: f.merchant.ID, Mode: api.ModeTest}, 2, api.SubscriptionUnverified, nil)
	if err := st.CreateSubscription(ctx, ghost, false); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("subscription on an unknown token: %v", err)
	}
	// A recurring token stays active.
	rec := f.token(t, st, f.store, 3, api.TokenTypeRecurring)
	must(t, st.CreateSubscription(ctx, f.subscription(rec, 4, api.SubscriptionCurrent, nil), false))
	if r, _ := st.GetToken(ctx, rec.ID); !r.Active || r.LastUsedAt == nil {
		t.Fatalf("recurring token after CreateSubscription: %+v", r)
	}

	got, err := st.GetSubscription(ctx, sub.ID)
	if err != nil || string(got.Metadata["big"]) != "12345678901234567890" || got.NextPayment == nil || got.NextPayment.ID != sub.NextPayment.ID ||
		got.Schedule.ZoneID != api.DefaultZoneID || !got.CreatedAt.Equal(sub.CreatedAt) {
		t.Fatalf("GetSubscription = %+v, %v", got, err)
	}

	// Update: status, token and due time are searchable.
	due := base.Add(time.Hour)
	swap := f.token(t, st, f.store, 5, api.TokenTypeSubscription)
	must(t, st.UseToken(ctx, swap.ID, base.Add(6*time.Second), true))
	if err := st.UseToken(ctx, swap.ID, base.Add(7*time.Second), true); !errors.Is(err, domain.ErrTokenInactive) {
		t.Fatalf("UseToken twice: %v", err)
	}
	if err := st.UseToken(ctx, newID(), base, false); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("UseToken unknown: %v", err)
	}
	got.Status = api.SubscriptionCurrent
	got.TokenID = swap.ID
	got.DueAt = &due
	must(t, st.UpdateSubscription(ctx, got))
	if g, _ := st.GetSubscription(ctx, sub.ID); g.Status != api.SubscriptionCurrent || g.TokenID != swap.ID || !g.DueAt.Equal(due) {
		t.Fatalf("after UpdateSubscription: %+v", g)
	}

	// Due subscriptions, per store, oldest first.
	if list, _ := st.ListDueSubscriptions(ctx, f.store.ID, due.Add(-time.Second)); len(list) != 0 {
		t.Fatalf("due early: %v", list)
	}
	otherTok := f.token(t, st, f.other, 8, api.TokenTypeRecurring)
	otherSub := f.subscription(otherTok, 9, api.SubscriptionCurrent, nil)
	otherSub.DueAt = &due
	must(t, st.CreateSubscription(ctx, otherSub, false))
	earlier := f.subscription(rec, 10, api.SubscriptionUnpaid, nil)
	earlier.DueAt = new(due.Add(-time.Minute))
	must(t, st.CreateSubscription(ctx, earlier, false))
	list, err := st.ListDueSubscriptions(ctx, f.store.ID, due)
	if err != nil || len(list) != 2 || list[0].ID != earlier.ID || list[1].ID != sub.ID {
		t.Fatalf("ListDueSubscriptions = %v, %v", list, err)
	}
	list[1].DueAt = nil
	must(t, st.UpdateSubscription(ctx, list[1]))
	if list, _ := st.ListDueSubscriptions(ctx, f.store.ID, due); len(list) != 1 {
		t.Fatalf("no longer due still listed: %v", list)
	}

	// Delete.
	must(t, st.DeleteSubscription(ctx, earlier.ID))
	// The deleted subscription, deleted twice; an unknown one.
	wantNotFound(t, errOf(st.GetSubscription(ctx, earlier.ID)), st.DeleteSubscription(ctx, earlier.ID),
		errOf(st.GetSubscription(ctx, "nope")), st.UpdateSubscription(ctx, &domain.Subscription{ID: "nope"}))
}

func testSubscriptionLists(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	rec := f.token(t, st, f.store, 0, api.TokenTypeRecurring)
	meta := func(kv ...string) api.Metadata {
		m := api.Metadata{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = []byte(kv[i+1])
		}
		return m
	}
	a := f.subscription(rec, 1, api.SubscriptionCurrent, meta("customer", `"Yamada Taro"`, "n", `42`))
	b := f.subscription(rec, 2, api.SubscriptionUnconfirmed, meta("customer", `"Suzuki"`))
	c := f.subscription(rec, 3, api.SubscriptionSuspended, meta("customer", `"yamada hanako"`))
	c.Mode = api.ModeLive
	for _, s := range []*domain.Subscription{a, b, c} {
		must(t, st.CreateSubscription(ctx, s, false))
	}
	otherTok := f.token(t, st, f.other, 4, api.TokenTypeRecurring)
	d := f.subscription(otherTok, 5, api.SubscriptionCurrent, nil)
	must(t, st.CreateSubscription(ctx, d, false))

	storeScope := domain.Scope{MerchantID: f.merchant.ID, StoreID: f.store.ID}
	list := func(q domain.SubscriptionQuery) []string {
		t.Helper()
		q.Limit = 10
		l, err := st.ListSubscriptions(ctx, q)
		must(t, err)
		if l.TotalHits < len(l.Items) {
			t.Errorf("total_hits %d < %d items", l.TotalHits, len(l.Items))
		}
		return ids(l.Items)
	}
	for _, tt := range []struct {
		name string
		q    domain.SubscriptionQuery
		want []string
	}{
		{"store, newest first", domain.SubscriptionQuery{Scope: storeScope}, []string{c.ID, b.ID, a.ID}},
		{"merchant", domain.SubscriptionQuery{Scope: domain.Scope{MerchantID: f.merchant.ID}}, []string{d.ID, c.ID, b.ID, a.ID}},
		{"search is case-insensitive, in values", domain.SubscriptionQuery{Scope: storeScope, Search: "YAMADA"}, []string{c.ID, a.ID}},
		{"search in number values", domain.SubscriptionQuery{Scope: storeScope, Search: "42"}, []string{a.ID}},
		{"search not in keys", domain.SubscriptionQuery{Scope: storeScope, Search: "customer"}, nil},
		{"statuses", domain.SubscriptionQuery{Scope: storeScope, Statuses: []api.SubscriptionStatus{api.SubscriptionCurrent, api.SubscriptionSuspended}}, []string{c.ID, a.ID}},
		{"mode", domain.SubscriptionQuery{Scope: storeScope, Filters: domain.Filters{Mode: api.ModeLive}}, []string{c.ID}},
		{"metadata", domain.SubscriptionQuery{Scope: storeScope, Filters: domain.Filters{Metadata: map[string]string{"customer": "Suzuki"}}}, []string{b.ID}},
	} {
		if got := list(tt.q); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	testRecordPages(t, 2, func(p domain.Page) (domain.List[*domain.Subscription], error) {
		return st.ListSubscriptions(ctx, domain.SubscriptionQuery{Scope: storeScope, Page: p})
	}, []string{c.ID, b.ID, a.ID})
}

func testActiveSubscriptionTokens(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	tok := f.token(t, st, f.store, 10, api.TokenTypeSubscription) // card fingerprint "fp"
	exists := func(storeID, fp string, since time.Time) bool {
		t.Helper()
		ok, err := st.ActiveSubscriptionTokenExists(ctx, storeID, fp, since)
		must(t, err)
		return ok
	}
	if !exists(f.store.ID, "fp", base.Add(10*time.Second)) {
		t.Fatal("active token not found")
	}
	if exists(f.store.ID, "fp", base.Add(11*time.Second)) {
		t.Error("token created before since found")
	}
	if exists(f.store.ID, "other", base) || exists(f.other.ID, "fp", base) {
		t.Error("another card or store matched")
	}
	f.token(t, st, f.store, 20, api.TokenTypeRecurring)
	if exists(f.store.ID, "fp", base.Add(15*time.Second)) {
		t.Error("a recurring token counted")
	}
	must(t, st.UseToken(ctx, tok.ID, base.Add(30*time.Second), true))
	if exists(f.store.ID, "fp", base) {
		t.Error("a used token counted")
	}
}
