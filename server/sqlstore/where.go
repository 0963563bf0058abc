package sqlstore

import (
	"slices"
	"strings"

	"kessai/server/domain"
)

// Where collects the conditions of a query, written with ? placeholders
// and rendered by its dialect's Bind once the query is whole.
type Where struct {
	d     Dialect
	conds []string
	args  []any
}

// Where starts the conditions of a query in d.
func (d Dialect) Where() Where { return Where{d: d} }

// Add adds a condition and the arguments of its placeholders.
func (w *Where) Add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// SQL is the WHERE clause ("" without conditions), with ? placeholders.
func (w *Where) SQL() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// Args are the arguments of the placeholders of SQL, in order (clipped:
// appending to them copies).
func (w *Where) Args() []any { return slices.Clip(w.args) }

// in adds "expr IN (values)"; no condition when values is empty.
func in[S ~string](w *Where, expr string, values []S) { addIn(w, expr, " IN (", values) }

// notIn adds "expr NOT IN (values)"; no condition when values is empty.
func notIn[S ~string](w *Where, expr string, values []S) { addIn(w, expr, " NOT IN (", values) }

func addIn[S ~string](w *Where, expr, op string, values []S) {
	if len(values) == 0 {
		return
	}
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = string(v)
	}
	w.Add(expr+op+"?"+strings.Repeat(", ?", len(values)-1)+")", args...)
}

// scope adds the store or merchant condition; the table must have
// store_id and merchant_id columns.
func (w *Where) scope(s domain.Scope) {
	if s.StoreID != "" {
		w.Add("store_id = ?", s.StoreID)
	} else {
		w.Add("merchant_id = ?", s.MerchantID)
	}
}

// filters adds the filters every list shares; the table must have
// created_at and mode columns and a document with "metadata".
func (w *Where) filters(f domain.Filters) {
	if f.From != nil {
		w.Add("created_at >= ?", w.d.Time(*f.From))
	}
	if f.To != nil {
		if f.ToInclusive {
			w.Add("created_at <= ?", w.d.Time(*f.To))
		} else {
			w.Add("created_at < ?", w.d.Time(*f.To))
		}
	}
	if f.Mode != "" {
		w.Add("mode = ?", string(f.Mode))
	}
	for k, v := range f.Metadata {
		expr, key := w.d.Metadata("data", k)
		w.Add(expr+" = ?", key, v)
	}
}

// scoped is the start of every list of a store's or merchant's records:
// the scope and the shared filters.
func (d Dialect) scoped(s domain.Scope, f domain.Filters) Where {
	w := d.Where()
	w.scope(s)
	w.filters(f)
	return w
}
