-- Lists by store or merchant, paginated by ID (time-ordered UUIDs), and a
-- due time per charge for the sandbox engine.
ALTER TABLE tokens ADD COLUMN merchant_id TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN mode TEXT NOT NULL DEFAULT 'test';
UPDATE tokens SET merchant_id = COALESCE(json_extract(data, '$.merchant_id'), ''), mode = COALESCE(json_extract(data, '$.mode'), 'test');
CREATE INDEX tokens_store_id ON tokens(store_id, id);
CREATE INDEX tokens_merchant_id ON tokens(merchant_id, id);

DROP INDEX charges_due;
ALTER TABLE charges RENAME COLUMN process_at TO due_at;
ALTER TABLE charges ADD COLUMN merchant_id TEXT NOT NULL DEFAULT '';
ALTER TABLE charges ADD COLUMN mode TEXT NOT NULL DEFAULT 'test';
ALTER TABLE charges ADD COLUMN subscription_id TEXT;
ALTER TABLE charges ADD COLUMN card_fingerprint TEXT;
UPDATE charges SET merchant_id = COALESCE(json_extract(data, '$.merchant_id'), ''), mode = COALESCE(json_extract(data, '$.mode'), 'test');
CREATE INDEX charges_store_id ON charges(store_id, id);
CREATE INDEX charges_merchant_id ON charges(merchant_id, id);
CREATE INDEX charges_due ON charges(store_id, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX charges_subscription ON charges(subscription_id, id) WHERE subscription_id IS NOT NULL;
CREATE INDEX charges_token ON charges(token_id, id);
CREATE INDEX charges_card ON charges(card_fingerprint, created_at) WHERE card_fingerprint IS NOT NULL;
