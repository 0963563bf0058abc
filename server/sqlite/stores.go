package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"

	"kessai/server/domain"
)

var (
	merchantTable = table[domain.Merchant]{"merchants", func(m *domain.Merchant) row {
		return row{id: m.ID, fixed: []col{{"created_at", us(m.CreatedAt)}}}
	}}
	storeTable = table[domain.Store]{"stores", func(s *domain.Store) row {
		return row{id: s.ID, fixed: []col{{"merchant_id", s.MerchantID}, {"created_at", us(s.CreatedAt)}}}
	}}
)

// CreateMerchant implements domain.Storage.
func (d *DB) CreateMerchant(ctx context.Context, m *domain.Merchant) error {
	return merchantTable.insert(ctx, d.db, m)
}

// GetMerchant implements domain.Storage.
func (d *DB) GetMerchant(ctx context.Context, id string) (*domain.Merchant, error) {
	return merchantTable.get(ctx, d.db, id)
}

// CreateStore implements domain.Storage.
func (d *DB) CreateStore(ctx context.Context, s *domain.Store) error {
	return storeTable.insert(ctx, d.db, s)
}

// GetStore implements domain.Storage.
func (d *DB) GetStore(ctx context.Context, id string) (*domain.Store, error) {
	return storeTable.get(ctx, d.db, id)
}

// ListStores implements domain.Storage.
func (d *DB) ListStores(ctx context.Context) ([]*domain.Store, error) {
	return listDocs[domain.Store](ctx, d.db, `SELECT data FROM stores ORDER BY created_at, id`)
}

// UpdateStore implements domain.Storage.
func (d *DB) UpdateStore(ctx context.Context, s *domain.Store) error {
	return storeTable.update(ctx, d.db, s)
}

// keptTables are never emptied by ResetStore: the store itself, its
// merchant, app tokens and link forms, and server settings.
var keptTables = map[string]bool{"stores": true, "merchants": true, "app_tokens": true, "forms": true, "settings": true, "schema_migrations": true}

// ResetStore implements domain.Storage. It finds the tables to empty in
// the schema, so that tables added by later migrations are covered: every
// table with a store_id column, and the rows of other tables that refer
// (by foreign key) to the rows deleted there.
func (d *DB) ResetStore(ctx context.Context, storeID string) (map[string]int, error) {
	var deleted map[string]int
	err := d.inTx(ctx, func(tx *sql.Tx) (err error) {
		deleted, err = resetStore(ctx, tx, storeID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return deleted, nil
}

// resetStore is ResetStore inside tx.
func resetStore(ctx context.Context, tx *sql.Tx, storeID string) (map[string]int, error) {
	if found, err := exists(ctx, tx, "stores", storeID); err != nil || !found {
		return nil, cmp.Or(err, domain.ErrNotFound)
	}
	// The rows are deleted table by table; foreign keys are checked once,
	// at commit.
	if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		return nil, err
	}
	tables, err := queryStrings(ctx, tx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	owned := map[string]bool{}
	for _, t := range tables {
		cols, err := queryStrings(ctx, tx, `SELECT name FROM pragma_table_info(?)`, t)
		if err != nil {
			return nil, err
		}
		if !keptTables[t] && slices.Contains(cols, "store_id") {
			owned[t] = true
		}
	}
	deleted := map[string]int{}
	count := func(table string, res sql.Result, err error) error {
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		deleted[table] += int(n)
		return err
	}
	for _, t := range tables {
		if owned[t] || keptTables[t] {
			continue
		}
		rows, err := tx.QueryContext(ctx, `SELECT "table", "from", "to" FROM pragma_foreign_key_list(?)`, t)
		if err != nil {
			return nil, err
		}
		type ref struct{ parent, from, to string }
		var refs []ref
		for rows.Next() {
			var r ref
			var to sql.NullString
			if err := rows.Scan(&r.parent, &r.from, &to); err != nil {
				rows.Close()
				return nil, err
			}
			r.to = to.String
			if r.to == "" {
				r.to = "id"
			}
			refs = append(refs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, r := range refs {
			if !owned[r.parent] {
				continue
			}
			res, err := tx.ExecContext(ctx, `DELETE FROM `+quoteIdent(t)+` WHERE `+quoteIdent(r.from)+
				` IN (SELECT `+quoteIdent(r.to)+` FROM `+quoteIdent(r.parent)+` WHERE store_id = ?)`, storeID)
			if err := count(t, res, err); err != nil {
				return nil, err
			}
		}
	}
	for _, t := range tables {
		if !owned[t] {
			continue
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM `+quoteIdent(t)+` WHERE store_id = ?`, storeID)
		if err := count(t, res, err); err != nil {
			return nil, err
		}
	}
	return deleted, nil
}

// exists reports whether table has a row with this ID.
func exists(ctx context.Context, db querier, table, id string) (bool, error) {
	var found bool
	err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+table+" WHERE id = ?)", id).Scan(&found)
	return found, err
}

func queryStrings(ctx context.Context, db querier, query string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
