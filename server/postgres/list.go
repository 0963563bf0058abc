package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"kessai/server/domain"
)

// where collects the conditions of a list query. Conditions are written
// with ? placeholders, as they are composed before their position in the
// final query is known; rebind numbers them. (No query of this package
// uses the jsonb ? operators.)
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// rebind numbers the ? placeholders of query: $1, $2, …
func rebind(query string) string {
	var b strings.Builder
	n := 0
	for _, part := range strings.SplitAfter(query, "?") {
		if p, ok := strings.CutSuffix(part, "?"); ok {
			n++
			b.WriteString(p)
			b.WriteString("$" + strconv.Itoa(n))
		} else {
			b.WriteString(part)
		}
	}
	return b.String()
}

// scope adds the store or merchant condition; the table must have
// store_id and merchant_id columns.
func (w *where) scope(s domain.Scope) {
	if s.StoreID != "" {
		w.add("store_id = ?", s.StoreID)
	} else {
		w.add("merchant_id = ?", s.MerchantID)
	}
}

// filters adds the filters every list shares; the table must have
// created_at and mode columns and a document with "metadata".
func (w *where) filters(f domain.Filters) {
	if f.From != nil {
		w.add("created_at >= ?", *f.From)
	}
	if f.To != nil {
		if f.ToInclusive {
			w.add("created_at <= ?", *f.To)
		} else {
			w.add("created_at < ?", *f.To)
		}
	}
	if f.Mode != "" {
		w.add("mode = ?", string(f.Mode))
	}
	for k, v := range f.Metadata {
		w.add("data->'metadata'->>?::text = ?", k, v)
	}
}

// metadata is the metadata object of the document doc (a column), NULL
// when it is not an object (a nil map is stored as null): the set
// functions over it then return no rows.
func metadata(doc string) string {
	return "(CASE WHEN jsonb_typeof(" + doc + "->'metadata') = 'object' THEN " + doc + "->'metadata' END)"
}

// source is what a list reads: a table, the columns of its items and the
// function that reads them.
type source[T any] struct {
	table string
	cols  string
	read  func(ctx context.Context, db querier, query string, args ...any) ([]*T, error)
}

// docs is the source of the tables whose items are their data document.
func docs[T any](table string) source[T] {
	return source[T]{table: table, cols: "data", read: listDocs[T]}
}

// page runs a paginated list over src: the items matching w, ordered by ID
// (time-ordered UUIDs), after the cursor, at most p.Limit of them, and the
// count of all matches. The page query walks the (scope, id) index and
// reads p.Limit+1 rows.
func page[T any](ctx context.Context, db querier, src source[T], w where, p domain.Page) (domain.List[*T], error) {
	var out domain.List[*T]
	if err := db.QueryRow(ctx, rebind("SELECT COUNT(*) FROM "+src.table+w.sql()), w.args...).Scan(&out.TotalHits); err != nil {
		return out, err
	}
	order, cmp := "DESC", "<"
	if p.Asc {
		order, cmp = "ASC", ">"
	}
	if p.Cursor != "" {
		var one int
		err := db.QueryRow(ctx, "SELECT 1 FROM "+src.table+" WHERE id = $1", p.Cursor).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return out, domain.ErrCursor
		}
		if err != nil {
			return out, err
		}
		w.add("id "+cmp+" ?", p.Cursor)
	}
	limit := pageLimit(p)
	items, err := src.read(ctx, db, rebind("SELECT "+src.cols+" FROM "+src.table+w.sql()+" ORDER BY id "+order+" LIMIT ?"), append(w.args, limit+1)...)
	if err != nil {
		return out, err
	}
	if len(items) > limit {
		out.HasMore = true
		items = items[:limit]
	}
	out.Items = items
	return out, nil
}

// pageLimit is the page size of p (10 when unset).
func pageLimit(p domain.Page) int {
	if p.Limit <= 0 {
		return 10
	}
	return p.Limit
}
