package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// openConns opens a database with a table t(k primary key, v).
func openConns(t *testing.T) *DB {
	t.Helper()
	db, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.db.ExecContext(context.Background(), `CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)`); err != nil {
		t.Fatal(err)
	}
	return db
}

func count(t *testing.T, db *DB) int {
	t.Helper()
	var n int
	if err := db.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM t`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Concurrent writes share commits; each failing one is rolled back alone,
// and every write that returned nil is there.
func TestGroupCommitRollsBackOnlyTheFailedWrite(t *testing.T) {
	db := openConns(t)
	ctx := context.Background()
	errOdd := errors.New("odd")
	var wg sync.WaitGroup
	results := make([]error, 200)
	for i := range results {
		wg.Go(func() {
			results[i] = db.inTx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO t (k, v) VALUES (?, ?)`, fmt.Sprint("k", i), i); err != nil {
					return err
				}
				if i%2 == 1 {
					return errOdd // after its insert: the insert must go
				}
				return nil
			})
		})
	}
	wg.Wait()
	for i, err := range results {
		if (i%2 == 1) != errors.Is(err, errOdd) || (i%2 == 0 && err != nil) {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	if n := count(t, db); n != 100 {
		t.Fatalf("%d rows, want the 100 writes that succeeded", n)
	}
	// A statement error (a duplicate key) fails its write only.
	_, err := db.db.ExecContext(ctx, `INSERT INTO t (k, v) VALUES ('k0', 0)`)
	if err == nil {
		t.Fatal("duplicate key accepted")
	}
	if n := count(t, db); n != 100 {
		t.Fatalf("%d rows after a failed insert", n)
	}
}

// The read connections refuse writes: a write must go through the
// committer.
func TestReadConnectionsAreReadOnly(t *testing.T) {
	db := openConns(t)
	rows, err := db.db.QueryContext(context.Background(), `INSERT INTO t (k, v) VALUES ('x', 1) RETURNING k`)
	if err == nil {
		for rows.Next() {
		}
		err = rows.Err()
		rows.Close()
	}
	if err == nil || count(t, db) != 0 {
		t.Fatalf("a write through a read connection: %v", err)
	}
}

// A statement kept by a connection can run again while its rows are
// still being read (a nested use compiles its own).
func TestCachedStatementNestedInItsOwnRows(t *testing.T) {
	db := openConns(t)
	ctx := context.Background()
	for i := range 3 {
		if _, err := db.db.ExecContext(ctx, `INSERT INTO t (k, v) VALUES (?, ?)`, fmt.Sprint("k", i), i); err != nil {
			t.Fatal(err)
		}
	}
	const q = `SELECT k FROM t WHERE v >= ? ORDER BY k`
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		outer, err := tx.QueryContext(ctx, q, 0)
		if err != nil {
			return err
		}
		defer outer.Close()
		n := 0
		for outer.Next() {
			inner, err := tx.QueryContext(ctx, q, 2)
			if err != nil {
				return err
			}
			var k string
			for inner.Next() {
				inner.Scan(&k)
			}
			inner.Close()
			if k != "k2" {
				return fmt.Errorf("inner query read %q", k)
			}
			n++
		}
		if n != 3 {
			return fmt.Errorf("outer query read %d rows", n)
		}
		return outer.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}

// After Close, a write fails instead of waiting forever.
func TestWriteAfterClose(t *testing.T) {
	db, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := db.PutSetting(context.Background(), "k", []byte("v")); err == nil {
		t.Fatal("a write after Close succeeded")
	}
}
