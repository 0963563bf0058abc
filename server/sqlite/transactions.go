package sqlite

import (
	"context"

	"kessai/server/domain"
	"kessai/server/sqlstore"
)

// ListTransactions implements domain.Storage (sqlstore.Transactions).
func (d *DB) ListTransactions(ctx context.Context, q domain.TransactionQuery) (domain.List[*domain.Transaction], error) {
	return sqlstore.Transactions(ctx, shared(d.db), q)
}
