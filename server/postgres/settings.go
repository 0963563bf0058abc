package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"kessai/server/domain"
)

// GetSetting implements domain.Storage.
func (d *DB) GetSetting(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := d.pool.QueryRow(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, domain.ErrNotFound
	}
	return v, err
}

// PutSetting implements domain.Storage.
func (d *DB) PutSetting(ctx context.Context, key string, value []byte) error {
	_, err := d.pool.Exec(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}
