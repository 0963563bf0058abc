package postgres

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"kessai/api"
	"kessai/server/domain"
	"kessai/server/postgres/pgtest"
	"kessai/server/sqlstore"
	"kessai/server/storagetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var ctx = context.Background()

func open(t *testing.T, dbURL string) *DB {
	t.Helper()
	db, err := Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) domain.Storage { return open(t, pgtest.Database(t)) })
}

// icuDatabase is a database whose default collation is ICU's en-US, where
// "B" < "a" does not hold.
const icuDatabase = "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"

// The schema does not depend on the database's collation: the suite passes
// on another, and lists are in the byte order of their IDs, as on SQLite.
func TestOtherCollation(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) domain.Storage { return open(t, pgtest.Database(t, icuDatabase)) })

	db := open(t, pgtest.Database(t, icuDatabase))
	defer db.Close()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.CreateMerchant(ctx, &domain.Merchant{ID: "m", CreatedAt: at}))
	must(db.CreateStore(ctx, &domain.Store{ID: "s", MerchantID: "m", CreatedAt: at}))
	for _, id := range []string{"0a", "0B", "0c"} {
		must(db.CreateToken(ctx, &domain.TxToken{ID: id, StoreID: "s", MerchantID: "m", Mode: api.ModeTest, CreatedAt: at}))
	}
	l, err := db.ListTokens(ctx, domain.TokenQuery{Scope: domain.Scope{StoreID: "s"}, Page: domain.Page{Limit: 2, Cursor: "0c"}})
	must(err)
	var got []string
	for _, tok := range l.Items {
		got = append(got, tok.ID)
	}
	if strings.Join(got, " ") != "0a 0B" {
		t.Fatalf("tokens before 0c, newest first = %v, want [0a 0B]", got)
	}
}

func TestReopenKeepsData(t *testing.T) {
	dbURL := pgtest.Database(t)
	db := open(t, dbURL)
	now := time.Now().UTC().Truncate(time.Microsecond)
	m := &domain.Merchant{ID: "m1", Name: "M", CreatedAt: now}
	store := &domain.Store{ID: "s1", MerchantID: "m1", Name: "S", CreatedAt: now}
	tok := &domain.TxToken{ID: "t1", StoreID: "s1", Type: api.TokenTypeOneTime, Active: true, CreatedAt: now}
	for _, err := range []error{db.CreateMerchant(ctx, m), db.CreateStore(ctx, store), db.CreateToken(ctx, tok), db.PutSetting(ctx, "k", []byte("v"))} {
		if err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	db = open(t, dbURL) // migrations are not re-run destructively
	defer db.Close()
	if got, err := db.GetToken(ctx, "t1"); err != nil || !got.Active || !got.CreatedAt.Equal(now) {
		t.Fatalf("token after reopen: %+v %v", got, err)
	}
	if v, err := db.GetSetting(ctx, "k"); err != nil || string(v) != "v" {
		t.Fatalf("setting: %q %v", v, err)
	}
}

// A database migrated by a newer kessai is refused with a clear message.
func TestNewerSchemaRefused(t *testing.T) {
	dbURL := pgtest.Database(t)
	db := open(t, dbURL)
	if _, err := db.pool.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES (999, '999_future.sql')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, dbURL); err == nil || !strings.Contains(err.Error(), "newer than this kessai") {
		t.Fatalf("Open of a newer schema: %v", err)
	}
}

// Several processes starting at once on an empty database: one migrates,
// the others wait for it and find the schema current.
func TestConcurrentOpen(t *testing.T) {
	dbURL := pgtest.Database(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			db, err := Open(ctx, dbURL)
			if err == nil {
				db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	db := open(t, dbURL)
	defer db.Close()
	var n int
	if err := db.pool.QueryRow(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(mustMigrations(t)) {
		t.Fatalf("schema_migrations has %d rows, %v", n, err)
	}
}

func mustMigrations(t *testing.T) []sqlstore.Migration {
	ms, err := sqlstore.Migrations(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// The connection settings: defaults where the URL sets nothing, the URL's
// own values otherwise.
func TestPoolConfig(t *testing.T) {
	cfg, err := poolConfig("postgres://u@db.example/kessai")
	if err != nil {
		t.Fatal(err)
	}
	rp := cfg.ConnConfig.RuntimeParams
	if cfg.MaxConns != DefaultMaxConns || cfg.ConnConfig.ConnectTimeout != DefaultConnectTimeout ||
		rp["statement_timeout"] != DefaultStatementTimeout || rp["idle_in_transaction_session_timeout"] != DefaultIdleInTransactionTimeout ||
		rp["application_name"] != "kessai" {
		t.Fatalf("defaults: max %d, connect %v, params %v", cfg.MaxConns, cfg.ConnConfig.ConnectTimeout, rp)
	}
	cfg, err = poolConfig("postgresql://u@db.example/kessai?pool_max_conns=3&statement_timeout=5s&connect_timeout=2&application_name=qa")
	if err != nil {
		t.Fatal(err)
	}
	rp = cfg.ConnConfig.RuntimeParams
	if cfg.MaxConns != 3 || cfg.ConnConfig.ConnectTimeout != 2*time.Second || rp["statement_timeout"] != "5s" || rp["application_name"] != "qa" {
		t.Fatalf("from the URL: max %d, connect %v, params %v", cfg.MaxConns, cfg.ConnConfig.ConnectTimeout, rp)
	}
	for _, bad := range []string{"kessai.db", "mysql://db.example/kessai", "postgres://u:secret@db.example:notaport/kessai"} {
		if _, err := poolConfig(bad); err == nil || strings.Contains(err.Error(), "secret") {
			t.Errorf("poolConfig(%q) = %v", bad, err)
		}
	}
}

// The statement timeout of the URL holds, and a cancelled context stops a
// statement without losing its connection.
func TestTimeoutAndCancel(t *testing.T) {
	db := open(t, pgtest.Database(t)+"&statement_timeout=200ms&pool_max_conns=1")
	defer db.Close()
	start := time.Now()
	if _, err := db.pool.Exec(ctx, `SELECT pg_sleep(10)`); err == nil || !strings.Contains(err.Error(), "statement timeout") {
		t.Fatalf("a statement past statement_timeout: %v", err)
	}
	c, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if _, err := db.pool.Exec(c, `SET statement_timeout = 0; SELECT pg_sleep(10)`); err == nil {
		t.Fatal("a cancelled statement succeeded")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("the timeout and the cancel took %v", d)
	}
	// The pool's one connection still works.
	if _, err := db.GetSetting(ctx, "none"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("after the cancel: %v", err)
	}
}
