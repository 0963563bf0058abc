package storagetest

import (
	"errors"
	"strings"
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
	if _, err := st.ListTokens(ctx, domain.TokenQuery{Scope: domain.Scope{StoreID: f.store.ID}, Page: domain.Page{Limit: 10, Cursor: newID()}}); !errors.Is(err, domain.ErrCursor) {
		t.Fatalf("unknown cursor: %v", err)
	}
}

// filterTokens are the tokens of the filter tests: different in every
// field a filter looks at.
type filterTokens struct {
	f                    fixture
	taro, hanako, jiro   *domain.TxToken // store
	renewed, otherStores *domain.TxToken // store (inactive, live, renewed from taro); other store
}

func newFilterTokens(t *testing.T, st domain.Storage) filterTokens {
	t.Helper()
	f := newFixture(t, st)
	mk := func(s *domain.Store, n int, typ api.TokenType, edit func(*domain.TxToken)) *domain.TxToken {
		at := base.Add(time.Duration(n) * time.Second)
		tok := &domain.TxToken{ID: newID(), StoreID: s.ID, MerchantID: s.MerchantID, Email: "taro@example.com",
			PaymentType: api.PaymentTypeCard, Type: typ, Active: true, Mode: api.ModeTest, Metadata: api.Metadata{},
			Card:      &domain.Card{Cardholder: "TARO YAMADA", ExpMonth: 12, ExpYear: 2099, BIN: "400002", LastFour: "0000", Brand: "visa", Fingerprint: "fp1"},
			Billing:   &domain.Billing{},
			CreatedAt: at, UpdatedAt: at}
		edit(tok)
		must(t, st.CreateToken(ctx, tok))
		return tok
	}
	cc81 := 81
	ft := filterTokens{f: f}
	ft.taro = mk(f.store, 1, api.TokenTypeRecurring, func(tok *domain.TxToken) {
		tok.Email = "Taro@Example.com"
		tok.Billing.PhoneCountryCode = &cc81
		local := "090-1234-5678"
		tok.Billing.PhoneLocalNumber = &local
		tok.Metadata.SetString("univapay-customer-id", "c0ffee00-0000-4000-8000-000000000001")
		tok.Metadata.SetString("order", "A-1")
	})
	ft.hanako = mk(f.store, 2, api.TokenTypeOneTime, func(tok *domain.TxToken) {
		tok.Email = "hanako@example.com"
		tok.Card = &domain.Card{Cardholder: "Hanako Suzuki", ExpMonth: 1, ExpYear: 2030, BIN: "555555", LastFour: "4444", Brand: "mastercard", Fingerprint: "fp2"}
	})
	ft.jiro = mk(f.store, 3, api.TokenTypeSubscription, func(tok *domain.TxToken) {
		tok.Email = "jiro@example.com"
		tok.Card.Cardholder = "JIRO YAMADA"
		tok.Card.ExpMonth = 2
		tok.Card.ExpYear = 2031
		tok.Card.LastFour = "1111"
		local := "8029854583"
		cc := 1
		tok.Billing.PhoneLocalNumber = &local
		tok.Billing.PhoneCountryCode = &cc
	})
	ft.renewed = mk(f.store, 4, api.TokenTypeRecurring, func(tok *domain.TxToken) {
		tok.Active = false
		tok.Mode = api.ModeLive
		tok.PreviousID = &ft.taro.ID
		tok.Metadata.SetString("univapay-customer-id", "c0ffee00-0000-4000-8000-000000000001")
	})
	ft.otherStores = mk(f.other, 5, api.TokenTypeRecurring, func(tok *domain.TxToken) {
		tok.Metadata.SetString("univapay-customer-id", "c0ffee00-0000-4000-8000-000000000001")
	})
	return ft
}

func testTokenFilters(t *testing.T, st domain.Storage) {
	ft := newFilterTokens(t, st)
	store := domain.Scope{MerchantID: ft.f.merchant.ID, StoreID: ft.f.store.ID}
	at := func(n int) *time.Time { v := base.Add(time.Duration(n) * time.Second); return &v }
	for _, tt := range []struct {
		name string
		q    domain.TokenQuery
		want []*domain.TxToken // newest first
	}{
		{"none", domain.TokenQuery{}, []*domain.TxToken{ft.renewed, ft.jiro, ft.hanako, ft.taro}},
		{"merchant-wide", domain.TokenQuery{Scope: domain.Scope{MerchantID: ft.f.merchant.ID}}, []*domain.TxToken{ft.otherStores, ft.renewed, ft.jiro, ft.hanako, ft.taro}},
		{"id", domain.TokenQuery{ID: ft.hanako.ID}, []*domain.TxToken{ft.hanako}},
		{"id upper case", domain.TokenQuery{ID: strings.ToUpper(ft.hanako.ID)}, []*domain.TxToken{ft.hanako}},
		{"id of another store", domain.TokenQuery{ID: ft.otherStores.ID}, nil},
		{"short_id", domain.TokenQuery{ShortID: ft.jiro.ID[len(ft.jiro.ID)-6:]}, []*domain.TxToken{ft.jiro}},
		{"type recurring", domain.TokenQuery{Type: api.TokenTypeRecurring}, []*domain.TxToken{ft.renewed, ft.taro}},
		{"type subscription", domain.TokenQuery{Type: api.TokenTypeSubscription}, []*domain.TxToken{ft.jiro}},
		{"type one_time", domain.TokenQuery{Type: api.TokenTypeOneTime}, []*domain.TxToken{ft.hanako}},
		{"email any case", domain.TokenQuery{Email: "TARO@example.COM"}, []*domain.TxToken{ft.renewed, ft.taro}},
		{"email is whole", domain.TokenQuery{Email: "example.com"}, nil},
		{"cardholder part any case", domain.TokenQuery{Cardholder: "yamada"}, []*domain.TxToken{ft.renewed, ft.jiro, ft.taro}},
		{"cardholder whole", domain.TokenQuery{Cardholder: "hanako suzuki"}, []*domain.TxToken{ft.hanako}},
		{"card_exp", domain.TokenQuery{CardExp: "2030-01"}, []*domain.TxToken{ft.hanako}},
		{"card_exp other", domain.TokenQuery{CardExp: "2099-12"}, []*domain.TxToken{ft.renewed, ft.taro}},
		{"card_last_four", domain.TokenQuery{CardLastFour: "1111"}, []*domain.TxToken{ft.jiro}},
		{"phone local digits", domain.TokenQuery{PhoneNumber: "09012345678"}, []*domain.TxToken{ft.taro}},
		{"phone with country code", domain.TokenQuery{PhoneNumber: "8109012345678"}, []*domain.TxToken{ft.taro}},
		{"phone other", domain.TokenQuery{PhoneNumber: "18029854583"}, []*domain.TxToken{ft.jiro}},
		{"phone no match", domain.TokenQuery{PhoneNumber: "0901234"}, nil},
		{"brand", domain.TokenQuery{Brand: "mastercard"}, []*domain.TxToken{ft.hanako}},
		{"brand any case", domain.TokenQuery{Brand: "VISA"}, []*domain.TxToken{ft.renewed, ft.jiro, ft.taro}},
		{"customer_id", domain.TokenQuery{CustomerID: "c0ffee00-0000-4000-8000-000000000001"}, []*domain.TxToken{ft.renewed, ft.taro}},
		{"payment_type", domain.TokenQuery{PaymentType: api.PaymentTypeCard}, []*domain.TxToken{ft.renewed, ft.jiro, ft.hanako, ft.taro}},
		{"payment_type other", domain.TokenQuery{PaymentType: api.PaymentTypeKonbini}, nil},
		{"previous_id", domain.TokenQuery{PreviousID: ft.taro.ID}, []*domain.TxToken{ft.renewed}},
		{"active only", domain.TokenQuery{ActiveOnly: true}, []*domain.TxToken{ft.jiro, ft.hanako, ft.taro}},
		{"mode live", domain.TokenQuery{Filters: domain.Filters{Mode: api.ModeLive}}, []*domain.TxToken{ft.renewed}},
		{"mode test", domain.TokenQuery{Filters: domain.Filters{Mode: api.ModeTest}}, []*domain.TxToken{ft.jiro, ft.hanako, ft.taro}},
		{"from inclusive", domain.TokenQuery{Filters: domain.Filters{From: at(3)}}, []*domain.TxToken{ft.renewed, ft.jiro}},
		{"to exclusive", domain.TokenQuery{Filters: domain.Filters{To: at(3)}}, []*domain.TxToken{ft.hanako, ft.taro}},
		{"to inclusive", domain.TokenQuery{Filters: domain.Filters{To: at(3), ToInclusive: true}}, []*domain.TxToken{ft.jiro, ft.hanako, ft.taro}},
		{"metadata", domain.TokenQuery{Filters: domain.Filters{Metadata: map[string]string{"order": "A-1"}}}, []*domain.TxToken{ft.taro}},
		{"and", domain.TokenQuery{Cardholder: "yamada", Type: api.TokenTypeRecurring, ActiveOnly: true}, []*domain.TxToken{ft.taro}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			if q.Scope == (domain.Scope{}) {
				q.Scope = store
			}
			q.Page = domain.Page{Limit: 100}
			l, err := st.ListTokens(ctx, q)
			must(t, err)
			want := ids(tt.want)
			if !equalIDs(ids(l.Items), want) || l.TotalHits != len(want) || l.HasMore {
				t.Fatalf("got %v (total %d, more %v), want %v", ids(l.Items), l.TotalHits, l.HasMore, want)
			}
		})
	}
}

func testChargeFilters(t *testing.T, st domain.Storage) {
	ft := newFilterTokens(t, st)
	f := ft.f
	store := domain.Scope{MerchantID: f.merchant.ID, StoreID: f.store.ID}
	ptr := func(v string) *string { return &v }
	num := func(v int64) *int64 { return &v }
	mk := func(tok *domain.TxToken, n int, amount int64, currency string, edit func(*domain.Charge)) *domain.Charge {
		at := base.Add(time.Duration(n) * time.Second)
		c := &domain.Charge{ID: newID(), StoreID: tok.StoreID, MerchantID: tok.MerchantID, TokenID: tok.ID, TokenType: tok.Type,
			Amount: amount, Currency: currency, Capture: true, Status: api.ChargeSuccessful, Metadata: api.Metadata{}, Mode: tok.Mode,
			PaymentType: tok.PaymentType, LastFour: tok.Card.LastFour, CardFingerprint: tok.Card.Fingerprint, CreatedAt: at, UpdatedAt: at}
		if edit != nil {
			edit(c)
		}
		must(t, st.CreateCharge(ctx, c, tok.ID, false))
		return c
	}
	taro1 := mk(ft.taro, 10, 1000, "JPY", nil)
	taro2 := mk(ft.taro, 11, 5000, "USD", func(c *domain.Charge) {
		c.ChargedAmount, c.ChargedCurrency = num(750000), ptr("JPY")
		c.Metadata.SetString("order", "B-2")
	})
	hanako := mk(ft.hanako, 12, 2000, "JPY", nil)
	jiro := mk(ft.jiro, 13, 3000, "EUR", func(c *domain.Charge) { c.ChargedAmount, c.ChargedCurrency = num(480000), ptr("JPY") })
	renewed := mk(ft.renewed, 14, 100, "JPY", func(c *domain.Charge) { c.SubscriptionID = ptr(newID()) })
	otherStore := mk(ft.otherStores, 15, 1000, "JPY", nil)
	at := func(n int) *time.Time { v := base.Add(time.Duration(n) * time.Second); return &v }
	amount := func(v int64) *int64 { return &v }
	for _, tt := range []struct {
		name string
		q    domain.ChargeQuery
		want []*domain.Charge // newest first
	}{
		{"none", domain.ChargeQuery{}, []*domain.Charge{renewed, jiro, hanako, taro2, taro1}},
		{"transaction_token_id", domain.ChargeQuery{TransactionTokenID: ft.taro.ID}, []*domain.Charge{taro2, taro1}},
		{"transaction_token_id upper case", domain.ChargeQuery{TransactionTokenID: strings.ToUpper(ft.hanako.ID)}, []*domain.Charge{hanako}},
		{"subscription_id", domain.ChargeQuery{SubscriptionID: *renewed.SubscriptionID}, []*domain.Charge{renewed}},
		{"card group", domain.ChargeQuery{LastFour: "0000", Name: "taro yamada", ExpMonth: 12, ExpYear: 2099}, []*domain.Charge{renewed, taro2, taro1}},
		{"card group other card", domain.ChargeQuery{LastFour: "4444", Name: " HANAKO SUZUKI ", ExpMonth: 1, ExpYear: 2030}, []*domain.Charge{hanako}},
		{"card group wrong name", domain.ChargeQuery{LastFour: "0000", Name: "taro", ExpMonth: 12, ExpYear: 2099}, nil},
		{"card group wrong expiry", domain.ChargeQuery{LastFour: "0000", Name: "TARO YAMADA", ExpMonth: 11, ExpYear: 2099}, nil},
		{"card group wrong last four", domain.ChargeQuery{LastFour: "1111", Name: "TARO YAMADA", ExpMonth: 12, ExpYear: 2099}, nil},
		{"email", domain.ChargeQuery{Email: "taro@EXAMPLE.com"}, []*domain.Charge{renewed, taro2, taro1}},
		{"phone", domain.ChargeQuery{Phone: "09012345678"}, []*domain.Charge{taro2, taro1}},
		{"phone with country code", domain.ChargeQuery{Phone: "18029854583"}, []*domain.Charge{jiro}},
		{"amount_from exclusive", domain.ChargeQuery{AmountFrom: amount(2000)}, []*domain.Charge{jiro, taro2}},
		{"amount_to exclusive", domain.ChargeQuery{AmountTo: amount(2000)}, []*domain.Charge{renewed, taro1}},
		{"amount range", domain.ChargeQuery{AmountFrom: amount(999), AmountTo: amount(3000)}, []*domain.Charge{hanako, taro1}},
		{"currency requested", domain.ChargeQuery{Currency: "USD"}, []*domain.Charge{taro2}},
		{"currency requested or charged", domain.ChargeQuery{Currency: "JPY"}, []*domain.Charge{renewed, jiro, hanako, taro2, taro1}},
		{"currency EUR", domain.ChargeQuery{Currency: "EUR"}, []*domain.Charge{jiro}},
		{"mode", domain.ChargeQuery{Filters: domain.Filters{Mode: api.ModeLive}}, []*domain.Charge{renewed}},
		{"from inclusive, to exclusive", domain.ChargeQuery{Filters: domain.Filters{From: at(11), To: at(13)}}, []*domain.Charge{hanako, taro2}},
		{"metadata", domain.ChargeQuery{Filters: domain.Filters{Metadata: map[string]string{"order": "B-2"}}}, []*domain.Charge{taro2}},
		{"and", domain.ChargeQuery{Email: "taro@example.com", Currency: "JPY", AmountTo: amount(2000)}, []*domain.Charge{renewed, taro1}},
		{"merchant-wide by email", domain.ChargeQuery{Scope: domain.Scope{MerchantID: f.merchant.ID}, Email: "taro@example.com"}, []*domain.Charge{otherStore, renewed, taro2, taro1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			if q.Scope == (domain.Scope{}) {
				q.Scope = store
			}
			q.Page = domain.Page{Limit: 100}
			l, err := st.ListCharges(ctx, q)
			must(t, err)
			want := ids(tt.want)
			if !equalIDs(ids(l.Items), want) || l.TotalHits != len(want) || l.HasMore {
				t.Fatalf("got %v (total %d), want %v", ids(l.Items), l.TotalHits, want)
			}
		})
	}
	// The card, e-mail and phone filters follow the token: the charges of
	// a deleted token are still listed, but no longer found by them.
	must(t, st.DeleteToken(ctx, ft.hanako.ID))
	if l, _ := st.ListCharges(ctx, domain.ChargeQuery{Scope: store, Page: domain.Page{Limit: 10}, Email: "hanako@example.com"}); l.TotalHits != 0 {
		t.Fatalf("deleted token's charge found by e-mail: %d", l.TotalHits)
	}
	if l, _ := st.ListCharges(ctx, domain.ChargeQuery{Scope: store, Page: domain.Page{Limit: 10}, TransactionTokenID: ft.hanako.ID}); l.TotalHits != 1 {
		t.Fatalf("deleted token's charge by transaction_token_id: %d", l.TotalHits)
	}
}
