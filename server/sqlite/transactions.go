package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"kessai/api"
	"kessai/server/domain"
)

// transactionArm is one side of the transaction history: the charges or
// the refunds matching the query. sel selects (id, type, charge_id).
type transactionArm struct {
	table string
	sel   string
	w     where
}

// Search conditions of the two arms (docs/charges.md, "Transaction
// history"). Arguments: the lower-cased query for IDs (twice for refunds),
// the query for metadata values and last four, a LIKE pattern for name and
// e-mail.
const (
	chargeSearch = `(charges.id = ? OR json_extract(charges.data, '$.last_four') = ?
		OR EXISTS (SELECT 1 FROM json_each(charges.data, '$.metadata') m WHERE CAST(m.value AS TEXT) = ?)
		OR EXISTS (SELECT 1 FROM tokens t WHERE t.id = charges.token_id
			AND (json_extract(t.data, '$.card.cardholder') LIKE ? ESCAPE '\' OR json_extract(t.data, '$.email') LIKE ? ESCAPE '\')))`
	refundSearch = `(refunds.id = ? OR refunds.charge_id = ?
		OR EXISTS (SELECT 1 FROM json_each(refunds.data, '$.metadata') m WHERE CAST(m.value AS TEXT) = ?)
		OR EXISTS (SELECT 1 FROM charges c LEFT JOIN tokens t ON t.id = c.token_id WHERE c.id = refunds.charge_id
			AND (json_extract(c.data, '$.last_four') = ?
				OR json_extract(t.data, '$.card.cardholder') LIKE ? ESCAPE '\' OR json_extract(t.data, '$.email') LIKE ? ESCAPE '\')))`
)

// decodeNull reads the document of an outer join: nil for NULL.
func decodeNull[T any](data sql.NullString) (*T, error) {
	if !data.Valid {
		return nil, nil
	}
	return decode[T](data.String)
}

// likePattern is a LIKE pattern matching s anywhere (ESCAPE '\').
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// ListTransactions implements domain.Storage. The page is a UNION ALL of
// two arms, charges and refunds, each walking its (scope, id) index after
// the cursor and reading at most limit+1 rows; of their union the first
// limit+1 by ID are joined with their charge, refund and token documents.
// So a page costs O(limit) rows besides the count.
func (d *DB) ListTransactions(ctx context.Context, q domain.TransactionQuery) (domain.List[*domain.Transaction], error) {
	var out domain.List[*domain.Transaction]
	var arms []*transactionArm
	search := strings.TrimSpace(q.Search)
	id, like := strings.ToLower(search), likePattern(search)
	if q.Type != api.TransactionRefund {
		a := &transactionArm{table: "charges", sel: "SELECT id, 'charge' AS type, id AS charge_id FROM charges", w: scoped(q.Scope, q.Filters)}
		if search != "" {
			a.w.add(chargeSearch, id, search, search, like, like)
		}
		arms = append(arms, a)
	}
	if q.Type != api.TransactionCharge {
		a := &transactionArm{table: "refunds", sel: "SELECT id, 'refund' AS type, charge_id FROM refunds", w: scoped(q.Scope, q.Filters)}
		if search != "" {
			a.w.add(refundSearch, id, id, search, search, like, like)
		}
		arms = append(arms, a)
	}
	for _, a := range arms {
		if q.Status != "" {
			a.w.add("status = ?", q.Status)
		}
		var n int
		if err := d.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+a.table+a.w.sql(), a.w.args...).Scan(&n); err != nil {
			return out, err
		}
		out.TotalHits += n
	}
	dir, op, limit := order(q.Page)
	if q.Cursor != "" {
		var found bool
		if err := d.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM charges WHERE id = ?) OR EXISTS (SELECT 1 FROM refunds WHERE id = ?)`,
			q.Cursor, q.Cursor).Scan(&found); err != nil {
			return out, err
		}
		if !found {
			return out, domain.ErrCursor
		}
		for _, a := range arms {
			a.w.add("id "+op+" ?", q.Cursor)
		}
	}
	var parts []string
	var args []any
	for _, a := range arms {
		parts = append(parts, "SELECT * FROM ("+a.sel+a.w.sql()+" ORDER BY id "+dir+" LIMIT ?)")
		args = append(append(args, a.w.args...), limit+1)
	}
	query := "WITH page AS (" + strings.Join(parts, " UNION ALL ") + " ORDER BY id " + dir + ` LIMIT ?)
		SELECT p.type, c.data, r.data, t.data FROM page p
		JOIN charges c ON c.id = p.charge_id
		LEFT JOIN refunds r ON p.type = 'refund' AND r.id = p.id
		LEFT JOIN tokens t ON t.id = c.token_id
		ORDER BY p.id ` + dir
	rows, err := d.db.QueryContext(ctx, query, append(args, limit+1)...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var typ, cdata string
		var rdata, tdata sql.NullString
		if err := rows.Scan(&typ, &cdata, &rdata, &tdata); err != nil {
			return out, err
		}
		it := &domain.Transaction{Type: api.TransactionType(typ)}
		if it.Charge, err = decode[domain.Charge](cdata); err != nil {
			return out, err
		}
		if it.Refund, err = decodeNull[domain.Refund](rdata); err != nil {
			return out, err
		}
		if it.Token, err = decodeNull[domain.TxToken](tdata); err != nil {
			return out, err
		}
		out.Items = append(out.Items, it)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	out.Items, out.HasMore = trim(out.Items, limit)
	return out, nil
}
