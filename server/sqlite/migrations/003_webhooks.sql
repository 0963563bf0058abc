-- Webhooks (store_id NULL = merchant-wide) and their delivery log. A URL is
-- registered once per scope: per store, or once among a merchant's
-- merchant-wide webhooks.
CREATE TABLE webhooks (id TEXT PRIMARY KEY, merchant_id TEXT NOT NULL REFERENCES merchants(id), store_id TEXT REFERENCES stores(id),
  url TEXT NOT NULL, active INTEGER NOT NULL, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE UNIQUE INDEX webhooks_url ON webhooks(merchant_id, COALESCE(store_id, ''), url);
CREATE INDEX webhooks_store_id ON webhooks(store_id, id);
CREATE INDEX webhooks_merchant_id ON webhooks(merchant_id, id);

-- One row per event sent to one webhook; the attempts are in data. Rows
-- outlive their webhook (the log keeps them).
CREATE TABLE webhook_deliveries (id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL, store_id TEXT NOT NULL REFERENCES stores(id),
  merchant_id TEXT NOT NULL, event TEXT NOT NULL, status TEXT NOT NULL, due_at INTEGER, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX webhook_deliveries_store_id ON webhook_deliveries(store_id, id);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries(webhook_id, id);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(store_id, due_at) WHERE status = 'pending';
