package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"kessai/server/domain"
)

// CreateMerchant implements domain.Storage.
func (d *DB) CreateMerchant(ctx context.Context, m *domain.Merchant) error {
	data, err := encode(m)
	if err != nil {
		return err
	}
	_, err = d.db.ExecContext(ctx, `INSERT INTO merchants (id, created_at, data) VALUES (?, ?, ?)`, m.ID, us(m.CreatedAt), data)
	return err
}

// GetMerchant implements domain.Storage.
func (d *DB) GetMerchant(ctx context.Context, id string) (*domain.Merchant, error) {
	return getOne[domain.Merchant](ctx, d.db, `SELECT data FROM merchants WHERE id = ?`, id)
}

// CreateStore implements domain.Storage.
func (d *DB) CreateStore(ctx context.Context, s *domain.Store) error {
	data, err := encode(s)
	if err != nil {
		return err
	}
	_, err = d.db.ExecContext(ctx, `INSERT INTO stores (id, merchant_id, created_at, data) VALUES (?, ?, ?, ?)`, s.ID, s.MerchantID, us(s.CreatedAt), data)
	return err
}

// GetStore implements domain.Storage.
func (d *DB) GetStore(ctx context.Context, id string) (*domain.Store, error) {
	return getOne[domain.Store](ctx, d.db, `SELECT data FROM stores WHERE id = ?`, id)
}

// ListStores implements domain.Storage.
func (d *DB) ListStores(ctx context.Context) ([]*domain.Store, error) {
	return listDocs[domain.Store](ctx, d.db, `SELECT data FROM stores ORDER BY created_at, id`)
}

// UpdateStore implements domain.Storage.
func (d *DB) UpdateStore(ctx context.Context, s *domain.Store) error {
	data, err := encode(s)
	if err != nil {
		return err
	}
	return expectOne(d.db.ExecContext(ctx, `UPDATE stores SET data = ? WHERE id = ?`, data, s.ID))
}

// keptTables are never emptied by ResetStore: the store itself, its
// merchant and app tokens, and server settings.
var keptTables = map[string]bool{"stores": true, "merchants": true, "app_tokens": true, "settings": true, "schema_migrations": true}

// ResetStore implements domain.Storage. It finds the tables to empty in
// the schema, so that tables added by later migrations are covered: every
// table with a store_id column, and the rows of other tables that refer
// (by foreign key) to the rows deleted there.
func (d *DB) ResetStore(ctx context.Context, storeID string) (map[string]int, error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var one int
	if err := tx.QueryRowContext(ctx, `SELECT 1 FROM stores WHERE id = ?`, storeID).Scan(&one); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, domain.ErrNotFound
		}
		return nil, err
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
	count := func(table string, res sql.Result) error {
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
			if err != nil {
				return nil, err
			}
			if err := count(t, res); err != nil {
				return nil, err
			}
		}
	}
	for _, t := range tables {
		if !owned[t] {
			continue
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM `+quoteIdent(t)+` WHERE store_id = ?`, storeID)
		if err != nil {
			return nil, err
		}
		if err := count(t, res); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return deleted, nil
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
