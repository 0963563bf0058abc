-- Rate-limit buckets (docs/limits.md, "Rate limits"). at is the sandbox
-- time of level, expires_at the real time when the idle bucket is full
-- again and may be deleted; both in microseconds.
-- drawn tells whether the last draw took its requests.
CREATE TABLE rate_buckets (
	key TEXT PRIMARY KEY,
	level REAL NOT NULL,
	drawn INTEGER NOT NULL,
	at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX rate_buckets_expires ON rate_buckets(expires_at);
