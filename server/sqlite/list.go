package sqlite

import (
	"context"
	"database/sql"
	"errors"
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

// page runs a paginated list over table: the items matching w, ordered by
// ID (time-ordered UUIDs), after the cursor, at most p.Limit of them, and
// the count of all matches. The page query walks the (scope, id) index and
// reads p.Limit+1 rows.
func page[T any](ctx context.Context, db querier, table string, w where, p domain.Page) (domain.List[*T], error) {
	var out domain.List[*T]
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table+w.sql(), w.args...).Scan(&out.TotalHits); err != nil {
		return out, err
	}
	order := "DESC"
	cmp := "<"
	if p.Asc {
		order, cmp = "ASC", ">"
	}
	if p.Cursor != "" {
		var one int
		err := db.QueryRowContext(ctx, "SELECT 1 FROM "+table+" WHERE id = ?", p.Cursor).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return out, domain.ErrCursor
		}
		if err != nil {
			return out, err
		}
		w.add("id "+cmp+" ?", p.Cursor)
	}
	limit := p.Limit
	if limit <= 0 {
		limit = 10
	}
	items, err := listDocs[T](ctx, db, "SELECT data FROM "+table+w.sql()+" ORDER BY id "+order+" LIMIT ?", append(w.args, limit+1)...)
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
