package storagetest

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"kessai/server/domain"
)

// testRequestLog: entries are listed newest first per store, found by any
// of their resource IDs (whole IDs only, any case), and each store keeps
// only its newest entries.
func testRequestLog(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	charge, refund, token := newID(), newID(), newID()
	entry := func(s *domain.Store, n int, ids ...string) *domain.RequestLogEntry {
		return &domain.RequestLogEntry{ID: newID(), StoreID: s.ID, At: at(n), Method: "POST", Path: "/x?n=1", Status: 201,
			Secret: true, IdempotencyKey: "k", Replay: n%2 == 0, ResourceIDs: ids, Duration: 3 * time.Millisecond}
	}
	e1 := entry(f.store, 1, token)
	e2 := entry(f.store, 2, charge)
	e3 := entry(f.store, 3, charge, refund)
	e4 := entry(f.store, 4)
	e4.Path = "/sandbox/clock/advance"
	o1 := entry(f.other, 5, charge)
	must(t, st.AddRequests(ctx, []*domain.RequestLogEntry{e1, e2}, 100))
	must(t, st.AddRequests(ctx, []*domain.RequestLogEntry{e3, e4, o1}, 100))

	list := func(q domain.RequestLogQuery) []*domain.RequestLogEntry {
		t.Helper()
		if q.Limit == 0 {
			q.Limit = 100
		}
		l, err := st.ListRequests(ctx, q)
		must(t, err)
		if l.TotalHits != len(l.Items) && !l.HasMore {
			t.Fatalf("total_hits %d, %d items", l.TotalHits, len(l.Items))
		}
		return l.Items
	}
	idsOf := func(es []*domain.RequestLogEntry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	for _, tt := range []struct {
		name string
		q    domain.RequestLogQuery
		want []*domain.RequestLogEntry
	}{
		{"store", domain.RequestLogQuery{StoreID: f.store.ID}, []*domain.RequestLogEntry{e4, e3, e2, e1}},
		{"other store", domain.RequestLogQuery{StoreID: f.other.ID}, []*domain.RequestLogEntry{o1}},
		{"resource", domain.RequestLogQuery{StoreID: f.store.ID, ResourceID: charge}, []*domain.RequestLogEntry{e3, e2}},
		{"resource upper case", domain.RequestLogQuery{StoreID: f.store.ID, ResourceID: strings.ToUpper(refund)}, []*domain.RequestLogEntry{e3}},
		{"part of an ID", domain.RequestLogQuery{StoreID: f.store.ID, ResourceID: charge[:8]}, nil},
		{"path prefix", domain.RequestLogQuery{StoreID: f.store.ID, PathPrefix: "/sandbox/clock/"}, []*domain.RequestLogEntry{e4}},
		{"path prefix, like's wildcards are plain", domain.RequestLogQuery{StoreID: f.store.ID, PathPrefix: "/sandbox/%"}, nil},
		{"oldest first", domain.RequestLogQuery{StoreID: f.store.ID, Page: domain.Page{Asc: true}}, []*domain.RequestLogEntry{e1, e2, e3, e4}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := idsOf(list(tt.q)); !slices.Equal(got, idsOf(tt.want)) {
				t.Fatalf("got %v, want %v", got, idsOf(tt.want))
			}
		})
	}
	// Stored as given.
	got := list(domain.RequestLogQuery{StoreID: f.store.ID, ResourceID: refund})
	if len(got) != 1 || !got[0].At.Equal(e3.At) {
		t.Fatalf("entry: %+v", got)
	}
	got[0].At = e3.At
	if !reflect.DeepEqual(got[0], e3) {
		t.Fatalf("entry read back %+v, want %+v", got[0], e3)
	}
	// Pages by cursor.
	testRecordPages(t, 3, func(p domain.Page) (domain.List[*domain.RequestLogEntry], error) {
		return st.ListRequests(ctx, domain.RequestLogQuery{StoreID: f.store.ID, Page: p})
	}, idsOf([]*domain.RequestLogEntry{e4, e3, e2, e1}))

	// Keeping 3: the store's oldest goes, the other store keeps its own.
	e5 := entry(f.store, 6, token)
	must(t, st.AddRequests(ctx, []*domain.RequestLogEntry{e5}, 3))
	if got := idsOf(list(domain.RequestLogQuery{StoreID: f.store.ID})); !slices.Equal(got, idsOf([]*domain.RequestLogEntry{e5, e4, e3})) {
		t.Fatalf("after trimming to 3: %v", got)
	}
	if got := list(domain.RequestLogQuery{StoreID: f.other.ID}); len(got) != 1 {
		t.Fatalf("the other store's log: %d entries", len(got))
	}
}
