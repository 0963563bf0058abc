-- Subscriptions: listed by store or merchant (paginated by ID), filtered by
-- status, and found by the schedule engine through due_at (when it must
-- next charge or stop the subscription).
CREATE TABLE subscriptions (
	id TEXT PRIMARY KEY,
	store_id TEXT NOT NULL REFERENCES stores(id),
	merchant_id TEXT NOT NULL,
	mode TEXT NOT NULL,
	token_id TEXT NOT NULL,
	status TEXT NOT NULL,
	due_at INTEGER,
	created_at INTEGER NOT NULL,
	data TEXT NOT NULL
);
CREATE INDEX subscriptions_store_id ON subscriptions(store_id, id);
CREATE INDEX subscriptions_merchant_id ON subscriptions(merchant_id, id);
CREATE INDEX subscriptions_due ON subscriptions(store_id, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX subscriptions_token ON subscriptions(token_id);
-- NON_UNIQUE_ACTIVE_TOKEN: active subscription tokens of a card.
CREATE INDEX tokens_card ON tokens(store_id, json_extract(data, '$.card.fingerprint'), created_at) WHERE active = 1;
