// Package sqlite implements domain.Storage on SQLite through the pure-Go
// modernc.org/sqlite driver. Each record is a JSON document plus the columns
// needed to find it; the schema lives in the embedded migrations/*.sql
// files, applied in order on Open. One file per entity; the list queries
// and the migration rules are server/sqlstore's, shared with
// server/postgres.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"kessai/server/domain"
	"kessai/server/sqlstore"

	_ "modernc.org/sqlite" // registers driver "sqlite"
)

// FileName is the database file created inside the data directory.
const FileName = "kessai.db"

// DB is a domain.Storage backed by one SQLite database file.
type DB struct {
	db *conns
}

var _ domain.Storage = (*DB)(nil)

// Open opens (creating if needed) dir/kessai.db in WAL mode and migrates it.
func Open(dir string) (*DB, error) {
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: create data dir: %w", err)
	}
	path := filepath.Join(dir, FileName)
	// synchronous(NORMAL): a commit is in the WAL file when it returns, so
	// it survives the process being killed; only an operating-system crash
	// may lose the last commits (docs/performance.md, "SQLite").
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	write, err := sql.Open(driverName, "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	// One write connection: SQLite allows one writer anyway, and this
	// rules out SQLITE_BUSY between our own connections.
	write.SetMaxOpenConns(1)
	d := &DB{db: newConns(nil, write)}
	if err := d.migrate(context.Background(), write); err != nil {
		write.Close()
		return nil, err
	}
	r := url.Values{}
	r.Add("_pragma", "busy_timeout(5000)")
	r.Add("_pragma", "foreign_keys(1)")
	r.Add("_pragma", "query_only(1)")
	read, err := sql.Open(driverName, "file:"+path+"?"+r.Encode())
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	read.SetMaxOpenConns(readConns)
	read.SetMaxIdleConns(readConns)
	d.db.read = read
	d.db.start()
	return d, nil
}

// Close closes the database once the writes under way are committed.
func (d *DB) Close() error { return d.db.Close() }

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrate applies the migrations the database has not seen yet, each in a
// transaction, on the write connection before the committer starts. A
// database newer than this binary is refused.
func (d *DB) migrate(ctx context.Context, db *sql.DB) error {
	ms, err := sqlstore.Migrations(migrationFiles, "migrations")
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	var cur int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&cur); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	pending, err := sqlstore.Pending(ms, cur, "another --data directory")
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	for _, m := range pending {
		tx, err := db.BeginTx(ctx, nil)
		if err == nil {
			if _, err = tx.ExecContext(ctx, m.SQL); err == nil {
				if _, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES (?)`, m.Version); err == nil {
					err = tx.Commit()
				}
			}
			tx.Rollback()
		}
		if err != nil {
			return fmt.Errorf("sqlite: migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// inTx runs fn in a transaction (immediate: it holds the write lock from
// the start), committed when fn returns nil and rolled back otherwise. It
// may share the transaction with other writes (conns, a group commit); fn
// must use only tx.
func (d *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return d.db.inTx(ctx, fn)
}

// us is the stored form of a time: microseconds since the epoch.
func us(t time.Time) int64 { return t.UnixMicro() }

// optUS is us for an optional time (NULL when nil).
func optUS(t *time.Time) any {
	if t == nil {
		return nil
	}
	return us(*t)
}

func encode(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// nullString stores "" as NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// listDocs returns the documents of the rows query selects (one "data"
// column).
func listDocs[T any](ctx context.Context, db querier, query string, args ...any) ([]*T, error) {
	rows, err := shared(db).Q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlstore.Collect(rows, sqlstore.ScanDoc[T])
}

// getOne returns the document of the single row query selects (a "data"
// column), ErrNotFound when there is none.
func getOne[T any](ctx context.Context, db querier, query string, args ...any) (*T, error) {
	v, err := sqlstore.ScanDoc[T](db.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound
	}
	return v, err
}

func expectOne(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return domain.ErrNotFound
	}
	return nil
}

// col is a column of a record's row: its name and stored value.
type col struct {
	name  string
	value any
}

// row is what a record stores besides its JSON document: its ID, the
// columns set once at insert, and the columns that follow the document,
// rewritten by every update.
type row struct {
	id      string
	fixed   []col
	mutable []col
}

// table is how records of type T are stored: the rows of table name, with
// the columns row returns, the ID in id and the document in data. Its
// methods are the statements every entity shares; the entity files keep
// the SQL that is their own.
type table[T any] struct {
	name string
	row  func(*T) row
}

// insert stores v as a new row.
func (tb table[T]) insert(ctx context.Context, db execer, v *T) error {
	data, err := encode(v)
	if err != nil {
		return err
	}
	r := tb.row(v)
	names, marks := []string{"id"}, []string{"?"}
	args := []any{r.id}
	for _, c := range append(r.fixed, r.mutable...) {
		names, marks, args = append(names, c.name), append(marks, "?"), append(args, c.value)
	}
	_, err = db.ExecContext(ctx, "INSERT INTO "+tb.name+" ("+strings.Join(names, ", ")+", data) VALUES ("+strings.Join(marks, ", ")+", ?)",
		append(args, data)...)
	return err
}

// update rewrites the document of v's row and its mutable columns;
// ErrNotFound when there is no such row.
func (tb table[T]) update(ctx context.Context, db execer, v *T) error {
	data, err := encode(v)
	if err != nil {
		return err
	}
	r := tb.row(v)
	var set []string
	var args []any
	for _, c := range r.mutable {
		set, args = append(set, c.name+" = ?"), append(args, c.value)
	}
	set = append(set, "data = ?")
	return expectOne(db.ExecContext(ctx, "UPDATE "+tb.name+" SET "+strings.Join(set, ", ")+" WHERE id = ?", append(args, data, r.id)...))
}

// get returns the record with this ID, ErrNotFound when there is none.
func (tb table[T]) get(ctx context.Context, db querier, id string) (*T, error) {
	return getOne[T](ctx, db, "SELECT data FROM "+tb.name+" WHERE id = ?", id)
}

// delete removes the record with this ID, ErrNotFound when there is none.
func (tb table[T]) delete(ctx context.Context, db execer, id string) error {
	return expectOne(db.ExecContext(ctx, "DELETE FROM "+tb.name+" WHERE id = ?", id))
}

// due returns the records of a store whose due_at column is at or before
// t, oldest first (the sandbox engine's jobs).
func (tb table[T]) due(ctx context.Context, db querier, storeID string, t time.Time) ([]*T, error) {
	return listDocs[T](ctx, db, "SELECT data FROM "+tb.name+" WHERE store_id = ? AND due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, id", storeID, us(t))
}

// list is one page of the records matching w (see page).
func (tb table[T]) list(ctx context.Context, db querier, w sqlstore.Where, p domain.Page) (domain.List[*T], error) {
	return page[T](ctx, db, tb.name, w, p)
}
