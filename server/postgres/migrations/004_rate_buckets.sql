-- Rate-limit buckets shared by the processes of one database
-- (docs/limits.md, "Rate limits"). at is the sandbox time of level in
-- microseconds; expires_at, on the database's clock, is when the idle
-- bucket is full again and may be deleted.
-- drawn tells whether the last draw took its requests.
CREATE TABLE rate_buckets (
	key text COLLATE "C" PRIMARY KEY,
	level double precision NOT NULL,
	drawn boolean NOT NULL,
	at bigint NOT NULL,
	expires_at timestamptz NOT NULL
);
CREATE INDEX rate_buckets_expires ON rate_buckets (expires_at);
