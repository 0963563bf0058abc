package sqlite

import (
	"cmp"
	"context"
	"strings"

	"kessai/server/domain"
)

// where collects the conditions of a list query.
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

// addIn adds "expr IN (values)", or "expr NOT IN (values)" with not; no
// condition when values is empty.
func addIn[S ~string](w *where, expr string, not bool, values []S) {
	if len(values) == 0 {
		return
	}
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = string(v)
	}
	op := " IN ("
	if not {
		op = " NOT IN ("
	}
	w.add(expr+op+"?"+strings.Repeat(", ?", len(values)-1)+")", args...)
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

// scoped is the start of every list of a store's or merchant's records:
// the scope and the shared filters.
func scoped(s domain.Scope, f domain.Filters) where {
	var w where
	w.scope(s)
	w.filters(f)
	return w
}

// filters adds the filters every list shares; the table must have
// created_at and mode columns and a JSON document with "metadata".
func (w *where) filters(f domain.Filters) {
	if f.From != nil {
		w.add("created_at >= ?", us(*f.From))
	}
	if f.To != nil {
		if f.ToInclusive {
			w.add("created_at <= ?", us(*f.To))
		} else {
			w.add("created_at < ?", us(*f.To))
		}
	}
	if f.Mode != "" {
		w.add("mode = ?", string(f.Mode))
	}
	for k, v := range f.Metadata {
		w.add("CAST(json_extract(data, ?) AS TEXT) = ?", jsonPath("metadata", k), v)
	}
}

// jsonPath quotes a JSON path for json_extract: $."a"."b".
func jsonPath(keys ...string) string {
	var b strings.Builder
	b.WriteString("$")
	for _, k := range keys {
		b.WriteString(`."`)
		b.WriteString(strings.ReplaceAll(k, `"`, `\"`))
		b.WriteString(`"`)
	}
	return b.String()
}

// order is how a page walks the IDs: the ORDER BY direction, the
// operator comparing an ID with the cursor, and the page size (10 by default).
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

// page runs a paginated list over table: the items matching w, ordered by
// ID (time-ordered UUIDs), after the cursor, at most p.Limit of them, and
// the count of all matches. The page query walks the (scope, id) index and
// reads p.Limit+1 rows.
func page[T any](ctx context.Context, db querier, table string, w where, p domain.Page) (domain.List[*T], error) {
	var out domain.List[*T]
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table+w.sql(), w.args...).Scan(&out.TotalHits); err != nil {
		return out, err
	}
	dir, op, limit := order(p)
	if p.Cursor != "" {
		if found, err := exists(ctx, db, table, p.Cursor); err != nil || !found {
			return out, cmp.Or(err, domain.ErrCursor)
		}
		w.add("id "+op+" ?", p.Cursor)
	}
	items, err := listDocs[T](ctx, db, "SELECT data FROM "+table+w.sql()+" ORDER BY id "+dir+" LIMIT ?", append(w.args, limit+1)...)
	if err != nil {
		return out, err
	}
	out.Items, out.HasMore = trim(items, limit)
	return out, nil
}

// exists reports whether table has a row with this ID.
func exists(ctx context.Context, db querier, table, id string) (bool, error) {
	var found bool
	err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+table+" WHERE id = ?)", id).Scan(&found)
	return found, err
}

// trim cuts a page read with limit+1 rows to limit items, and reports
// whether there were more.
func trim[T any](items []T, limit int) ([]T, bool) {
	if len(items) > limit {
		return items[:limit], true
	}
	return items, false
}
