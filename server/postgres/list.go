package postgres

import (
	"context"

	"kessai/server/domain"
	"kessai/server/sqlstore"
)

// shared is db as server/sqlstore runs its queries on it.
func shared(db querier) sqlstore.DB {
	return sqlstore.DB{Dialect: dialect, Q: sharedQuerier{db}}
}

// sharedQuerier adapts a querier of pgx to sqlstore.Querier.
type sharedQuerier struct{ db querier }

func (q sharedQuerier) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return q.db.QueryRow(ctx, query, args...)
}

func (q sharedQuerier) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	return q.db.Query(ctx, query, args...)
}

// dialect renders the queries of server/sqlstore for PostgreSQL.
const dialect = sqlstore.Postgres

// page is one page of the items of src matching w (sqlstore.Page).
func page[T any](ctx context.Context, db querier, src sqlstore.Source[T], w sqlstore.Where, p domain.Page) (domain.List[*T], error) {
	return sqlstore.Page(ctx, shared(db), src, w, p)
}
