// Package sqlite implements domain.Storage on SQLite through the pure-Go
// modernc.org/sqlite driver. Each record is a JSON document plus the columns
// needed to find it; the schema lives in the embedded migrations/*.sql
// files, applied in order on Open. One file per entity.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"kessai/server/domain"

	_ "modernc.org/sqlite" // registers driver "sqlite"
)

// FileName is the database file created inside the data directory.
const FileName = "kessai.db"

// DB is a domain.Storage backed by one SQLite database file.
type DB struct {
	db *sql.DB
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
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	// One connection: SQLite allows one writer anyway, and this rules out
	// SQLITE_BUSY between our own connections.
	db.SetMaxOpenConns(1)
	d := &DB{db: db}
	if err := d.migrate(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	return d, nil
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered file of migrations/: NNN_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(entries)
	var out []migration
	for i, e := range entries {
		base := filepath.Base(e)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v != i+1 {
			return nil, fmt.Errorf("sqlite: migration file %s: want number %03d", base, i+1)
		}
		b, err := migrationFiles.ReadFile(e)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	return out, nil
}

// migrate applies the migrations the database has not seen yet, each in a
// transaction. A database newer than this binary is refused.
func (d *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if _, err := d.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	var cur int
	if err := d.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&cur); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	if cur > len(ms) {
		return fmt.Errorf("sqlite: the database schema is version %d, newer than this kessai (%d): use a newer kessai or another --data directory", cur, len(ms))
	}
	for _, m := range ms[cur:] {
		tx, err := d.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("sqlite: migrate: %w", err)
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES (?)`, m.version); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: migration %s: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("sqlite: migration %s: %w", m.name, err)
		}
	}
	return nil
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

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func listDocs[T any](ctx context.Context, db querier, query string, args ...any) ([]*T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		v := new(T)
		if err := json.Unmarshal([]byte(data), v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// getOne returns the document of the single row query selects (a "data"
// column), ErrNotFound when there is none.
func getOne[T any](ctx context.Context, db querier, query string, args ...any) (*T, error) {
	var data string
	err := db.QueryRowContext(ctx, query, args...).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	v := new(T)
	if err := json.Unmarshal([]byte(data), v); err != nil {
		return nil, err
	}
	return v, nil
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
