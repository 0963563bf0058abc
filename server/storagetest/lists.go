package storagetest

import (
	"cmp"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"kessai/api"
	"kessai/server/domain"
)

// record is a domain type with an ID field.
type record interface {
	domain.Store | domain.AppToken | domain.TxToken | domain.Charge | domain.Refund | domain.Cancel |
		domain.Subscription | domain.Webhook | domain.WebhookDelivery | domain.RequestLogEntry
}

// id returns a record's ID.
func id[T record](v *T) string { return reflect.ValueOf(v).Elem().FieldByName("ID").String() }

// ids returns the IDs of items, in order.
func ids[T record](items []*T) []string {
	var out []string
	for _, it := range items {
		out = append(out, id(it))
	}
	return out
}

// reversed returns a reversed copy of s.
func reversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

// walk pages through a list from p on, following the cursors (the cursor
// of an item is cursor(item)), and returns every item in order. It fails t
// unless every page has at most p.Limit items and reports the same total,
// the number of items walked.
func walk[T any](t *testing.T, p domain.Page, cursor func(T) string, list func(domain.Page) (domain.List[T], error)) []T {
	t.Helper()
	var out []T
	total := -1
	for range 100 {
		l, err := list(p)
		must(t, err)
		if len(l.Items) > p.Limit || (total >= 0 && l.TotalHits != total) {
			t.Fatalf("a page of %d items (limit %d), total %d (first page: %d)", len(l.Items), p.Limit, l.TotalHits, total)
		}
		total = l.TotalHits
		out = append(out, l.Items...)
		if !l.HasMore {
			if total != len(out) {
				t.Fatalf("total_hits %d, %d items walked", total, len(out))
			}
			return out
		}
		if len(l.Items) == 0 {
			t.Fatal("an empty page has more")
		}
		p.Cursor = cursor(l.Items[len(l.Items)-1])
	}
	t.Fatal("pagination did not end")
	return nil
}

// testPages checks the pagination of a list (docs/sandbox-api.md, "Lists"):
// walked in pages of limit, newest first and oldest first, its items are
// want (keys, newest first); an unknown cursor is ErrCursor.
func testPages[T any](t *testing.T, limit int, key, cursor func(T) string, list func(domain.Page) (domain.List[T], error), want []string) {
	t.Helper()
	keys := func(items []T) []string {
		var out []string
		for _, it := range items {
			out = append(out, key(it))
		}
		return out
	}
	if got := keys(walk(t, domain.Page{Limit: limit}, cursor, list)); !slices.Equal(got, want) {
		t.Fatalf("descending pages = %v\nwant %v", got, want)
	}
	if got := keys(walk(t, domain.Page{Limit: limit, Asc: true}, cursor, list)); !slices.Equal(got, reversed(want)) {
		t.Fatalf("ascending pages = %v\nwant %v", got, reversed(want))
	}
	if _, err := list(domain.Page{Limit: limit, Cursor: newID()}); !errors.Is(err, domain.ErrCursor) {
		t.Fatalf("unknown cursor: %v", err)
	}
}

// testRecordPages is testPages for a list of records, by ID.
func testRecordPages[T record](t *testing.T, limit int, list func(domain.Page) (domain.List[*T], error), want []string) {
	t.Helper()
	testPages(t, limit, id[T], id[T], list, want)
}

// wantAll checks that a list, read in one page, is exactly want.
func wantAll[T record](t *testing.T, l domain.List[*T], err error, want []*T) {
	t.Helper()
	must(t, err)
	if got := ids(l.Items); !slices.Equal(got, ids(want)) || l.TotalHits != len(want) || l.HasMore {
		t.Fatalf("got %v (total %d, more %v), want %v", got, l.TotalHits, l.HasMore, ids(want))
	}
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
	testRecordPages(t, 10, storeList, want)
	testRecordPages(t, 7, storeList, want)

	merchant, err := st.ListCharges(ctx, domain.ChargeQuery{Scope: domain.Scope{MerchantID: f.merchant.ID}, Page: domain.Page{Limit: 100}})
	if err != nil || merchant.TotalHits != 26 || merchant.Items[0].ID != otherCharge.ID {
		t.Fatalf("merchant-wide list: total=%d err=%v", merchant.TotalHits, err)
	}

	between, err := st.ListCharges(ctx, domain.ChargeQuery{Scope: domain.Scope{StoreID: f.store.ID}, Page: domain.Page{Limit: 100},
		Filters: domain.Filters{From: new(at(5)), To: new(at(10))}})
	if err != nil || between.TotalHits != 5 { // created at +5 … +9 s
		t.Fatalf("from/to: %d, %v", between.TotalHits, err)
	}
	byToken, _ := st.ListCharges(ctx, domain.ChargeQuery{Scope: domain.Scope{StoreID: f.other.ID}, Page: domain.Page{Limit: 10}, TransactionTokenID: otherTok.ID})
	if byToken.TotalHits != 1 {
		t.Fatalf("by token: %d", byToken.TotalHits)
	}
	byAmount, _ := st.ListCharges(ctx, domain.ChargeQuery{Scope: domain.Scope{StoreID: f.store.ID}, Page: domain.Page{Limit: 10},
		AmountFrom: new(int64(1000)), AmountTo: new(int64(1500))})
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
	testRecordPages(t, 1, func(p domain.Page) (domain.List[*domain.TxToken], error) {
		return st.ListTokens(ctx, domain.TokenQuery{Scope: domain.Scope{StoreID: f.store.ID}, Page: p})
	}, []string{b.ID, a.ID})
	rec, _ := st.ListTokens(ctx, domain.TokenQuery{Scope: domain.Scope{StoreID: f.store.ID}, Page: domain.Page{Limit: 10}, Type: api.TokenTypeRecurring})
	if !slices.Equal(ids(rec.Items), []string{a.ID}) {
		t.Fatalf("type filter = %v", ids(rec.Items))
	}
	merchant, _ := st.ListTokens(ctx, domain.TokenQuery{Scope: domain.Scope{MerchantID: f.merchant.ID}, Page: domain.Page{Limit: 10}})
	if merchant.TotalHits != 3 {
		t.Fatalf("merchant-wide tokens = %d", merchant.TotalHits)
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
	// Taro's card and e-mail unless edit changes them.
	mk := func(s *domain.Store, n int, typ api.TokenType, edit func(*domain.TxToken)) *domain.TxToken {
		return f.token(t, st, s, n, typ, func(tok *domain.TxToken) {
			tok.Email = "taro@example.com"
			tok.Card.Fingerprint = "fp1"
			tok.Billing = &domain.Billing{}
		}, edit)
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
		{"from inclusive", domain.TokenQuery{Filters: domain.Filters{From: new(at(3))}}, []*domain.TxToken{ft.renewed, ft.jiro}},
		{"to exclusive", domain.TokenQuery{Filters: domain.Filters{To: new(at(3))}}, []*domain.TxToken{ft.hanako, ft.taro}},
		{"to inclusive", domain.TokenQuery{Filters: domain.Filters{To: new(at(3)), ToInclusive: true}}, []*domain.TxToken{ft.jiro, ft.hanako, ft.taro}},
		{"metadata", domain.TokenQuery{Filters: domain.Filters{Metadata: map[string]string{"order": "A-1"}}}, []*domain.TxToken{ft.taro}},
		{"and", domain.TokenQuery{Cardholder: "yamada", Type: api.TokenTypeRecurring, ActiveOnly: true}, []*domain.TxToken{ft.taro}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			q.Scope, q.Page = cmp.Or(q.Scope, store), domain.Page{Limit: 100}
			l, err := st.ListTokens(ctx, q)
			wantAll(t, l, err, tt.want)
		})
	}
}

func testChargeFilters(t *testing.T, st domain.Storage) {
	ft := newFilterTokens(t, st)
	f := ft.f
	store := domain.Scope{MerchantID: f.merchant.ID, StoreID: f.store.ID}
	paid := status(api.ChargeSuccessful)
	// inYen: requested in another currency, charged in JPY.
	inYen := func(currency string, yen int64) func(*domain.Charge) {
		return func(c *domain.Charge) {
			c.Currency, c.ChargedAmount, c.ChargedCurrency = currency, new(yen), new("JPY")
		}
	}
	taro1 := f.charge(t, st, ft.taro, 10, 1000, paid)
	taro2 := f.charge(t, st, ft.taro, 11, 5000, paid, inYen("USD", 750000), func(c *domain.Charge) { c.Metadata.SetString("order", "B-2") })
	hanako := f.charge(t, st, ft.hanako, 12, 2000, status(api.ChargeFailed))
	jiro := f.charge(t, st, ft.jiro, 13, 3000, paid, inYen("EUR", 480000), func(c *domain.Charge) { c.PaymentType = api.PaymentTypeKonbini })
	renewed := f.charge(t, st, ft.renewed, 14, 100, paid, func(c *domain.Charge) { c.SubscriptionID = new(newID()) })
	otherStore := f.charge(t, st, ft.otherStores, 15, 1000, paid)
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
		{"amount_from exclusive", domain.ChargeQuery{AmountFrom: new(int64(2000))}, []*domain.Charge{jiro, taro2}},
		{"amount_to exclusive", domain.ChargeQuery{AmountTo: new(int64(2000))}, []*domain.Charge{renewed, taro1}},
		{"amount range", domain.ChargeQuery{AmountFrom: new(int64(999)), AmountTo: new(int64(3000))}, []*domain.Charge{hanako, taro1}},
		{"currency requested", domain.ChargeQuery{Currency: "USD"}, []*domain.Charge{taro2}},
		{"currency requested or charged", domain.ChargeQuery{Currency: "JPY"}, []*domain.Charge{renewed, jiro, hanako, taro2, taro1}},
		{"currency EUR", domain.ChargeQuery{Currency: "EUR"}, []*domain.Charge{jiro}},
		{"mode", domain.ChargeQuery{Filters: domain.Filters{Mode: api.ModeLive}}, []*domain.Charge{renewed}},
		{"from inclusive, to exclusive", domain.ChargeQuery{Filters: domain.Filters{From: new(at(11)), To: new(at(13))}}, []*domain.Charge{hanako, taro2}},
		{"metadata", domain.ChargeQuery{Filters: domain.Filters{Metadata: map[string]string{"order": "B-2"}}}, []*domain.Charge{taro2}},
		{"status", domain.ChargeQuery{Statuses: []api.ChargeStatus{api.ChargeSuccessful}}, []*domain.Charge{renewed, jiro, taro2, taro1}},
		{"statuses", domain.ChargeQuery{Statuses: []api.ChargeStatus{api.ChargeFailed, api.ChargeError}}, []*domain.Charge{hanako}},
		{"status none", domain.ChargeQuery{Statuses: []api.ChargeStatus{api.ChargeAwaiting}}, nil},
		{"payment_type", domain.ChargeQuery{PaymentType: api.PaymentTypeKonbini}, []*domain.Charge{jiro}},
		{"payment_type and status", domain.ChargeQuery{PaymentType: api.PaymentTypeCard, Statuses: []api.ChargeStatus{api.ChargeFailed}}, []*domain.Charge{hanako}},
		{"and", domain.ChargeQuery{Email: "taro@example.com", Currency: "JPY", AmountTo: new(int64(2000))}, []*domain.Charge{renewed, taro1}},
		{"merchant-wide by email", domain.ChargeQuery{Scope: domain.Scope{MerchantID: f.merchant.ID}, Email: "taro@example.com"}, []*domain.Charge{otherStore, renewed, taro2, taro1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			q.Scope, q.Page = cmp.Or(q.Scope, store), domain.Page{Limit: 100}
			l, err := st.ListCharges(ctx, q)
			wantAll(t, l, err, tt.want)
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
