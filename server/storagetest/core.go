package storagetest

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

func testSettings(t *testing.T, st domain.Storage) {
	if _, err := st.GetSetting(ctx, "k"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("missing setting: %v", err)
	}
	must(t, st.PutSetting(ctx, "k", []byte("v1")))
	must(t, st.PutSetting(ctx, "k", []byte("v2")))
	if v, err := st.GetSetting(ctx, "k"); err != nil || string(v) != "v2" {
		t.Fatalf("setting = %q, %v", v, err)
	}
}

func testStores(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	got, err := st.GetStore(ctx, f.store.ID)
	if err != nil || got.Name != "A" || got.MerchantID != f.merchant.ID {
		t.Fatalf("GetStore = %+v, %v", got, err)
	}
	got.Name = "A2"
	got.Config.CardBrands = []string{"visa"}
	must(t, st.UpdateStore(ctx, got))
	again, _ := st.GetStore(ctx, f.store.ID)
	if again.Name != "A2" || !slices.Equal(again.Config.CardBrands, []string{"visa"}) {
		t.Fatalf("after UpdateStore: %+v", again)
	}
	all, err := st.ListStores(ctx)
	if err != nil || len(all) != 2 || all[0].ID != f.store.ID || all[1].ID != f.other.ID {
		t.Fatalf("ListStores = %v, %v", all, err)
	}
	if m, err := st.GetMerchant(ctx, f.merchant.ID); err != nil || !m.Verified {
		t.Fatalf("GetMerchant = %+v, %v", m, err)
	}
	wantNotFound(t, errOf(st.GetStore(ctx, "nope")), errOf(st.GetMerchant(ctx, "nope")), st.UpdateStore(ctx, &domain.Store{ID: "nope"}),
		errOf(st.ResetStore(ctx, "nope")))
	t.Run("Config", func(t *testing.T) { testStoreConfig(t, st) })
	t.Run("Reset", func(t *testing.T) { testResetStore(t, st) })
}

// testStoreConfig: a configuration survives storage; keys missing from a
// stored configuration read as their defaults.
func testStoreConfig(t *testing.T, st domain.Storage) {
	m := &domain.Merchant{ID: newID(), Name: "M", Email: "m@example.com", CreatedAt: base}
	must(t, st.CreateMerchant(ctx, m))
	if got, err := st.GetMerchant(ctx, m.ID); err != nil || got.Verified || got.Email != "m@example.com" {
		t.Fatalf("GetMerchant = %+v, %v", got, err)
	}
	cfg := domain.DefaultStoreConfig()
	cfg.KonbiniEnabled = true
	cfg.KonbiniBrands = []string{"lawson"}
	cfg.CardCountries = []string{"JP"}
	cfg.LogoImage = nil
	cfg.Theme.MainColor = "#000000"
	cfg.InstallmentsMinChargeAmount = &domain.Money{Amount: 3000, Currency: "JPY"}
	s := &domain.Store{ID: newID(), MerchantID: m.ID, Name: "C", Config: cfg, CreatedAt: base}
	must(t, st.CreateStore(ctx, s))
	got, err := st.GetStore(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Config, cfg) {
		t.Fatalf("config after a round trip:\n got %+v\nwant %+v", got.Config, cfg)
	}
	// A zero configuration stays zero (every key is stored).
	z := &domain.Store{ID: newID(), MerchantID: m.ID, Name: "Z", CreatedAt: base}
	must(t, st.CreateStore(ctx, z))
	if got, _ := st.GetStore(ctx, z.ID); got.Config.CardEnabled || got.Config.SubscriptionsEnabled || len(got.Config.CardBrands) != 0 {
		t.Fatalf("zero config read back as %+v", got.Config)
	}
}

// testResetStore: ResetStore empties a store's records, keeps the store,
// its configuration and app tokens, and leaves other stores alone.
func testResetStore(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	f.store.Config.CardBrands = []string{"jcb"}
	must(t, st.UpdateStore(ctx, f.store))
	app := &domain.AppToken{ID: newID(), MerchantID: f.merchant.ID, StoreID: f.store.ID, Mode: api.ModeTest, SecretHash: "h", Active: true, CreatedAt: base}
	must(t, st.CreateAppToken(ctx, app))
	var mine, theirs []string
	for i := range 3 {
		tok := f.token(t, st, f.store, i, api.TokenTypeRecurring)
		c := f.charge(t, st, tok, i, 100)
		mine = append(mine, tok.ID, c.ID)
	}
	otherTok := f.token(t, st, f.other, 10, api.TokenTypeOneTime)
	otherCharge := f.charge(t, st, otherTok, 11, 100)
	theirs = append(theirs, otherTok.ID, otherCharge.ID)

	deleted, err := st.ResetStore(ctx, f.store.ID)
	if err != nil {
		t.Fatal(err)
	}
	if deleted["tokens"] != 3 || deleted["charges"] != 3 {
		t.Fatalf("deleted = %v, want 3 tokens and 3 charges", deleted)
	}
	for _, id := range mine {
		_, errT := st.GetToken(ctx, id)
		_, errC := st.GetCharge(ctx, id)
		if !errors.Is(errT, domain.ErrNotFound) || !errors.Is(errC, domain.ErrNotFound) {
			t.Fatalf("record %s survived the reset (%v, %v)", id, errT, errC)
		}
	}
	if _, err := st.GetToken(ctx, theirs[0]); err != nil {
		t.Fatalf("the other store's token: %v", err)
	}
	if _, err := st.GetCharge(ctx, theirs[1]); err != nil {
		t.Fatalf("the other store's charge: %v", err)
	}
	if s, err := st.GetStore(ctx, f.store.ID); err != nil || !slices.Equal(s.Config.CardBrands, []string{"jcb"}) {
		t.Fatalf("store after reset = %+v, %v", s, err)
	}
	if a, err := st.GetAppToken(ctx, app.ID); err != nil || !a.Active {
		t.Fatalf("app token after reset = %+v, %v", a, err)
	}
	if list, err := st.ListTokens(ctx, domain.TokenQuery{Scope: domain.Scope{MerchantID: f.merchant.ID, StoreID: f.store.ID}, Page: domain.Page{Limit: 10}}); err != nil || list.TotalHits != 0 {
		t.Fatalf("token list after reset = %+v, %v", list, err)
	}
	// A second reset has nothing left to delete.
	again, err := st.ResetStore(ctx, f.store.ID)
	if err != nil || again["tokens"] != 0 || again["charges"] != 0 {
		t.Fatalf("second reset = %v, %v", again, err)
	}
}

func testAppTokens(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	a := &domain.AppToken{ID: newID(), MerchantID: f.merchant.ID, StoreID: f.store.ID, Mode: api.ModeTest, Domains: []string{"localhost"},
		SecretHash: "h", Active: true, CreatedAt: base}
	b := &domain.AppToken{ID: newID(), MerchantID: f.merchant.ID, StoreID: f.store.ID, Mode: api.ModeLive, Active: true, CreatedAt: base.Add(time.Second)}
	must(t, st.CreateAppToken(ctx, a))
	must(t, st.CreateAppToken(ctx, b))
	a.Active = false
	must(t, st.UpdateAppToken(ctx, a))
	got, err := st.GetAppToken(ctx, a.ID)
	if err != nil || got.Active || !slices.Equal(got.Domains, []string{"localhost"}) {
		t.Fatalf("GetAppToken = %+v, %v", got, err)
	}
	list, err := st.ListAppTokens(ctx, f.store.ID)
	if err != nil || len(list) != 2 || list[0].ID != a.ID {
		t.Fatalf("ListAppTokens = %v, %v", list, err)
	}
	if list, _ := st.ListAppTokens(ctx, f.other.ID); len(list) != 0 {
		t.Fatalf("other store's app tokens = %v", list)
	}
}

func testTokens(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	tok := f.token(t, st, f.store, 0, api.TokenTypeOneTime)
	tok.Metadata = api.Metadata{"big": []byte("12345678901234567890")}
	must(t, st.UpdateToken(ctx, tok))
	got, err := st.GetToken(ctx, tok.ID)
	if err != nil || string(got.Metadata["big"]) != "12345678901234567890" || got.Card.Fingerprint != "fp" {
		t.Fatalf("GetToken = %+v, %v", got, err)
	}
	must(t, st.DeleteToken(ctx, tok.ID))
	// The deleted token, deleted twice; an unknown one.
	wantNotFound(t, errOf(st.GetToken(ctx, tok.ID)), st.DeleteToken(ctx, tok.ID), st.UpdateToken(ctx, &domain.TxToken{ID: "nope"}))
}

func testCharges(t *testing.T, st domain.Storage) {
	f := newFixture(t, st)
	tok := f.token(t, st, f.store, 0, api.TokenTypeOneTime)
	due := base.Add(time.Minute)
	c := f.charge(t, st, tok, 1, 1000)
	c.DueAt = &due
	must(t, st.UpdateCharge(ctx, c))
	used, _ := st.GetToken(ctx, tok.ID)
	if used.Active || used.LastUsedAt == nil || !used.LastUsedAt.Equal(c.CreatedAt) {
		t.Fatalf("token after charge: active=%v last_used=%v", used.Active, used.LastUsedAt)
	}
	second := &domain.Charge{ID: newID(), StoreID: f.store.ID, MerchantID: f.merchant.ID, TokenID: tok.ID, Status: api.ChargePending, CreatedAt: base}
	if err := st.CreateCharge(ctx, second, tok.ID, true); !errors.Is(err, domain.ErrTokenInactive) {
		t.Fatalf("second charge on a used token: %v", err)
	}
	if err := st.CreateCharge(ctx, second, newID(), false); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("charge on an unknown token: %v", err)
	}
	rec := f.token(t, st, f.store, 2, api.TokenTypeRecurring)
	f.charge(t, st, rec, 3, 500)
	f.charge(t, st, rec, 4, 500)
	if r, _ := st.GetToken(ctx, rec.ID); !r.Active {
		t.Fatal("a recurring token was consumed")
	}

	if due, _ := st.ListDueCharges(ctx, f.store.ID, base.Add(59*time.Second)); len(due) != 0 {
		t.Fatalf("due before its time: %v", due)
	}
	list, err := st.ListDueCharges(ctx, f.store.ID, due)
	if err != nil || len(list) != 1 || list[0].ID != c.ID {
		t.Fatalf("ListDueCharges = %v, %v", list, err)
	}
	if list, _ := st.ListDueCharges(ctx, f.other.ID, due); len(list) != 0 {
		t.Fatalf("another store's due charges = %v", list)
	}
	list[0].Status = api.ChargeSuccessful
	list[0].DueAt = nil
	must(t, st.UpdateCharge(ctx, list[0]))
	if list, _ := st.ListDueCharges(ctx, f.store.ID, due); len(list) != 0 {
		t.Fatalf("settled charge still due: %v", list)
	}
	if got, _ := st.GetCharge(ctx, c.ID); got.Status != api.ChargeSuccessful {
		t.Fatalf("status after update = %s", got.Status)
	}
	wantNotFound(t, errOf(st.GetCharge(ctx, "nope")), st.UpdateCharge(ctx, &domain.Charge{ID: "nope"}))
}

func testIdempotency(t *testing.T, st domain.Storage) {
	if _, err := st.GetIdempotentResponse(ctx, "s", "k"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
	r := &domain.IdempotentResponse{Scope: "s", Key: "k", Method: "POST", Path: "/charges", Status: 201, Body: []byte(`{"id":"x"}`), CreatedAt: base}
	must(t, st.PutIdempotentResponse(ctx, r))
	got, err := st.GetIdempotentResponse(ctx, "s", "k")
	if err != nil || got.Status != 201 || string(got.Body) != `{"id":"x"}` || !got.CreatedAt.Equal(base) {
		t.Fatalf("GetIdempotentResponse = %+v, %v", got, err)
	}
	if _, err := st.GetIdempotentResponse(ctx, "other", "k"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("another scope sees the key: %v", err)
	}
}
