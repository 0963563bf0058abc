package sqlite

import (
	"context"
	"errors"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

func TestStoreRoundTripAndReopen(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	m := &domain.Merchant{ID: "m1", Name: "M", CreatedAt: now}
	shop := &domain.Shop{ID: "s1", MerchantID: "m1", Name: "S", CreatedAt: now}
	tok := &domain.TxToken{ID: "t1", StoreID: "s1", Type: api.TokenTypeOneTime, Active: true, CreatedAt: now,
		Metadata: api.Metadata{"big": []byte("12345678901234567890")}}
	for _, err := range []error{db.CreateMerchant(ctx, m), db.CreateShop(ctx, shop), db.CreateToken(ctx, tok), db.PutSetting(ctx, "k", []byte("v"))} {
		if err != nil {
			t.Fatal(err)
		}
	}
	due := now.Add(-time.Second)
	c := &domain.Charge{ID: "c1", StoreID: "s1", TokenID: "t1", Status: api.ChargePending, ProcessAt: &due, CreatedAt: now}
	if err := db.CreateCharge(ctx, c, "t1", true); err != nil {
		t.Fatal(err)
	}
	c2 := &domain.Charge{ID: "c2", StoreID: "s1", TokenID: "t1", Status: api.ChargePending, CreatedAt: now}
	if err := db.CreateCharge(ctx, c2, "t1", true); !errors.Is(err, domain.ErrTokenInactive) {
		t.Fatalf("second consume: %v", err)
	}
	if err := db.CreateCharge(ctx, c2, "nope", false); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("unknown token: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = Open(dir) // migrations are not re-run destructively
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.GetToken(ctx, "t1")
	if err != nil || got.Active || got.LastUsedAt == nil || string(got.Metadata["big"]) != "12345678901234567890" {
		t.Fatalf("token after reopen: %+v %v", got, err)
	}
	if v, err := db.GetSetting(ctx, "k"); err != nil || string(v) != "v" {
		t.Fatalf("setting: %q %v", v, err)
	}
	list, err := db.ListDueCharges(ctx, now)
	if err != nil || len(list) != 1 || list[0].ID != "c1" {
		t.Fatalf("due: %v %v", list, err)
	}
	list[0].Status = api.ChargeSuccessful
	list[0].ProcessAt = nil
	if err := db.UpdateCharge(ctx, list[0]); err != nil {
		t.Fatal(err)
	}
	if list, _ := db.ListDueCharges(ctx, now); len(list) != 0 {
		t.Fatalf("settled charge still due: %v", list)
	}
	shops, err := db.ListShops(ctx)
	if err != nil || len(shops) != 1 || shops[0].Name != "S" {
		t.Fatalf("shops: %v %v", shops, err)
	}
	for _, err := range []error{
		func() error { _, err := db.GetCharge(ctx, "x"); return err }(),
		func() error { _, err := db.GetShop(ctx, "x"); return err }(),
		func() error { _, err := db.GetAppToken(ctx, "x"); return err }(),
		func() error { _, err := db.GetSetting(ctx, "x"); return err }(),
		func() error { _, err := db.GetIdempotentResponse(ctx, "s", "x"); return err }(),
		db.UpdateToken(ctx, &domain.TxToken{ID: "x"}),
	} {
		if !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("want ErrNotFound, got %v", err)
		}
	}
}
