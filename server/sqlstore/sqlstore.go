// Package sqlstore is what the two SQL implementations of domain.Storage,
// server/sqlite and server/postgres, share (docs/architecture.md): the
// loader and version rule of their migration files, and the list queries,
// whose conditions are written once with ? placeholders and rendered for
// an engine by its Dialect (placeholders, how a field of the JSON document
// is read, case-insensitive matching). Each engine keeps the SQL that is
// its own: inserts and updates, the transactions with their row locks, the
// schema discovery of ResetStore.
//
// It imports no database driver: an engine hands it a Querier.
package sqlstore

import "context"

// Row is a result row: *sql.Row, pgx.Row, or the current row of Rows.
type Row interface {
	Scan(dest ...any) error
}

// Rows is a result set, read row by row (pgx.Rows, or *sql.Rows with a
// Close without result).
type Rows interface {
	Row
	Next() bool
	Err() error
	Close()
}

// Querier runs queries written in an engine's SQL (after Dialect.Bind).
type Querier interface {
	QueryRow(ctx context.Context, query string, args ...any) Row
	Query(ctx context.Context, query string, args ...any) (Rows, error)
}

// DB is a database as this package sees it: where its queries run and the
// dialect they are written in.
type DB struct {
	Dialect Dialect
	Q       Querier
}
