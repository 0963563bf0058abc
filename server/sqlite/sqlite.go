// Package sqlite implements domain.Store on SQLite through the pure-Go
// modernc.org/sqlite driver. Each record is a JSON document plus the columns
// needed to find it; the schema is migrated in code on Open.
package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"kessai/server/domain"

	_ "modernc.org/sqlite" // registers driver "sqlite"
)

// FileName is the database file created inside the data directory.
const FileName = "kessai.db"

// DB is a domain.Store backed by one SQLite database file.
type DB struct {
	db *sql.DB
}

var _ domain.Store = (*DB)(nil)

// Open opens (creating if needed) dir/kessai.db in WAL mode and migrates it.
func Open(dir string) (*DB, error) {
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: create data dir: %w", err)
	}
	path := filepath.Join(dir, FileName)
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	// One connection: SQLite allows one writer anyway, and this rules out
	// SQLITE_BUSY between our own connections.
	db.SetMaxOpenConns(1)
	d := &DB{db: db}
	if err := d.migrate(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	return d, nil
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

var migrations = []string{
	`CREATE TABLE settings (key TEXT PRIMARY KEY, value BLOB NOT NULL);
	 CREATE TABLE merchants (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, data TEXT NOT NULL);
	 CREATE TABLE stores (id TEXT PRIMARY KEY, merchant_id TEXT NOT NULL REFERENCES merchants(id), created_at INTEGER NOT NULL, data TEXT NOT NULL);
	 CREATE TABLE app_tokens (id TEXT PRIMARY KEY, store_id TEXT NOT NULL REFERENCES stores(id), created_at INTEGER NOT NULL, data TEXT NOT NULL);
	 CREATE INDEX app_tokens_store ON app_tokens(store_id, created_at);
	 CREATE TABLE tokens (id TEXT PRIMARY KEY, store_id TEXT NOT NULL REFERENCES stores(id), active INTEGER NOT NULL, created_at INTEGER NOT NULL, data TEXT NOT NULL);
	 CREATE INDEX tokens_store ON tokens(store_id, created_at);
	 CREATE TABLE charges (id TEXT PRIMARY KEY, store_id TEXT NOT NULL REFERENCES stores(id), token_id TEXT NOT NULL, status TEXT NOT NULL, process_at INTEGER, created_at INTEGER NOT NULL, data TEXT NOT NULL);
	 CREATE INDEX charges_store ON charges(store_id, created_at);
	 CREATE INDEX charges_due ON charges(status, process_at);
	 CREATE TABLE idempotency (scope TEXT NOT NULL, key TEXT NOT NULL, created_at INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (scope, key));`,
}

func (d *DB) migrate(ctx context.Context) error {
	if _, err := d.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	var cur int
	if err := d.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&cur); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	for v := cur + 1; v <= len(migrations); v++ {
		tx, err := d.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("sqlite: migrate: %w", err)
		}
		if _, err := tx.ExecContext(ctx, migrations[v-1]); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: migration %d: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES (?)`, v); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: migration %d: %w", v, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("sqlite: migration %d: %w", v, err)
		}
	}
	return nil
}

func ms(t time.Time) int64 { return t.UnixMicro() }

func encode(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func (d *DB) getDoc(ctx context.Context, query string, arg any, dst any) error {
	var data string
	err := d.db.QueryRowContext(ctx, query, arg).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.ErrNotFound
	}
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(data), dst)
}

func listDocs[T any](ctx context.Context, db *sql.DB, query string, args ...any) ([]*T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		v := new(T)
		if err := json.Unmarshal([]byte(data), v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// GetSetting implements domain.Store.
func (d *DB) GetSetting(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := d.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound
	}
	return v, err
}

// PutSetting implements domain.Store.
func (d *DB) PutSetting(ctx context.Context, key string, value []byte) error {
	_, err := d.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// CreateMerchant implements domain.Store.
func (d *DB) CreateMerchant(ctx context.Context, m *domain.Merchant) error {
	data, err := encode(m)
	if err != nil {
		return err
	}
	_, err = d.db.ExecContext(ctx, `INSERT INTO merchants (id, created_at, data) VALUES (?, ?, ?)`, m.ID, ms(m.CreatedAt), data)
	return err
}

// GetMerchant implements domain.Store.
func (d *DB) GetMerchant(ctx context.Context, id string) (*domain.Merchant, error) {
	return getOne[domain.Merchant](ctx, d, `SELECT data FROM merchants WHERE id = ?`, id)
}

// CreateShop implements domain.Store.
func (d *DB) CreateShop(ctx context.Context, s *domain.Shop) error {
	data, err := encode(s)
	if err != nil {
		return err
	}
	_, err = d.db.ExecContext(ctx, `INSERT INTO stores (id, merchant_id, created_at, data) VALUES (?, ?, ?, ?)`, s.ID, s.MerchantID, ms(s.CreatedAt), data)
	return err
}

// GetShop implements domain.Store.
func (d *DB) GetShop(ctx context.Context, id string) (*domain.Shop, error) {
	return getOne[domain.Shop](ctx, d, `SELECT data FROM stores WHERE id = ?`, id)
}

// ListShops implements domain.Store.
func (d *DB) ListShops(ctx context.Context) ([]*domain.Shop, error) {
	return listDocs[domain.Shop](ctx, d.db, `SELECT data FROM stores ORDER BY created_at, id`)
}

// CreateAppToken implements domain.Store.
func (d *DB) CreateAppToken(ctx context.Context, t *domain.AppToken) error {
	data, err := encode(t)
	if err != nil {
		return err
	}
	_, err = d.db.ExecContext(ctx, `INSERT INTO app_tokens (id, store_id, created_at, data) VALUES (?, ?, ?, ?)`, t.ID, t.StoreID, ms(t.CreatedAt), data)
	return err
}

// GetAppToken implements domain.Store.
func (d *DB) GetAppToken(ctx context.Context, id string) (*domain.AppToken, error) {
	return getOne[domain.AppToken](ctx, d, `SELECT data FROM app_tokens WHERE id = ?`, id)
}

// UpdateAppToken implements domain.Store.
func (d *DB) UpdateAppToken(ctx context.Context, t *domain.AppToken) error {
	data, err := encode(t)
	if err != nil {
		return err
	}
	return expectOne(d.db.ExecContext(ctx, `UPDATE app_tokens SET data = ? WHERE id = ?`, data, t.ID))
}

// ListAppTokens implements domain.Store.
func (d *DB) ListAppTokens(ctx context.Context, storeID string) ([]*domain.AppToken, error) {
	return listDocs[domain.AppToken](ctx, d.db, `SELECT data FROM app_tokens WHERE store_id = ? ORDER BY created_at, id`, storeID)
}

// CreateToken implements domain.Store.
func (d *DB) CreateToken(ctx context.Context, t *domain.TxToken) error {
	data, err := encode(t)
	if err != nil {
		return err
	}
	_, err = d.db.ExecContext(ctx, `INSERT INTO tokens (id, store_id, active, created_at, data) VALUES (?, ?, ?, ?, ?)`, t.ID, t.StoreID, t.Active, ms(t.CreatedAt), data)
	return err
}

// GetToken implements domain.Store.
func (d *DB) GetToken(ctx context.Context, id string) (*domain.TxToken, error) {
	return getOne[domain.TxToken](ctx, d, `SELECT data FROM tokens WHERE id = ?`, id)
}

// UpdateToken implements domain.Store.
func (d *DB) UpdateToken(ctx context.Context, t *domain.TxToken) error {
	data, err := encode(t)
	if err != nil {
		return err
	}
	return expectOne(d.db.ExecContext(ctx, `UPDATE tokens SET active = ?, data = ? WHERE id = ?`, t.Active, data, t.ID))
}

// CreateCharge implements domain.Store.
func (d *DB) CreateCharge(ctx context.Context, c *domain.Charge, tokenID string, consume bool) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var tokData string
	var active bool
	err = tx.QueryRowContext(ctx, `SELECT active, data FROM tokens WHERE id = ?`, tokenID).Scan(&active, &tokData)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.ErrNotFound
	}
	if err != nil {
		return err
	}
	if consume && !active {
		return domain.ErrTokenInactive
	}
	var tok domain.TxToken
	if err := json.Unmarshal([]byte(tokData), &tok); err != nil {
		return err
	}
	used := c.CreatedAt
	tok.LastUsedAt = &used
	tok.UpdatedAt = used
	if consume {
		tok.Active = false
	}
	data, err := encode(&tok)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tokens SET active = ?, data = ? WHERE id = ?`, tok.Active, data, tok.ID); err != nil {
		return err
	}
	cdata, err := encode(c)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO charges (id, store_id, token_id, status, process_at, created_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.StoreID, tokenID, string(c.Status), processAt(c), ms(c.CreatedAt), cdata); err != nil {
		return err
	}
	return tx.Commit()
}

func processAt(c *domain.Charge) any {
	if c.ProcessAt == nil {
		return nil
	}
	return ms(*c.ProcessAt)
}

// GetCharge implements domain.Store.
func (d *DB) GetCharge(ctx context.Context, id string) (*domain.Charge, error) {
	return getOne[domain.Charge](ctx, d, `SELECT data FROM charges WHERE id = ?`, id)
}

// UpdateCharge implements domain.Store.
func (d *DB) UpdateCharge(ctx context.Context, c *domain.Charge) error {
	data, err := encode(c)
	if err != nil {
		return err
	}
	return expectOne(d.db.ExecContext(ctx, `UPDATE charges SET status = ?, process_at = ?, data = ? WHERE id = ?`, string(c.Status), processAt(c), data, c.ID))
}

// ListDueCharges implements domain.Store.
func (d *DB) ListDueCharges(ctx context.Context, t time.Time) ([]*domain.Charge, error) {
	return listDocs[domain.Charge](ctx, d.db, `SELECT data FROM charges WHERE status = 'pending' AND process_at IS NOT NULL AND process_at <= ? ORDER BY process_at`, ms(t))
}

// GetIdempotentResponse implements domain.Store.
func (d *DB) GetIdempotentResponse(ctx context.Context, scope, key string) (*domain.IdempotentResponse, error) {
	var data string
	err := d.db.QueryRowContext(ctx, `SELECT data FROM idempotency WHERE scope = ? AND key = ?`, scope, key).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	r := new(domain.IdempotentResponse)
	if err := json.Unmarshal([]byte(data), r); err != nil {
		return nil, err
	}
	return r, nil
}

// PutIdempotentResponse implements domain.Store.
func (d *DB) PutIdempotentResponse(ctx context.Context, r *domain.IdempotentResponse) error {
	data, err := encode(r)
	if err != nil {
		return err
	}
	_, err = d.db.ExecContext(ctx, `INSERT INTO idempotency (scope, key, created_at, data) VALUES (?, ?, ?, ?)
		ON CONFLICT(scope, key) DO UPDATE SET created_at = excluded.created_at, data = excluded.data`, r.Scope, r.Key, ms(r.CreatedAt), data)
	return err
}

func getOne[T any](ctx context.Context, d *DB, query, id string) (*T, error) {
	v := new(T)
	if err := d.getDoc(ctx, query, id, v); err != nil {
		return nil, err
	}
	return v, nil
}

func expectOne(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return domain.ErrNotFound
	}
	return nil
}
