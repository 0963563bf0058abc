package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"kessai/api"
	"kessai/server/domain"
)

// BenchmarkListChargesCursor is the cost of one page (10 charges, after a
// cursor in the middle) of a store's charges, with 10³ and 10⁶ charges
// stored: the budget is the same cost (docs/performance.md, "Lists").
func BenchmarkListChargesCursor(b *testing.B) {
	for _, n := range []int{1_000, 1_000_000} {
		b.Run(fmt.Sprintf("charges=%d", n), func(b *testing.B) {
			db, err := Open(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			ids := seedCharges(b, db, n)
			cursor := ids[n/2]
			q := domain.ChargeQuery{Scope: domain.Scope{StoreID: "s1"}, Page: domain.Page{Limit: 10, Cursor: cursor}}
			for b.Loop() {
				l, err := db.ListCharges(context.Background(), q)
				if err != nil || len(l.Items) != 10 || !l.HasMore {
					b.Fatalf("page: %d items, more %v, %v", len(l.Items), l.HasMore, err)
				}
			}
		})
	}
}

// seedCharges stores n charges of store s1 in transactions of 10,000 rows
// (the rows the storage writes, documents encoded once and given their
// IDs), and returns their IDs in order.
func seedCharges(b *testing.B, db *DB, n int) []string {
	b.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	if err := db.CreateMerchant(ctx, &domain.Merchant{ID: "m1", Name: "M", CreatedAt: now}); err != nil {
		b.Fatal(err)
	}
	if err := db.CreateStore(ctx, &domain.Store{ID: "s1", MerchantID: "m1", Name: "S", CreatedAt: now}); err != nil {
		b.Fatal(err)
	}
	tok := &domain.TxToken{ID: uuid.Must(uuid.NewV7()).String(), StoreID: "s1", MerchantID: "m1", Type: api.TokenTypeRecurring, Active: true, CreatedAt: now}
	if err := db.CreateToken(ctx, tok); err != nil {
		b.Fatal(err)
	}
	const placeholder = "00000000-0000-0000-0000-000000000000"
	c := &domain.Charge{ID: placeholder, StoreID: "s1", MerchantID: "m1", Mode: api.ModeTest, TokenID: tok.ID, TokenType: tok.Type,
		PaymentType: api.PaymentTypeCard, Amount: 1000, Currency: "JPY", Status: api.ChargeSuccessful, Metadata: api.Metadata{},
		CreatedAt: now, UpdatedAt: now}
	doc, err := encode(c)
	if err != nil {
		b.Fatal(err)
	}
	r := chargeTable.row(c)
	cols := append(append([]col{}, r.fixed...), r.mutable...)
	query := "INSERT INTO charges (id, data"
	marks := "?, ?"
	for _, c := range cols {
		query += ", " + c.name
		marks += ", ?"
	}
	query += ") VALUES (" + marks + ")"
	ids := make([]string, n)
	for start := 0; start < n; start += 10_000 {
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			st, err := tx.PrepareContext(ctx, query)
			if err != nil {
				return err
			}
			defer st.Close()
			for i := start; i < min(start+10_000, n); i++ {
				ids[i] = uuid.Must(uuid.NewV7()).String()
				args := []any{ids[i], strings.Replace(doc, placeholder, ids[i], 1)}
				for _, c := range cols {
					args = append(args, c.value)
				}
				if _, err := st.ExecContext(ctx, args...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return ids
}
