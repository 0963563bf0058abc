-- Leases and due work shared by the processes of one database
-- (docs/postgres.md, "Several processes").
CREATE TABLE leases (
	key text COLLATE "C" PRIMARY KEY,
	holder text NOT NULL,
	expires_at timestamptz NOT NULL
);
CREATE TABLE due_work (
	kind text COLLATE "C" NOT NULL,
	id text COLLATE "C" NOT NULL,
	store_id text COLLATE "C" NOT NULL,
	due_at timestamptz NOT NULL,
	PRIMARY KEY (kind, id)
);
CREATE INDEX due_work_due ON due_work (kind, store_id, due_at);
