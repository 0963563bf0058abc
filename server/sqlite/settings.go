package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"kessai/server/domain"
)

// GetSetting implements domain.Storage.
func (d *DB) GetSetting(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := d.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound
	}
	return v, err
}

// PutSetting implements domain.Storage.
func (d *DB) PutSetting(ctx context.Context, key string, value []byte) error {
	_, err := d.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}
