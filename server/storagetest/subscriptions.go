package storagetest

import (
	"errors"
	"slices"
	"sync"
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
	t.Run("Payments", func(t *testing.T) { testSubscriptionPayments(t, st) })
	t.Run("Claims", func(t *testing.T) { testSubscriptionClaims(t, st) })
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

// payment returns payment index of a subscription, due n days after base.
func payment(index, n int) *domain.ScheduledPayment {
	return &domain.ScheduledPayment{ID: newID(), Index: index, DueDate: base.AddDate(0, 0, n).Format(time.DateOnly), Amount: 1000,
		CreatedAt: at(n), UpdatedAt: at(n)}
}

// paymentIDs lists a subscription's payment rows, newest first, in one page.
func paymentIDs(t *testing.T, st domain.Storage, subID string) []string {
	t.Helper()
	l, err := st.ListSubscriptionPayments(ctx, domain.SubscriptionPaymentQuery{Page: domain.Page{Limit: 100}, SubscriptionID: subID})
	must(t, err)
	var out []string
	for _, p := range l.Items {
		out = append(out, p.ID)
	}
	if l.TotalHits != len(out) || l.HasMore {
		t.Fatalf("payments: total %d, more %v, %d items", l.TotalHits, l.HasMore, len(out))
	}
	return out
}

// The payment rows follow the subscription's last and next payments
// (domain.SubscriptionStorage): a row for each payment attempted or paid,
// and one for the next payment.
func testSubscriptionPayments(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	rec := f.token(t, st, f.store, 0, api.TokenTypeRecurring)
	sub := f.subscription(rec, 1, api.SubscriptionUnverified, nil)
	p0 := sub.NextPayment
	must(t, st.CreateSubscription(ctx, sub, false))
	wantIDs := func(want ...string) {
		t.Helper()
		if got := paymentIDs(t, st, sub.ID); !slices.Equal(got, want) {
			t.Fatalf("payment rows = %v, want %v", got, want)
		}
	}
	wantIDs(p0.ID)

	// The first payment is attempted, then paid: its row follows; the
	// next payment has a row too.
	p0.Attempts, p0.ChargeID = 1, new(newID())
	must(t, st.UpdateSubscription(ctx, sub))
	if got, err := st.GetSubscriptionPayment(ctx, sub.ID, p0.ID); err != nil || got.Attempts != 1 || got.ChargeID == nil || *got.ChargeID != *p0.ChargeID {
		t.Fatalf("GetSubscriptionPayment = %+v, %v", got, err)
	}
	p0.PaidAt = new(at(2))
	p1 := payment(1, 30)
	sub.LastPayment, sub.NextPayment = p0, p1
	must(t, st.UpdateSubscription(ctx, sub))
	wantIDs(p1.ID, p0.ID)
	if got, _ := st.GetSubscriptionPayment(ctx, sub.ID, p0.ID); got.PaidAt == nil || !got.PaidAt.Equal(at(2)) {
		t.Fatalf("paid row = %+v", got)
	}

	// A next payment never attempted is dropped when replaced; one that
	// was attempted stays.
	p1b := payment(1, 31)
	sub.NextPayment = p1b
	must(t, st.UpdateSubscription(ctx, sub))
	wantIDs(p1b.ID, p0.ID)
	p1b.Attempts = 1
	must(t, st.UpdateSubscription(ctx, sub))
	sub.NextPayment = nil // canceled
	must(t, st.UpdateSubscription(ctx, sub))
	wantIDs(p1b.ID, p0.ID)
	wantNotFound(t, errOf(st.GetSubscriptionPayment(ctx, sub.ID, p1.ID)))

	// Rows belong to their subscription.
	other := f.subscription(rec, 3, api.SubscriptionCurrent, nil)
	must(t, st.CreateSubscription(ctx, other, false))
	wantIDs(p1b.ID, p0.ID)
	wantNotFound(t, errOf(st.GetSubscriptionPayment(ctx, other.ID, p0.ID)), errOf(st.GetSubscriptionPayment(ctx, sub.ID, other.NextPayment.ID)),
		errOf(st.GetSubscriptionPayment(ctx, sub.ID, newID())))

	// A year of payments, in pages.
	long := f.subscription(rec, 4, api.SubscriptionCurrent, nil)
	must(t, st.CreateSubscription(ctx, long, false))
	want := []string{long.NextPayment.ID}
	for i := 1; i <= 12; i++ {
		paid := *long.NextPayment
		paid.Attempts, paid.PaidAt = 1, new(at(30*i))
		long.LastPayment, long.NextPayment = &paid, payment(i, 30*i)
		must(t, st.UpdateSubscription(ctx, long))
		want = append([]string{long.NextPayment.ID}, want...)
	}
	testPages(t, 5, func(p *domain.ScheduledPayment) string { return p.ID }, func(p *domain.ScheduledPayment) string { return p.ID },
		func(p domain.Page) (domain.List[*domain.ScheduledPayment], error) {
			return st.ListSubscriptionPayments(ctx, domain.SubscriptionPaymentQuery{Page: p, SubscriptionID: long.ID})
		}, want)

	// Deleting a subscription deletes its rows; so does a reset.
	must(t, st.DeleteSubscription(ctx, sub.ID))
	wantNotFound(t, errOf(st.GetSubscriptionPayment(ctx, sub.ID, p0.ID)))
	if got := paymentIDs(t, st, sub.ID); len(got) != 0 {
		t.Fatalf("rows of a deleted subscription: %v", got)
	}
	_, err := st.ResetStore(ctx, f.store.ID)
	must(t, err)
	wantNotFound(t, errOf(st.GetSubscriptionPayment(ctx, long.ID, want[0])))
}

// ClaimDueSubscription hands each due subscription to one claim at a time,
// oldest first, and stores what the claim changed.
func testSubscriptionClaims(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	rec := f.token(t, st, f.store, 0, api.TokenTypeRecurring)
	now := base.Add(24 * time.Hour)
	due := func(n int, d time.Duration) *domain.Subscription {
		sub := f.subscription(rec, n, api.SubscriptionCurrent, nil)
		sub.DueAt = new(now.Add(d))
		must(t, st.CreateSubscription(ctx, sub, false))
		return sub
	}
	later := due(1, -time.Minute)
	first := due(2, -2*time.Minute)
	due(3, time.Minute) // not due yet
	otherTok := f.token(t, st, f.other, 4, api.TokenTypeRecurring)
	other := f.subscription(otherTok, 5, api.SubscriptionCurrent, nil)
	other.DueAt = new(now.Add(-time.Hour))
	must(t, st.CreateSubscription(ctx, other, false))

	lease := now.Add(time.Minute)
	claim := func(t *testing.T, at time.Time) *domain.Subscription {
		t.Helper()
		sub, err := st.ClaimDueSubscription(ctx, f.store.ID, at, func(sub *domain.Subscription) {
			sub.DueAt = new(lease)
			sub.NextPayment.Attempts++
		})
		must(t, err)
		return sub
	}
	for _, want := range []*domain.Subscription{first, later} {
		got := claim(t, now)
		if got.ID != want.ID || !got.DueAt.Equal(lease) {
			t.Fatalf("claimed %s due %v, want %s due %v", got.ID, got.DueAt, want.ID, lease)
		}
		stored, _ := st.GetSubscription(ctx, want.ID)
		row, err := st.GetSubscriptionPayment(ctx, want.ID, want.NextPayment.ID)
		if !stored.DueAt.Equal(lease) || stored.NextPayment.Attempts != 1 || err != nil || row.Attempts != 1 {
			t.Fatalf("after the claim: %+v, row %+v %v", stored, row, err)
		}
	}
	if _, err := st.ClaimDueSubscription(ctx, f.store.ID, now, func(*domain.Subscription) { t.Fatal("claim called") }); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("nothing due: %v", err)
	}
	if l, _ := st.ListDueSubscriptions(ctx, f.other.ID, now); len(l) != 1 {
		t.Fatal("another store's subscription was claimed")
	}
	// A lease that ran out is claimed again (equal due times: by ID).
	if got := claim(t, lease); got.ID != later.ID || got.NextPayment.Attempts != 2 {
		t.Fatalf("after the lease: %s attempts %d", got.ID, got.NextPayment.Attempts)
	}

	// Concurrent claims take each due subscription once.
	g := newFixture(t, st)
	tok := g.token(t, st, g.store, 0, api.TokenTypeRecurring)
	var want []string
	for i := range 20 {
		sub := g.subscription(tok, i+1, api.SubscriptionCurrent, nil)
		sub.DueAt = new(now.Add(-time.Duration(i) * time.Second))
		must(t, st.CreateSubscription(ctx, sub, false))
		want = append(want, sub.ID)
	}
	var mu sync.Mutex
	var got []string
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				sub, err := st.ClaimDueSubscription(ctx, g.store.ID, now, func(sub *domain.Subscription) { sub.DueAt = nil })
				if errors.Is(err, domain.ErrNotFound) {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				got = append(got, sub.ID)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("concurrent claims took %v\nwant each of %v once", got, want)
	}
}
