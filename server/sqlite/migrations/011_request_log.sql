-- The request log of each store (docs/dashboard.md, "The request log"):
-- one row per API request, bounded per store. resource_ids holds the IDs
-- the request touched, space-separated with a space at each end.
CREATE TABLE request_log (id TEXT PRIMARY KEY, store_id TEXT NOT NULL REFERENCES stores(id),
  resource_ids TEXT NOT NULL, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX request_log_store_id ON request_log(store_id, id);
