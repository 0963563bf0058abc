-- The first schema: each record is a JSON document (data) plus the columns
-- needed to find it.
CREATE TABLE settings (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE merchants (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE stores (id TEXT PRIMARY KEY, merchant_id TEXT NOT NULL REFERENCES merchants(id), created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE app_tokens (id TEXT PRIMARY KEY, store_id TEXT NOT NULL REFERENCES stores(id), created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX app_tokens_store ON app_tokens(store_id, created_at);
CREATE TABLE tokens (id TEXT PRIMARY KEY, store_id TEXT NOT NULL REFERENCES stores(id), active INTEGER NOT NULL, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX tokens_store ON tokens(store_id, created_at);
CREATE TABLE charges (id TEXT PRIMARY KEY, store_id TEXT NOT NULL REFERENCES stores(id), token_id TEXT NOT NULL, status TEXT NOT NULL, process_at INTEGER, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX charges_store ON charges(store_id, created_at);
CREATE INDEX charges_due ON charges(status, process_at);
CREATE TABLE idempotency (scope TEXT NOT NULL, key TEXT NOT NULL, created_at INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (scope, key));
