package storagetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// cancel returns a pending cancel of c created at base+n seconds.
func cancel(c *domain.Charge, n int) *domain.Cancel {
	return &domain.Cancel{ID: newID(), StoreID: c.StoreID, MerchantID: c.MerchantID, ChargeID: c.ID, Status: api.CancelPending,
		Metadata: api.Metadata{}, Mode: c.Mode, CreatedAt: at(n), UpdatedAt: at(n)}
}

func testCancels(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	rec := f.token(t, st, f.store, 0, api.TokenTypeRecurring)
	ch := f.charge(t, st, rec, 1, 1000, status(api.ChargeAuthorized))

	due := base.Add(time.Minute)
	var want []string // newest first
	for i := range 3 {
		c := cancel(ch, 2+i)
		c.Metadata = api.Metadata{"order_id": []byte("1234")}
		c.DueAt = &due
		must(t, st.CreateCancel(ctx, c))
		want = append([]string{c.ID}, want...)
	}
	got, err := st.GetCancel(ctx, want[2])
	if err != nil || got.ChargeID != ch.ID || got.Status != api.CancelPending || string(got.Metadata["order_id"]) != "1234" {
		t.Fatalf("GetCancel = %+v, %v", got, err)
	}

	if l, _ := st.ListDueCancels(ctx, f.store.ID, due.Add(-time.Second)); len(l) != 0 {
		t.Fatalf("due before its time: %v", ids(l))
	}
	if l, _ := st.ListDueCancels(ctx, f.other.ID, due); len(l) != 0 {
		t.Fatalf("another store's due cancels: %v", ids(l))
	}
	l, err := st.ListDueCancels(ctx, f.store.ID, due)
	if err != nil || len(l) != 3 {
		t.Fatalf("ListDueCancels = %v, %v", ids(l), err)
	}

	// A successful cancel and its charge are stored together.
	got.Status, got.DueAt = api.CancelSuccessful, nil
	ch.Status = api.ChargeCanceled
	must(t, st.UpdateCancel(ctx, got, ch))
	if c, _ := st.GetCancel(ctx, got.ID); c.Status != api.CancelSuccessful {
		t.Fatalf("cancel after update: %s", c.Status)
	}
	if c, _ := st.GetCharge(ctx, ch.ID); c.Status != api.ChargeCanceled {
		t.Fatalf("charge after cancel: %s", c.Status)
	}
	if l, _ := st.ListDueCancels(ctx, f.store.ID, due); len(l) != 2 {
		t.Fatalf("settled cancel still due: %v", ids(l))
	}
	// Neither is stored when one of them cannot be.
	next, _ := st.GetCancel(ctx, want[1])
	next.Status = api.CancelFailed
	if err := st.UpdateCancel(ctx, next, &domain.Charge{ID: "nope"}); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("update with an unknown charge: %v", err)
	}
	if c, _ := st.GetCancel(ctx, next.ID); c.Status != api.CancelPending {
		t.Fatalf("cancel stored although its charge was not: %s", c.Status)
	}
	// Without a charge only the cancel changes.
	must(t, st.UpdateCancel(ctx, next, nil))
	if c, _ := st.GetCancel(ctx, next.ID); c.Status != api.CancelFailed {
		t.Fatalf("cancel after update: %s", c.Status)
	}

	q := domain.CancelQuery{Scope: domain.Scope{StoreID: f.store.ID}, Page: domain.Page{Limit: 10}, ChargeID: ch.ID}
	list, err := st.ListCancels(ctx, q)
	if err != nil || list.TotalHits != 3 || !slices.Equal(ids(list.Items), want) {
		t.Fatalf("ListCancels = %v, %v", ids(list.Items), err)
	}
	q.ChargeID = newID()
	if l, _ := st.ListCancels(ctx, q); l.TotalHits != 0 {
		t.Fatalf("another charge's cancels: %v", ids(l.Items))
	}
	wantNotFound(t, errOf(st.GetCancel(ctx, "nope")), st.UpdateCancel(ctx, &domain.Cancel{ID: "nope"}, nil))
}
