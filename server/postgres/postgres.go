// Package postgres implements domain.Storage on PostgreSQL through
// github.com/jackc/pgx/v5 and its pool, pgxpool (docs/postgres.md). Each
// record is a jsonb document plus the columns needed to find it; the schema
// lives in the embedded migrations/*.sql files, applied in order on Open.
// One file per entity, like server/sqlite; the list queries and the
// migration rules are server/sqlstore's, shared with it.
//
// Where SQLite relies on its single writer, the rules that read and then
// write (a token's consumption, a charge's refund total, a scope's webhook
// limit) run in one transaction that first locks the row they depend on
// (SELECT … FOR UPDATE), so they also hold between processes sharing the
// database.
package postgres

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgxpool"

	"kessai/server/domain"
	"kessai/server/sqlstore"
)

// Defaults of the connection settings that the database URL does not set
// (docs/postgres.md, "Connections").
const (
	// DefaultMaxConns is the pool size of one kessai process (URL
	// parameter pool_max_conns).
	DefaultMaxConns = 10
	// DefaultStatementTimeout bounds every statement on the server (URL
	// parameter statement_timeout, a PostgreSQL duration).
	DefaultStatementTimeout = "30s"
	// DefaultIdleInTransactionTimeout ends a session that leaves a
	// transaction open, so that its row locks are released (URL parameter
	// idle_in_transaction_session_timeout).
	DefaultIdleInTransactionTimeout = "60s"
	// DefaultConnectTimeout bounds each new connection (URL parameter
	// connect_timeout, in seconds).
	DefaultConnectTimeout = 10 * time.Second
)

// IsURL reports whether s is a PostgreSQL connection URL (postgres:// or
// postgresql://), the form Config.Database selects this storage with.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// DB is a domain.Storage backed by a PostgreSQL database.
type DB struct {
	pool *pgxpool.Pool
}

var _ domain.Storage = (*DB)(nil)

// Open connects to the database at dbURL (postgres://…) and migrates its
// schema. Settings the URL leaves out get the defaults above; pgx reads the
// others (host, sslmode, pool_*, run-time parameters) from the URL.
func Open(ctx context.Context, dbURL string) (*DB, error) {
	cfg, err := poolConfig(dbURL)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	d := &DB{pool: pool}
	if err := d.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return d, nil
}

// poolConfig parses dbURL and fills in the defaults it leaves out.
func poolConfig(dbURL string) (*pgxpool.Config, error) {
	if !IsURL(dbURL) {
		return nil, errors.New("postgres: the database must be a postgres:// or postgresql:// URL")
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		// The URL may hold a password: never repeat it.
		return nil, errors.New("postgres: the database URL cannot be parsed")
	}
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	q := u.Query()
	if !q.Has("pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns
	}
	if !q.Has("connect_timeout") {
		cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	}
	rp := cfg.ConnConfig.RuntimeParams
	for k, v := range map[string]string{
		"statement_timeout":                   DefaultStatementTimeout,
		"idle_in_transaction_session_timeout": DefaultIdleInTransactionTimeout,
		"application_name":                    "kessai",
	} {
		if _, ok := rp[k]; !ok {
			rp[k] = v
		}
	}
	// A cancelled context (a client gone, a server shutting down) asks the
	// server to cancel the statement, which keeps the connection usable;
	// the connection is only dropped if the server does not answer.
	cfg.ConnConfig.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: 5 * time.Second}
	}
	return cfg, nil
}

// Close closes the pool, waiting for the connections in use.
func (d *DB) Close() error {
	d.pool.Close()
	return nil
}

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLock is the advisory lock key that serialises migrations: of
// several kessai processes starting on one database, one migrates and the
// others wait, then find the schema current.
const migrationLock = 0x6b657373 // "kess"

// migrate applies the migrations the database has not seen yet, all in one
// transaction. A database newer than this binary is refused.
func (d *DB) migrate(ctx context.Context) error {
	ms, err := sqlstore.Migrations(migrationFiles, "migrations")
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	err = pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		for _, q := range []string{
			`SET LOCAL statement_timeout = 0`,
			`SELECT pg_advisory_xact_lock(` + strconv.Itoa(migrationLock) + `)`,
			`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
		} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		var cur int
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&cur); err != nil {
			return err
		}
		pending, err := sqlstore.Pending(ms, cur, "another database")
		if err != nil {
			return err
		}
		for _, m := range pending {
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	return nil
}

// querier is what queries run on: the pool or a transaction.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// encode is the stored form of a document.
func encode(v any) ([]byte, error) { return json.Marshal(v) }

// listDocs returns the documents of the rows query selects (one jsonb
// column).
func listDocs[T any](ctx context.Context, db querier, query string, args ...any) ([]*T, error) {
	rows, err := db.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlstore.Collect(rows, sqlstore.ScanDoc[T])
}

// getOne returns the document of the single row query selects,
// ErrNotFound when there is none.
func getOne[T any](ctx context.Context, db querier, query string, args ...any) (*T, error) {
	v, err := sqlstore.ScanDoc[T](db.QueryRow(ctx, query, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, domain.ErrNotFound
	}
	return v, err
}

// expectOne turns an UPDATE or DELETE that touched no row into ErrNotFound.
func expectOne(tag pgconn.CommandTag, err error) error {
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return domain.ErrNotFound
	}
	return nil
}

// uniqueViolation maps a unique-constraint failure to domain.ErrConflict.
func uniqueViolation(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return domain.ErrConflict
	}
	return err
}

// nullString is s, or NULL when empty.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
