-- Refunds of charges. amount and status are columns so that the sum of a
-- charge's live refunds is checked in the same transaction as the insert.
CREATE TABLE refunds (
	id TEXT PRIMARY KEY,
	store_id TEXT NOT NULL REFERENCES stores(id),
	merchant_id TEXT NOT NULL,
	mode TEXT NOT NULL,
	charge_id TEXT NOT NULL REFERENCES charges(id),
	status TEXT NOT NULL,
	amount INTEGER NOT NULL,
	due_at INTEGER,
	created_at INTEGER NOT NULL,
	data TEXT NOT NULL
);
CREATE INDEX refunds_charge ON refunds(charge_id, id);
CREATE INDEX refunds_store_id ON refunds(store_id, id);
CREATE INDEX refunds_merchant_id ON refunds(merchant_id, id);
CREATE INDEX refunds_due ON refunds(store_id, due_at) WHERE due_at IS NOT NULL;
