package postgres

import (
	"context"
	"errors"
	"slices"

	"github.com/jackc/pgx/v5"

	"kessai/server/domain"
)

// CreateMerchant implements domain.Storage.
func (d *DB) CreateMerchant(ctx context.Context, m *domain.Merchant) error {
	data, err := encode(m)
	if err != nil {
		return err
	}
	_, err = d.pool.Exec(ctx, `INSERT INTO merchants (id, created_at, data) VALUES ($1, $2, $3)`, m.ID, m.CreatedAt, data)
	return err
}

// GetMerchant implements domain.Storage.
func (d *DB) GetMerchant(ctx context.Context, id string) (*domain.Merchant, error) {
	return getOne[domain.Merchant](ctx, d.pool, `SELECT data FROM merchants WHERE id = $1`, id)
}

// CreateStore implements domain.Storage.
func (d *DB) CreateStore(ctx context.Context, s *domain.Store) error {
	data, err := encode(s)
	if err != nil {
		return err
	}
	_, err = d.pool.Exec(ctx, `INSERT INTO stores (id, merchant_id, created_at, data) VALUES ($1, $2, $3, $4)`, s.ID, s.MerchantID, s.CreatedAt, data)
	return err
}

// GetStore implements domain.Storage.
func (d *DB) GetStore(ctx context.Context, id string) (*domain.Store, error) {
	return getOne[domain.Store](ctx, d.pool, `SELECT data FROM stores WHERE id = $1`, id)
}

// ListStores implements domain.Storage.
func (d *DB) ListStores(ctx context.Context) ([]*domain.Store, error) {
	return listDocs[domain.Store](ctx, d.pool, `SELECT data FROM stores ORDER BY created_at, id`)
}

// UpdateStore implements domain.Storage.
func (d *DB) UpdateStore(ctx context.Context, s *domain.Store) error {
	data, err := encode(s)
	if err != nil {
		return err
	}
	return expectOne(d.pool.Exec(ctx, `UPDATE stores SET data = $1 WHERE id = $2`, data, s.ID))
}

// keptTables are never emptied by ResetStore: the store itself, its
// merchant, app tokens and link forms, and server settings.
var keptTables = map[string]bool{"stores": true, "merchants": true, "app_tokens": true, "forms": true, "settings": true, "schema_migrations": true}

// ResetStore implements domain.Storage. As on SQLite it finds the tables to
// empty in the schema, so that tables added by later migrations are
// covered: every table with a store_id column, and the rows of other
// tables that refer (by a single-column foreign key) to the rows deleted
// there. The foreign keys are deferred to the commit.
func (d *DB) ResetStore(ctx context.Context, storeID string) (map[string]int, error) {
	deleted := map[string]int{}
	err := pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM stores WHERE id = $1`, storeID).Scan(&one); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return domain.ErrNotFound
			}
			return err
		}
		if _, err := tx.Exec(ctx, `SET CONSTRAINTS ALL DEFERRED`); err != nil {
			return err
		}
		owned, err := queryStrings(ctx, tx, `SELECT c.relname::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
			WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND a.attname = 'store_id' AND NOT a.attisdropped
			ORDER BY 1`)
		if err != nil {
			return err
		}
		owned = slices.DeleteFunc(owned, func(t string) bool { return keptTables[t] })
		isOwned := map[string]bool{}
		for _, t := range owned {
			isOwned[t] = true
		}
		// Single-column foreign keys from the other tables: child.col
		// refers to parent.pcol.
		rows, err := tx.Query(ctx, `SELECT c.relname::text, a.attname::text, p.relname::text, pa.attname::text
			FROM pg_constraint k
			JOIN pg_class c ON c.oid = k.conrelid JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
			JOIN pg_class p ON p.oid = k.confrelid JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1]
			WHERE k.contype = 'f' AND cardinality(k.conkey) = 1 AND c.relnamespace = current_schema()::regnamespace
			ORDER BY 1, 2`)
		if err != nil {
			return err
		}
		type ref struct{ child, col, parent, pcol string }
		refs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ref, error) {
			var f ref
			err := r.Scan(&f.child, &f.col, &f.parent, &f.pcol)
			return f, err
		})
		if err != nil {
			return err
		}
		for _, r := range refs {
			if isOwned[r.child] || keptTables[r.child] || !isOwned[r.parent] {
				continue
			}
			tag, err := tx.Exec(ctx, `DELETE FROM `+quoteIdent(r.child)+` WHERE `+quoteIdent(r.col)+
				` IN (SELECT `+quoteIdent(r.pcol)+` FROM `+quoteIdent(r.parent)+` WHERE store_id = $1)`, storeID)
			if err != nil {
				return err
			}
			deleted[r.child] += int(tag.RowsAffected())
		}
		for _, t := range owned {
			tag, err := tx.Exec(ctx, `DELETE FROM `+quoteIdent(t)+` WHERE store_id = $1`, storeID)
			if err != nil {
				return err
			}
			deleted[t] += int(tag.RowsAffected())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return deleted, nil
}

func queryStrings(ctx context.Context, db querier, query string, args ...any) ([]string, error) {
	rows, err := db.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return pgx.Identifier{s}.Sanitize() }
