package storagetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// succeeded marks a charge successful with its full amount charged.
func succeeded(t *testing.T, st domain.Storage, c *domain.Charge) {
	t.Helper()
	c.Status = api.ChargeSuccessful
	c.ChargedAmount = &c.Amount
	c.ChargedCurrency = &c.Currency
	must(t, st.UpdateCharge(ctx, c))
}

// refund returns a pending refund of c created at base+n seconds.
func refund(c *domain.Charge, n int, amount int64) *domain.Refund {
	at := base.Add(time.Duration(n) * time.Second)
	return &domain.Refund{ID: newID(), StoreID: c.StoreID, MerchantID: c.MerchantID, ChargeID: c.ID, Status: api.RefundPending,
		Amount: amount, Currency: c.Currency, Metadata: api.Metadata{}, Mode: c.Mode, CreatedAt: at, UpdatedAt: at}
}

func refundIDs(items []*domain.Refund) []string {
	var out []string
	for _, r := range items {
		out = append(out, r.ID)
	}
	return out
}

func testRefunds(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	rec := f.token(t, st, f.store, 0, api.TokenTypeRecurring)
	c := f.charge(t, st, rec, 1, 1000)
	succeeded(t, st, c)

	t.Run("total never above the charge", func(t *testing.T) {
		a := refund(c, 2, 300)
		reason := api.RefundReasonCustomerRequest
		a.Reason = &reason
		a.Metadata = api.Metadata{"coupon": []byte(`"VIP007"`), "big": []byte(`12345678901234567890`)}
		must(t, st.CreateRefund(ctx, a, 1000))
		got, err := st.GetRefund(ctx, a.ID)
		if err != nil || got.Amount != 300 || got.ChargeID != c.ID || *got.Reason != reason || string(got.Metadata["big"]) != "12345678901234567890" {
			t.Fatalf("GetRefund = %+v, %v", got, err)
		}
		b := refund(c, 3, 700)
		must(t, st.CreateRefund(ctx, b, 1000))
		over := refund(c, 4, 1)
		if err := st.CreateRefund(ctx, over, 1000); !errors.Is(err, domain.ErrRefundExceedsCharge) {
			t.Fatalf("refund above the charge: %v", err)
		}
		if _, err := st.GetRefund(ctx, over.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("refused refund was stored: %v", err)
		}
		// Failed and errored refunds give their amount back.
		a.Status = api.RefundFailed
		must(t, st.UpdateRefund(ctx, a))
		b.Status = api.RefundError
		must(t, st.UpdateRefund(ctx, b))
		must(t, st.CreateRefund(ctx, refund(c, 5, 1000), 1000))
		if err := st.CreateRefund(ctx, refund(c, 6, 1), 1000); !errors.Is(err, domain.ErrRefundExceedsCharge) {
			t.Fatalf("refund on a fully refunded charge: %v", err)
		}
	})

	t.Run("concurrent refunds", func(t *testing.T) {
		c := f.charge(t, st, rec, 10, 1000)
		succeeded(t, st, c)
		var wg sync.WaitGroup
		var mu sync.Mutex
		created, refused := 0, 0
		start := make(chan struct{})
		for i := range 25 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				err := st.CreateRefund(ctx, refund(c, 11+i, 100), 1000)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					created++
				case errors.Is(err, domain.ErrRefundExceedsCharge):
					refused++
				default:
					t.Errorf("CreateRefund: %v", err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if created != 10 || refused != 15 {
			t.Fatalf("created %d, refused %d; want 10 and 15", created, refused)
		}
		l, err := st.ListRefunds(ctx, domain.RefundQuery{Scope: domain.Scope{StoreID: f.store.ID}, Page: domain.Page{Limit: 100}, ChargeID: c.ID})
		if err != nil || l.TotalHits != 10 {
			t.Fatalf("stored refunds = %d, %v", l.TotalHits, err)
		}
	})

	t.Run("due and lists", func(t *testing.T) {
		c := f.charge(t, st, rec, 40, 5000)
		succeeded(t, st, c)
		due := base.Add(time.Minute)
		var want []string // newest first
		for i := range 12 {
			r := refund(c, 41+i, 100)
			if i == 3 {
				r.DueAt = &due
				r.Metadata = api.Metadata{"order": []byte(`"A-1"`)}
			}
			must(t, st.CreateRefund(ctx, r, 5000))
			want = append([]string{r.ID}, want...)
		}
		otherTok := f.token(t, st, f.other, 0, api.TokenTypeRecurring)
		oc := f.charge(t, st, otherTok, 41, 1000)
		succeeded(t, st, oc)
		later := due.Add(time.Hour)
		o := refund(oc, 42, 100)
		o.DueAt = &due
		must(t, st.CreateRefund(ctx, o, 1000))

		if l, _ := st.ListDueRefunds(ctx, f.store.ID, due.Add(-time.Second)); len(l) != 0 {
			t.Fatalf("due before its time: %v", refundIDs(l))
		}
		l, err := st.ListDueRefunds(ctx, f.store.ID, later)
		if err != nil || len(l) != 1 || l[0].ID != want[8] {
			t.Fatalf("ListDueRefunds = %v, %v", refundIDs(l), err)
		}
		l[0].DueAt = nil
		l[0].Status = api.RefundSuccessful
		must(t, st.UpdateRefund(ctx, l[0]))
		if l, _ := st.ListDueRefunds(ctx, f.store.ID, later); len(l) != 0 {
			t.Fatalf("settled refund still due: %v", refundIDs(l))
		}

		q := domain.RefundQuery{Scope: domain.Scope{StoreID: f.store.ID}, Page: domain.Page{Limit: 10}, ChargeID: c.ID}
		first, err := st.ListRefunds(ctx, q)
		if err != nil || first.TotalHits != 12 || !first.HasMore || !equalIDs(refundIDs(first.Items), want[:10]) {
			t.Fatalf("first page = %v (total %d, more %v), %v", refundIDs(first.Items), first.TotalHits, first.HasMore, err)
		}
		q.Cursor = first.Items[9].ID
		second, _ := st.ListRefunds(ctx, q)
		if second.HasMore || !equalIDs(refundIDs(second.Items), want[10:]) {
			t.Fatalf("second page = %v", refundIDs(second.Items))
		}
		q.Cursor = newID()
		if _, err := st.ListRefunds(ctx, q); !errors.Is(err, domain.ErrCursor) {
			t.Fatalf("unknown cursor: %v", err)
		}
		q.Cursor = ""
		q.Filters.Metadata = map[string]string{"order": "A-1"}
		if m, _ := st.ListRefunds(ctx, q); m.TotalHits != 1 || m.Items[0].ID != want[8] {
			t.Fatalf("metadata filter: %v", refundIDs(m.Items))
		}
		merchant, _ := st.ListRefunds(ctx, domain.RefundQuery{Scope: domain.Scope{MerchantID: f.merchant.ID}, Page: domain.Page{Limit: 10}})
		if merchant.TotalHits != 3+10+12+1 || merchant.Items[0].ID != o.ID { // the refunds of every subtest
			t.Fatalf("merchant-wide refunds: %d", merchant.TotalHits)
		}
	})

	// The transaction history lists charges and refunds (its own merchant
	// and stores, in the same storage).
	t.Run("transactions", func(t *testing.T) { testTransactions(t, st) })

	for _, err := range []error{
		func() error { _, err := st.GetRefund(ctx, "nope"); return err }(),
		st.UpdateRefund(ctx, &domain.Refund{ID: "nope"}),
	} {
		if !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("want ErrNotFound, got %v", err)
		}
	}
}

// txKey names a transaction item for comparisons: "charge:<id>" or
// "refund:<id>".
func txKey(it *domain.Transaction) string {
	if it.Type == api.TransactionRefund {
		return "refund:" + it.Refund.ID
	}
	return "charge:" + it.Charge.ID
}

func txKeys(items []*domain.Transaction) []string {
	var out []string
	for _, it := range items {
		out = append(out, txKey(it))
	}
	return out
}

func testTransactions(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	rec := f.token(t, st, f.store, 0, api.TokenTypeRecurring)
	var want []string // newest first
	var charges []*domain.Charge
	var refunds []*domain.Refund
	// Charges at +1 … +6 s, each but the last refunded one second later.
	for i := range 6 {
		c := f.charge(t, st, rec, 2*i+1, 1000)
		succeeded(t, st, c)
		charges = append(charges, c)
		want = append([]string{"charge:" + c.ID}, want...)
		if i < 5 {
			r := refund(c, 2*i+2, 100)
			if i == 2 {
				r.Metadata = api.Metadata{"coupon": []byte(`"VIP007"`)}
			}
			must(t, st.CreateRefund(ctx, r, 1000))
			refunds = append(refunds, r)
			want = append([]string{"refund:" + r.ID}, want...)
		}
	}
	// A failed charge on another card of the same store.
	other := f.token(t, st, f.store, 20, api.TokenTypeOneTime)
	other.Email = "hanako@example.com"
	other.Card.Cardholder = "HANAKO SATO"
	must(t, st.UpdateToken(ctx, other))
	failed := f.charge(t, st, other, 21, 500)
	failed.Status = api.ChargeFailed
	failed.LastFour = "1111"
	failed.Metadata = api.Metadata{"order": []byte(`"B-2"`)}
	must(t, st.UpdateCharge(ctx, failed))
	want = append([]string{"charge:" + failed.ID}, want...)
	// Another store's charge.
	otherStoreTok := f.token(t, st, f.other, 0, api.TokenTypeOneTime)
	otherStoreCharge := f.charge(t, st, otherStoreTok, 22, 100)

	scope := domain.Scope{MerchantID: f.merchant.ID, StoreID: f.store.ID}
	list := func(q domain.TransactionQuery) domain.List[*domain.Transaction] {
		t.Helper()
		if q.Scope == (domain.Scope{}) {
			q.Scope = scope
		}
		if q.Limit == 0 {
			q.Limit = 100
		}
		l, err := st.ListTransactions(ctx, q)
		must(t, err)
		return l
	}

	all := list(domain.TransactionQuery{})
	if all.TotalHits != 12 || all.HasMore || !equalIDs(txKeys(all.Items), want) {
		t.Fatalf("all = %v (total %d)\nwant %v", txKeys(all.Items), all.TotalHits, want)
	}
	for _, it := range all.Items {
		switch {
		case it.Charge == nil || it.Token == nil || it.Token.ID != it.Charge.TokenID:
			t.Fatalf("item %s lacks its charge or token", txKey(it))
		case it.Type == api.TransactionRefund && (it.Refund == nil || it.Refund.ChargeID != it.Charge.ID):
			t.Fatalf("refund item %s lacks its refund", txKey(it))
		case it.Type == api.TransactionCharge && it.Refund != nil:
			t.Fatalf("charge item %s has a refund", txKey(it))
		}
	}

	// Pages of 5 with cursors, both directions.
	for _, asc := range []bool{false, true} {
		var got []string
		q := domain.TransactionQuery{Page: domain.Page{Limit: 5, Asc: asc}}
		for range 10 {
			l := list(q)
			got = append(got, txKeys(l.Items)...)
			if l.TotalHits != 12 {
				t.Fatalf("total_hits on a later page = %d", l.TotalHits)
			}
			if !l.HasMore {
				break
			}
			last := l.Items[len(l.Items)-1]
			q.Cursor = last.Charge.ID
			if last.Refund != nil {
				q.Cursor = last.Refund.ID
			}
		}
		exp := want
		if asc {
			exp = make([]string, len(want))
			for i, k := range want {
				exp[len(want)-1-i] = k
			}
		}
		if !equalIDs(got, exp) {
			t.Fatalf("asc=%v pages = %v\nwant %v", asc, got, exp)
		}
	}
	if _, err := st.ListTransactions(ctx, domain.TransactionQuery{Scope: scope, Page: domain.Page{Limit: 10, Cursor: newID()}}); !errors.Is(err, domain.ErrCursor) {
		t.Fatalf("unknown cursor: %v", err)
	}

	from, to := base.Add(2*time.Second), base.Add(4*time.Second)
	for _, tt := range []struct {
		name string
		q    domain.TransactionQuery
		want []string
	}{
		{"type charge", domain.TransactionQuery{Type: api.TransactionCharge},
			[]string{"charge:" + failed.ID, "charge:" + charges[5].ID, "charge:" + charges[4].ID, "charge:" + charges[3].ID, "charge:" + charges[2].ID, "charge:" + charges[1].ID, "charge:" + charges[0].ID}},
		{"type refund, from/to inclusive", domain.TransactionQuery{Type: api.TransactionRefund, Filters: domain.Filters{From: &from, To: &to, ToInclusive: true}},
			[]string{"refund:" + refunds[1].ID, "refund:" + refunds[0].ID}},
		{"status", domain.TransactionQuery{Status: string(api.ChargeFailed)}, []string{"charge:" + failed.ID}},
		{"search refund ID", domain.TransactionQuery{Search: refunds[3].ID}, []string{"refund:" + refunds[3].ID}},
		{"search charge ID finds its refunds", domain.TransactionQuery{Search: charges[1].ID}, []string{"refund:" + refunds[1].ID, "charge:" + charges[1].ID}},
		{"search metadata value", domain.TransactionQuery{Search: "VIP007"}, []string{"refund:" + refunds[2].ID}},
		{"search cardholder", domain.TransactionQuery{Search: "hanako s"}, []string{"charge:" + failed.ID}},
		{"search e-mail", domain.TransactionQuery{Search: "HANAKO@example.com"}, []string{"charge:" + failed.ID}},
		{"search last four", domain.TransactionQuery{Search: "1111"}, []string{"charge:" + failed.ID}},
		{"search LIKE wildcards are literal", domain.TransactionQuery{Search: "%"}, nil},
		{"mode", domain.TransactionQuery{Filters: domain.Filters{Mode: api.ModeLive}}, nil},
		{"merchant scope", domain.TransactionQuery{Scope: domain.Scope{MerchantID: f.merchant.ID}, Page: domain.Page{Limit: 1}},
			[]string{"charge:" + otherStoreCharge.ID}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := list(tt.q)
			if !equalIDs(txKeys(l.Items), tt.want) {
				t.Fatalf("got %v\nwant %v", txKeys(l.Items), tt.want)
			}
		})
	}

	// A deleted token leaves its charges in the history, without card data.
	must(t, st.DeleteToken(ctx, other.ID))
	l := list(domain.TransactionQuery{Type: api.TransactionCharge, Page: domain.Page{Limit: 10}})
	if l.Items[0].Charge.ID != failed.ID || l.Items[0].Token != nil {
		t.Fatalf("charge of a deleted token: %+v", l.Items[0])
	}
}
