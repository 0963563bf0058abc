package sqlstore

import (
	"context"
	"encoding/json"
	"strconv"

	"kessai/server/domain"
)

// Source is what a list reads: a table, the columns of its items and how
// a row of them becomes an item.
type Source[T any] struct {
	Table string
	Cols  string
	Scan  func(Row) (*T, error)
}

// Docs is the source of a table whose items are its data document.
func Docs[T any](table string) Source[T] {
	return Source[T]{Table: table, Cols: "data", Scan: ScanDoc[T]}
}

// ScanDoc reads a row of one column, a JSON document (text or jsonb).
func ScanDoc[T any](r Row) (*T, error) {
	var data []byte
	if err := r.Scan(&data); err != nil {
		return nil, err
	}
	return Decode[T](data)
}

// Decode reads a stored JSON document; nil for NULL (the document of an
// outer join that found nothing).
func Decode[T any](data []byte) (*T, error) {
	if data == nil {
		return nil, nil
	}
	v := new(T)
	if err := json.Unmarshal(data, v); err != nil {
		return nil, err
	}
	return v, nil
}

// Collect reads every row of rows with scan, and closes rows.
func Collect[T any](rows Rows, scan func(Row) (*T, error)) ([]*T, error) {
	defer rows.Close()
	var out []*T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Count is the number of rows of table matching w.
func Count(ctx context.Context, db DB, table string, w Where) (int, error) {
	var n int
	err := db.Q.QueryRow(ctx, db.Dialect.Bind("SELECT COUNT(*) FROM "+table+w.SQL()), w.Args()...).Scan(&n)
	return n, err
}

// MaxTotalHits bounds the total_hits of a list (docs/sandbox-api.md,
// "Lists"): counting every match would make each page of a list cost in
// proportion to the items stored, where the page itself, read through the
// ID index, costs the same with 10³ or 10⁶ of them. Past it, total_hits is
// MaxTotalHits and has_more tells whether more pages follow.
const MaxTotalHits = 1_000

// CountHits is the total_hits of a list: the number of rows of table
// matching w, counted up to MaxTotalHits.
func CountHits(ctx context.Context, db DB, table string, w Where) (int, error) {
	var n int
	err := db.Q.QueryRow(ctx, db.Dialect.Bind("SELECT COUNT(*) FROM (SELECT 1 FROM "+table+w.SQL()+" LIMIT "+strconv.Itoa(MaxTotalHits)+") AS hits"),
		w.Args()...).Scan(&n)
	return n, err
}

// order is how a page walks the IDs: the ORDER BY direction, the
// operator comparing an ID with the cursor, and the page size (10 by
// default).
func order(p domain.Page) (dir, op string, limit int) {
	dir, op = "DESC", "<"
	if p.Asc {
		dir, op = "ASC", ">"
	}
	limit = p.Limit
	if limit <= 0 {
		limit = 10
	}
	return dir, op, limit
}

// Page runs a paginated list over src: the items matching w, ordered by
// ID (time-ordered UUIDs), after the cursor, at most p.Limit of them, and
// the count of the matches up to MaxTotalHits. The page query walks the
// (scope, id) index and reads p.Limit+1 rows. A cursor that names no row of the table is
// domain.ErrCursor.
func Page[T any](ctx context.Context, db DB, src Source[T], w Where, p domain.Page) (domain.List[*T], error) {
	var out domain.List[*T]
	n, err := CountHits(ctx, db, src.Table, w)
	if err != nil {
		return out, err
	}
	out.TotalHits = n
	dir, op, limit := order(p)
	if p.Cursor != "" {
		var found bool
		if err := db.Q.QueryRow(ctx, db.Dialect.Bind("SELECT EXISTS (SELECT 1 FROM "+src.Table+" WHERE id = ?)"), p.Cursor).Scan(&found); err != nil {
			return out, err
		}
		if !found {
			return out, domain.ErrCursor
		}
		w.Add("id "+op+" ?", p.Cursor)
	}
	rows, err := db.Q.Query(ctx, db.Dialect.Bind("SELECT "+src.Cols+" FROM "+src.Table+w.SQL()+" ORDER BY id "+dir+" LIMIT ?"), append(w.Args(), limit+1)...)
	if err != nil {
		return out, err
	}
	items, err := Collect(rows, src.Scan)
	if err != nil {
		return out, err
	}
	out.Items, out.HasMore = trim(items, limit)
	return out, nil
}

// trim cuts a page read with limit+1 rows to limit items, and reports
// whether there were more.
func trim[T any](items []T, limit int) ([]T, bool) {
	if len(items) > limit {
		return items[:limit], true
	}
	return items, false
}
