-- Cancels of authorized or awaiting charges.
CREATE TABLE cancels (
	id TEXT PRIMARY KEY,
	store_id TEXT NOT NULL REFERENCES stores(id),
	merchant_id TEXT NOT NULL,
	mode TEXT NOT NULL,
	charge_id TEXT NOT NULL REFERENCES charges(id),
	status TEXT NOT NULL,
	due_at INTEGER,
	created_at INTEGER NOT NULL,
	data TEXT NOT NULL
);
CREATE INDEX cancels_charge ON cancels(charge_id, id);
CREATE INDEX cancels_store_id ON cancels(store_id, id);
CREATE INDEX cancels_merchant_id ON cancels(merchant_id, id);
CREATE INDEX cancels_due ON cancels(store_id, due_at) WHERE due_at IS NOT NULL;
