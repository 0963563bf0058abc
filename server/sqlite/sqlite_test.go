package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
	"kessai/server/storagetest"
)

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) domain.Storage {
		db, err := Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
}

func TestReopenKeepsData(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	m := &domain.Merchant{ID: "m1", Name: "M", CreatedAt: now}
	store := &domain.Store{ID: "s1", MerchantID: "m1", Name: "S", CreatedAt: now}
	tok := &domain.TxToken{ID: "t1", StoreID: "s1", Type: api.TokenTypeOneTime, Active: true, CreatedAt: now}
	for _, err := range []error{db.CreateMerchant(ctx, m), db.CreateStore(ctx, store), db.CreateToken(ctx, tok), db.PutSetting(ctx, "k", []byte("v"))} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(dir) // migrations are not re-run destructively
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, err := db.GetToken(ctx, "t1"); err != nil || !got.Active {
		t.Fatalf("token after reopen: %+v %v", got, err)
	}
	if v, err := db.GetSetting(ctx, "k"); err != nil || string(v) != "v" {
		t.Fatalf("setting: %q %v", v, err)
	}
}

// A database written by a newer kessai is refused with a clear message.
func TestNewerSchemaRefused(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.ExecContext(context.Background(), `INSERT INTO schema_migrations (version) VALUES (999)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "newer than this kessai") {
		t.Fatalf("Open of a newer schema: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
		t.Fatal(err)
	}
}
