package sqlite

import (
	"context"
	"database/sql"

	"kessai/server/domain"
	"kessai/server/sqlstore"
)

// shared is db as server/sqlstore runs its queries on it.
func shared(db querier) sqlstore.DB {
	return sqlstore.DB{Dialect: dialect, Q: sharedQuerier{db}}
}

// sharedQuerier adapts a querier of database/sql to sqlstore.Querier.
type sharedQuerier struct{ db querier }

func (q sharedQuerier) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return q.db.QueryRowContext(ctx, query, args...)
}

func (q sharedQuerier) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sharedRows{rows}, nil
}

// sharedRows is *sql.Rows with the Close of sqlstore.Rows.
type sharedRows struct{ *sql.Rows }

func (r sharedRows) Close() { r.Rows.Close() }

// dialect renders the queries of server/sqlstore for SQLite.
const dialect = sqlstore.SQLite

// page is one page of the documents of table matching w (sqlstore.Page).
func page[T any](ctx context.Context, db querier, table string, w sqlstore.Where, p domain.Page) (domain.List[*T], error) {
	return sqlstore.Page(ctx, shared(db), sqlstore.Docs[T](table), w, p)
}
