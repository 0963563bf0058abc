package sqlstore

import (
	"context"
	"slices"
	"strings"

	"kessai/api"
	"kessai/server/domain"
)

// transactionArm is one side of the transaction history: the charges or
// the refunds matching the query. sel selects (id, type, charge_id).
type transactionArm struct {
	table, sel string
	search     func(string) (string, []any)
	// other is the type of the queries that leave this arm out.
	other api.TransactionType
	w     Where
}

// chargeSearch and refundSearch are the search conditions of the two arms
// (docs/charges.md, "Transaction history"), with their arguments: the
// lower-cased query for IDs, the query for metadata values and the last
// four digits, a LIKE pattern (any case) for the cardholder and e-mail.
func (d Dialect) chargeSearch(search string) (string, []any) {
	id, like := strings.ToLower(search), likePattern(search)
	return `(charges.id = ? OR ` + d.Text("charges.data", "last_four") + ` = ?
		OR ` + d.AnyMetadata("charges.data", equals) + `
		OR EXISTS (SELECT 1 FROM tokens t WHERE t.id = charges.token_id
			AND (` + d.LikeFold(d.Text("t.data", "card.cardholder")) + ` OR ` + d.LikeFold(d.Text("t.data", "email")) + `)))`,
		[]any{id, search, search, like, like}
}

func (d Dialect) refundSearch(search string) (string, []any) {
	id, like := strings.ToLower(search), likePattern(search)
	return `(refunds.id = ? OR refunds.charge_id = ?
		OR ` + d.AnyMetadata("refunds.data", equals) + `
		OR EXISTS (SELECT 1 FROM charges c LEFT JOIN tokens t ON t.id = c.token_id WHERE c.id = refunds.charge_id
			AND (` + d.Text("c.data", "last_four") + ` = ?
				OR ` + d.LikeFold(d.Text("t.data", "card.cardholder")) + ` OR ` + d.LikeFold(d.Text("t.data", "email")) + `)))`,
		[]any{id, id, search, search, like, like}
}

func equals(expr string) string { return expr + " = ?" }

// likePattern is a LIKE pattern matching s anywhere (ESCAPE '\').
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// Transactions lists the transaction history (domain.RefundStorage). The
// page is a UNION ALL of two arms, charges and refunds, each walking its
// (scope, id) index after the cursor and reading at most limit+1 rows; of
// their union the first limit+1 by ID are joined with their charge, refund
// and token documents. So a page costs O(limit) rows besides the count.
func Transactions(ctx context.Context, db DB, q domain.TransactionQuery) (domain.List[*domain.Transaction], error) {
	var out domain.List[*domain.Transaction]
	d := db.Dialect
	arms := []*transactionArm{
		{table: "charges", sel: "SELECT id, 'charge' AS type, id AS charge_id FROM charges", search: d.chargeSearch, other: api.TransactionRefund},
		{table: "refunds", sel: "SELECT id, 'refund' AS type, charge_id FROM refunds", search: d.refundSearch, other: api.TransactionCharge},
	}
	arms = slices.DeleteFunc(arms, func(a *transactionArm) bool { return q.Type == a.other })
	search := strings.TrimSpace(q.Search)
	for _, a := range arms {
		a.w = d.scoped(q.Scope, q.Filters)
		if search != "" {
			cond, args := a.search(search)
			a.w.Add(cond, args...)
		}
		if q.Status != "" {
			a.w.Add("status = ?", q.Status)
		}
		n, err := CountHits(ctx, db, a.table, a.w)
		if err != nil {
			return out, err
		}
		out.TotalHits = min(out.TotalHits+n, MaxTotalHits)
	}
	dir, op, limit := order(q.Page)
	if q.Cursor != "" {
		var found bool
		if err := db.Q.QueryRow(ctx, d.Bind(`SELECT EXISTS (SELECT 1 FROM charges WHERE id = ?) OR EXISTS (SELECT 1 FROM refunds WHERE id = ?)`),
			q.Cursor, q.Cursor).Scan(&found); err != nil {
			return out, err
		}
		if !found {
			return out, domain.ErrCursor
		}
		for _, a := range arms {
			a.w.Add("id "+op+" ?", q.Cursor)
		}
	}
	var parts []string
	var args []any
	for _, a := range arms {
		parts = append(parts, "SELECT * FROM ("+a.sel+a.w.SQL()+" ORDER BY id "+dir+" LIMIT ?) AS "+a.table+"_page")
		args = append(append(args, a.w.Args()...), limit+1)
	}
	query := "WITH page AS (" + strings.Join(parts, " UNION ALL ") + " ORDER BY id " + dir + ` LIMIT ?)
		SELECT p.type, c.data, r.data, t.data FROM page p
		JOIN charges c ON c.id = p.charge_id
		LEFT JOIN refunds r ON p.type = 'refund' AND r.id = p.id
		LEFT JOIN tokens t ON t.id = c.token_id
		ORDER BY p.id ` + dir
	rows, err := db.Q.Query(ctx, d.Bind(query), append(args, limit+1)...)
	if err != nil {
		return out, err
	}
	items, err := Collect(rows, scanTransaction)
	if err != nil {
		return out, err
	}
	out.Items, out.HasMore = trim(items, limit)
	return out, nil
}

// scanTransaction reads a row of the transaction page: its type and the
// documents of its charge, refund (NULL for a charge) and token (NULL when
// deleted).
func scanTransaction(r Row) (*domain.Transaction, error) {
	var typ string
	var cdata, rdata, tdata []byte
	if err := r.Scan(&typ, &cdata, &rdata, &tdata); err != nil {
		return nil, err
	}
	it := &domain.Transaction{Type: api.TransactionType(typ)}
	var err error
	if it.Charge, err = Decode[domain.Charge](cdata); err != nil {
		return nil, err
	}
	if it.Refund, err = Decode[domain.Refund](rdata); err != nil {
		return nil, err
	}
	if it.Token, err = Decode[domain.TxToken](tdata); err != nil {
		return nil, err
	}
	return it, nil
}
