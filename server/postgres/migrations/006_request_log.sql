-- The request log of each store (docs/dashboard.md, "The request log"):
-- one row per API request, bounded per store. resource_ids holds the IDs
-- the request touched, space-separated with a space at each end.
CREATE TABLE request_log (
	id text COLLATE "C" PRIMARY KEY,
	store_id text COLLATE "C" NOT NULL REFERENCES stores (id) DEFERRABLE,
	resource_ids text NOT NULL,
	created_at timestamptz NOT NULL,
	data jsonb NOT NULL
);
CREATE INDEX request_log_store_id ON request_log (store_id, id);
