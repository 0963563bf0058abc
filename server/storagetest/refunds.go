package storagetest

import (
	"cmp"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// refund returns a pending refund of c created at base+n seconds.
func refund(c *domain.Charge, n int, amount int64) *domain.Refund {
	return &domain.Refund{ID: newID(), StoreID: c.StoreID, MerchantID: c.MerchantID, ChargeID: c.ID, Status: api.RefundPending,
		Amount: amount, Currency: c.Currency, Metadata: api.Metadata{}, Mode: c.Mode, CreatedAt: at(n), UpdatedAt: at(n)}
}

func testRefunds(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	rec := f.token(t, st, f.store, 0, api.TokenTypeRecurring)
	c := f.charge(t, st, rec, 1, 1000, succeeded)

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
		c := f.charge(t, st, rec, 10, 1000, succeeded)
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
		c := f.charge(t, st, rec, 40, 5000, succeeded)
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
		oc := f.charge(t, st, otherTok, 41, 1000, succeeded)
		later := due.Add(time.Hour)
		o := refund(oc, 42, 100)
		o.DueAt = &due
		must(t, st.CreateRefund(ctx, o, 1000))

		if l, _ := st.ListDueRefunds(ctx, f.store.ID, due.Add(-time.Second)); len(l) != 0 {
			t.Fatalf("due before its time: %v", ids(l))
		}
		l, err := st.ListDueRefunds(ctx, f.store.ID, later)
		if err != nil || len(l) != 1 || l[0].ID != want[8] {
			t.Fatalf("ListDueRefunds = %v, %v", ids(l), err)
		}
		l[0].DueAt = nil
		l[0].Status = api.RefundSuccessful
		must(t, st.UpdateRefund(ctx, l[0]))
		if l, _ := st.ListDueRefunds(ctx, f.store.ID, later); len(l) != 0 {
			t.Fatalf("settled refund still due: %v", ids(l))
		}

		q := domain.RefundQuery{Scope: domain.Scope{StoreID: f.store.ID}, Page: domain.Page{Limit: 10}, ChargeID: c.ID}
		testRecordPages(t, 10, func(p domain.Page) (domain.List[*domain.Refund], error) {
			return st.ListRefunds(ctx, domain.RefundQuery{Scope: q.Scope, Page: p, ChargeID: c.ID})
		}, want)
		q.Filters.Metadata = map[string]string{"order": "A-1"}
		if m, _ := st.ListRefunds(ctx, q); m.TotalHits != 1 || m.Items[0].ID != want[8] {
			t.Fatalf("metadata filter: %v", ids(m.Items))
		}
		merchant, _ := st.ListRefunds(ctx, domain.RefundQuery{Scope: domain.Scope{MerchantID: f.merchant.ID}, Page: domain.Page{Limit: 10}})
		if merchant.TotalHits != 3+10+12+1 || merchant.Items[0].ID != o.ID { // the refunds of every subtest
			t.Fatalf("merchant-wide refunds: %d", merchant.TotalHits)
		}
	})

	// The transaction history lists charges and refunds (its own merchant
	// and stores, in the same storage).
	t.Run("transactions", func(t *testing.T) { testTransactions(t, st) })

	wantNotFound(t, errOf(st.GetRefund(ctx, "nope")), st.UpdateRefund(ctx, &domain.Refund{ID: "nope"}))
}

// txKey names a transaction item for comparisons: "charge:<id>" or
// "refund:<id>".
func txKey(it *domain.Transaction) string {
	if it.Type == api.TransactionRefund {
		return "refund:" + it.Refund.ID
	}
	return "charge:" + it.Charge.ID
}

// txCursor is the cursor after a transaction item: its refund's or its
// charge's ID.
func txCursor(it *domain.Transaction) string {
	if it.Refund != nil {
		return it.Refund.ID
	}
	return it.Charge.ID
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
		c := f.charge(t, st, rec, 2*i+1, 1000, succeeded)
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
	other := f.token(t, st, f.store, 20, api.TokenTypeOneTime, func(tok *domain.TxToken) {
		tok.Email = "hanako@example.com"
		tok.Card.Cardholder = "HANAKO SATO"
	})
	failed := f.charge(t, st, other, 21, 500, status(api.ChargeFailed), func(c *domain.Charge) {
		c.LastFour = "1111"
		c.Metadata = api.Metadata{"order": []byte(`"B-2"`)}
	})
	want = append([]string{"charge:" + failed.ID}, want...)
	// Another store's charge.
	otherStoreTok := f.token(t, st, f.other, 0, api.TokenTypeOneTime)
	otherStoreCharge := f.charge(t, st, otherStoreTok, 22, 100)

	scope := domain.Scope{MerchantID: f.merchant.ID, StoreID: f.store.ID}
	list := func(q domain.TransactionQuery) domain.List[*domain.Transaction] {
		t.Helper()
		q.Scope, q.Limit = cmp.Or(q.Scope, scope), cmp.Or(q.Limit, 100)
		l, err := st.ListTransactions(ctx, q)
		must(t, err)
		return l
	}

	all := list(domain.TransactionQuery{})
	if all.TotalHits != 12 || all.HasMore || !slices.Equal(txKeys(all.Items), want) {
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

	testPages(t, 5, txKey, txCursor, func(p domain.Page) (domain.List[*domain.Transaction], error) {
		return st.ListTransactions(ctx, domain.TransactionQuery{Scope: scope, Page: p})
	}, want)

	for _, tt := range []struct {
		name string
		q    domain.TransactionQuery
		want []string
	}{
		{"type charge", domain.TransactionQuery{Type: api.TransactionCharge},
			[]string{"charge:" + failed.ID, "charge:" + charges[5].ID, "charge:" + charges[4].ID, "charge:" + charges[3].ID, "charge:" + charges[2].ID, "charge:" + charges[1].ID, "charge:" + charges[0].ID}},
		{"type refund, from/to inclusive", domain.TransactionQuery{Type: api.TransactionRefund, Filters: domain.Filters{From: new(at(2)), To: new(at(4)), ToInclusive: true}},
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
			if !slices.Equal(txKeys(l.Items), tt.want) {
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
