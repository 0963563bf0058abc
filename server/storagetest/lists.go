package storagetest

import (
	"errors"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// ids returns the IDs of items.
func ids[T interface {
	*domain.Charge | *domain.TxToken
}](items []T) []string {
	var out []string
	for _, it := range items {
		switch v := any(it).(type) {
		case *domain.Charge:
			out = append(out, v.ID)
		case *domain.TxToken:
			out = append(out, v.ID)
		}
	}
	return out
}

func equalIDs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// walk pages through a list with cursors and returns every ID in order.
func walk(t *testing.T, list func(p domain.Page) (domain.List[*domain.Charge], error), limit int, asc bool) []string {
	t.Helper()
	var out []string
	p := domain.Page{Limit: limit, Asc: asc}
	for range 100 {
		l, err := list(p)
		must(t, err)
		out = append(out, ids(l.Items)...)
		if !l.HasMore {
			return out
		}
		p.Cursor = l.Items[len(l.Items)-1].ID
	}
	t.Fatal("pagination did not end")
	return nil
}

func testChargeLists(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	rec := f.token(t, st, f.store, 0, api.TokenTypeRecurring)
	var want []string // newest first
	for i := range 25 {
		c := f.charge(t, st, rec, i+1, int64(100*(i+1)))
		want = append([]string{c.ID}, want...)
	}
	otherTok := f.token(t, st, f.other, 0, api.TokenTypeRecurring)
	otherCharge := f.charge(t, st, otherTok, 1, 100)

	storeList := func(p domain.Page) (domain.List[*domain.Charge], error) {
		return st.ListCharges(ctx, domain.ChargeQuery{Scope: domain.Scope{MerchantID: f.merchant.ID, StoreID: f.store.ID}, Page: p})
	}
	if got := walk(t, storeList, 10, false); !equalIDs(got, want) {
		t.Fatalf("descending pages = %v\nwant %v", got, want)
	}
	asc := make([]string, len(want))
	for i, id := range want {
		asc[len(want)-1-i] = id
	}
	if got := walk(t, storeList, 7, true); !equalIDs(got, asc) {
		t.Fatalf("ascending pages = %v", got)
	}
	first, err := storeList(domain.Page{Limit: 10})
	if err != nil || first.TotalHits != 25 || !first.HasMore || len(first.Items) != 10 {
		t.Fatalf("first page: total=%d more=%v n=%d err=%v", first.TotalHits, first.HasMore, len(first.Items), err)
	}
	if _, err := storeList(domain.Page{Limit: 10, Cursor: newID()}); !errors.Is(err, domain.ErrCursor) {
		t.Fatalf("unknown cursor: %v", err)
	}

	merchant, err := st.ListCharges(ctx, domain.ChargeQuery{Scope: domain.Scope{MerchantID: f.merchant.ID}, Page: domain.Page{Limit: 100}})
	if err != nil || merchant.TotalHits != 26 || merchant.Items[0].ID != otherCharge.ID {
		t.Fatalf("merchant-wide list: total=%d err=%v", merchant.TotalHits, err)
	}

	from := base.Add(5 * time.Second)
	to := base.Add(10 * time.Second)
	between, err := st.ListCharges(ctx, domain.ChargeQuery{Scope: domain.Scope{StoreID: f.store.ID}, Page: domain.Page{Limit: 100},
		Filters: domain.Filters{From: &from, To: &to}})
	if err != nil || between.TotalHits != 5 { // created at +5 … +9 s
		t.Fatalf("from/to: %d, %v", between.TotalHits, err)
	}
	byToken, _ := st.ListCharges(ctx, domain.ChargeQuery{Scope: domain.Scope{StoreID: f.other.ID}, Page: domain.Page{Limit: 10}, TransactionTokenID: otherTok.ID})
	if byToken.TotalHits != 1 {
		t.Fatalf("by token: %d", byToken.TotalHits)
	}
	lo, hi := int64(1000), int64(1500)
	byAmount, _ := st.ListCharges(ctx, domain.ChargeQuery{Scope: domain.Scope{StoreID: f.store.ID}, Page: domain.Page{Limit: 10}, AmountFrom: &lo, AmountTo: &hi})
	if byAmount.TotalHits != 4 { // 1100 … 1400
		t.Fatalf("amount_from/amount_to: %d", byAmount.TotalHits)
	}
	c, _ := st.GetCharge(ctx, want[0])
	c.Metadata = api.Metadata{"order": []byte(`"A-1"`), "n": []byte(`7`)}
	must(t, st.UpdateCharge(ctx, c))
	byMeta, _ := st.ListCharges(ctx, domain.ChargeQuery{Scope: domain.Scope{StoreID: f.store.ID}, Page: domain.Page{Limit: 10},
		Filters: domain.Filters{Metadata: map[string]string{"order": "A-1", "n": "7"}}})
	if byMeta.TotalHits != 1 || byMeta.Items[0].ID != c.ID {
		t.Fatalf("metadata filter: %d", byMeta.TotalHits)
	}
}

func testTokenLists(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	a := f.token(t, st, f.store, 1, api.TokenTypeRecurring)
	b := f.token(t, st, f.store, 2, api.TokenTypeOneTime)
	f.token(t, st, f.other, 3, api.TokenTypeRecurring)
	all, err := st.ListTokens(ctx, domain.TokenQuery{Scope: domain.Scope{StoreID: f.store.ID}, Page: domain.Page{Limit: 10}})
	if err != nil || !equalIDs(ids(all.Items), []string{b.ID, a.ID}) {
		t.Fatalf("ListTokens = %v, %v", ids(all.Items), err)
	}
	rec, _ := st.ListTokens(ctx, domain.TokenQuery{Scope: domain.Scope{StoreID: f.store.ID}, Page: domain.Page{Limit: 10}, Type: api.TokenTypeRecurring})
	if !equalIDs(ids(rec.Items), []string{a.ID}) {
		t.Fatalf("type filter = %v", ids(rec.Items))
	}
	merchant, _ := st.ListTokens(ctx, domain.TokenQuery{Scope: domain.Scope{MerchantID: f.merchant.ID}, Page: domain.Page{Limit: 10}})
	if merchant.TotalHits != 3 {
		t.Fatalf("merchant-wide tokens = %d", merchant.TotalHits)
	}
}
