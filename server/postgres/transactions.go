package postgres

import (
	"context"
	"encoding/json"
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
// the query for metadata values and last four, an ILIKE pattern for name
// and e-mail.
var (
	chargeSearch = `(charges.id = ? OR charges.data->>'last_four' = ?
		OR EXISTS (SELECT 1 FROM jsonb_each_text(` + metadata("charges.data") + `) m WHERE m.value = ?)
		OR EXISTS (SELECT 1 FROM tokens t WHERE t.id = charges.token_id
			AND (t.data->'card'->>'cardholder' ILIKE ? ESCAPE '\' OR t.data->>'email' ILIKE ? ESCAPE '\')))`
	refundSearch = `(refunds.id = ? OR refunds.charge_id = ?
		OR EXISTS (SELECT 1 FROM jsonb_each_text(` + metadata("refunds.data") + `) m WHERE m.value = ?)
		OR EXISTS (SELECT 1 FROM charges c LEFT JOIN tokens t ON t.id = c.token_id WHERE c.id = refunds.charge_id
			AND (c.data->>'last_four' = ?
				OR t.data->'card'->>'cardholder' ILIKE ? ESCAPE '\' OR t.data->>'email' ILIKE ? ESCAPE '\')))`
)

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
	if q.Type != api.TransactionRefund {
		a := &transactionArm{table: "charges", sel: "SELECT id, 'charge' AS type, id AS charge_id FROM charges"}
		if search != "" {
			id := strings.ToLower(search)
			a.w.add(chargeSearch, id, search, search, likePattern(search), likePattern(search))
		}
		arms = append(arms, a)
	}
	if q.Type != api.TransactionCharge {
		a := &transactionArm{table: "refunds", sel: "SELECT id, 'refund' AS type, charge_id FROM refunds"}
		if search != "" {
			id := strings.ToLower(search)
			a.w.add(refundSearch, id, id, search, search, likePattern(search), likePattern(search))
		}
		arms = append(arms, a)
	}
	for _, a := range arms {
		a.w.scope(q.Scope)
		a.w.filters(q.Filters)
		if q.Status != "" {
			a.w.add("status = ?", q.Status)
		}
		var n int
		if err := d.pool.QueryRow(ctx, rebind("SELECT COUNT(*) FROM "+a.table+a.w.sql()), a.w.args...).Scan(&n); err != nil {
			return out, err
		}
		out.TotalHits += n
	}
	order, cmp := "DESC", "<"
	if q.Asc {
		order, cmp = "ASC", ">"
	}
	if q.Cursor != "" {
		var found bool
		if err := d.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM charges WHERE id = $1) OR EXISTS (SELECT 1 FROM refunds WHERE id = $1)`,
			q.Cursor).Scan(&found); err != nil {
			return out, err
		}
		if !found {
			return out, domain.ErrCursor
		}
		for _, a := range arms {
			a.w.add("id "+cmp+" ?", q.Cursor)
		}
	}
	limit := pageLimit(q.Page)
	var parts []string
	var args []any
	for _, a := range arms {
		parts = append(parts, "SELECT * FROM ("+a.sel+a.w.sql()+" ORDER BY id "+order+" LIMIT ?) AS "+a.table+"_page")
		args = append(append(args, a.w.args...), limit+1)
	}
	query := "WITH page AS (" + strings.Join(parts, " UNION ALL ") + " ORDER BY id " + order + ` LIMIT ?)
		SELECT p.type, c.data, r.data, t.data FROM page p
		JOIN charges c ON c.id = p.charge_id
		LEFT JOIN refunds r ON p.type = 'refund' AND r.id = p.id
		LEFT JOIN tokens t ON t.id = c.token_id
		ORDER BY p.id ` + order
	rows, err := d.pool.Query(ctx, rebind(query), append(args, limit+1)...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var typ string
		var cdata, rdata, tdata []byte
		if err := rows.Scan(&typ, &cdata, &rdata, &tdata); err != nil {
			return out, err
		}
		it := &domain.Transaction{Type: api.TransactionType(typ), Charge: new(domain.Charge)}
		if err := json.Unmarshal(cdata, it.Charge); err != nil {
			return out, err
		}
		if rdata != nil {
			it.Refund = new(domain.Refund)
			if err := json.Unmarshal(rdata, it.Refund); err != nil {
				return out, err
			}
		}
		if tdata != nil {
			it.Token = new(domain.TxToken)
			if err := json.Unmarshal(tdata, it.Token); err != nil {
				return out, err
			}
		}
		out.Items = append(out.Items, it)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	if len(out.Items) > limit {
		out.HasMore = true
		out.Items = out.Items[:limit]
	}
	return out, nil
}
