-- Leases and due work shared by the processes of one database
-- (docs/postgres.md, "Several processes"). Times in microseconds.
CREATE TABLE leases (
	key TEXT PRIMARY KEY,
	holder TEXT NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE TABLE due_work (
	kind TEXT NOT NULL,
	id TEXT NOT NULL,
	store_id TEXT NOT NULL,
	due_at INTEGER NOT NULL,
	PRIMARY KEY (kind, id)
);
CREATE INDEX due_work_due ON due_work(kind, store_id, due_at);
