-- The PostgreSQL schema (docs/postgres.md, "Schema"): the tables of
-- server/sqlite's migrations 001 to 006 in one file. Each record is a jsonb
-- document (data) plus the columns needed to find it.
--
-- IDs are text in the "C" collation: lists page by ID (time-ordered UUIDs)
-- in byte order, whatever the database's collation, and the (scope, id)
-- indexes serve both the order and the cursor.
--
-- Foreign keys are DEFERRABLE: ResetStore deletes table by table and has
-- them checked at commit.

CREATE TABLE settings (
	key text PRIMARY KEY,
	value bytea NOT NULL
);

CREATE TABLE merchants (
	id text COLLATE "C" PRIMARY KEY,
	created_at timestamptz NOT NULL,
	data jsonb NOT NULL
);

CREATE TABLE stores (
	id text COLLATE "C" PRIMARY KEY,
	merchant_id text COLLATE "C" NOT NULL REFERENCES merchants (id) DEFERRABLE,
	created_at timestamptz NOT NULL,
	data jsonb NOT NULL
);
CREATE INDEX stores_created ON stores (created_at, id);

CREATE TABLE app_tokens (
	id text COLLATE "C" PRIMARY KEY,
	store_id text COLLATE "C" NOT NULL REFERENCES stores (id) DEFERRABLE,
	created_at timestamptz NOT NULL,
	data jsonb NOT NULL
);
CREATE INDEX app_tokens_store ON app_tokens (store_id, created_at, id);

CREATE TABLE tokens (
	id text COLLATE "C" PRIMARY KEY,
	store_id text COLLATE "C" NOT NULL REFERENCES stores (id) DEFERRABLE,
	merchant_id text COLLATE "C" NOT NULL,
	mode text NOT NULL,
	active boolean NOT NULL,
	created_at timestamptz NOT NULL,
	data jsonb NOT NULL
);
CREATE INDEX tokens_store_id ON tokens (store_id, id);
CREATE INDEX tokens_merchant_id ON tokens (merchant_id, id);
-- NON_UNIQUE_ACTIVE_TOKEN: active subscription tokens of a card.
CREATE INDEX tokens_card ON tokens (store_id, (data->'card'->>'fingerprint'), created_at) WHERE active;

-- Charges: due_at is when the sandbox engine must next act on one.
CREATE TABLE charges (
	id text COLLATE "C" PRIMARY KEY,
	store_id text COLLATE "C" NOT NULL REFERENCES stores (id) DEFERRABLE,
	merchant_id text COLLATE "C" NOT NULL,
	mode text NOT NULL,
	token_id text COLLATE "C" NOT NULL,
	subscription_id text COLLATE "C",
	card_fingerprint text,
	status text NOT NULL,
	due_at timestamptz,
	created_at timestamptz NOT NULL,
	data jsonb NOT NULL
);
CREATE INDEX charges_store_id ON charges (store_id, id);
CREATE INDEX charges_merchant_id ON charges (merchant_id, id);
CREATE INDEX charges_due ON charges (store_id, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX charges_subscription ON charges (subscription_id, id) WHERE subscription_id IS NOT NULL;
CREATE INDEX charges_token ON charges (token_id, id);
CREATE INDEX charges_card ON charges (card_fingerprint, created_at) WHERE card_fingerprint IS NOT NULL;

-- Subscriptions: found by the schedule engine through due_at (when it must
-- next charge or stop the subscription).
CREATE TABLE subscriptions (
	id text COLLATE "C" PRIMARY KEY,
	store_id text COLLATE "C" NOT NULL REFERENCES stores (id) DEFERRABLE,
	merchant_id text COLLATE "C" NOT NULL,
	mode text NOT NULL,
	token_id text COLLATE "C" NOT NULL,
	status text NOT NULL,
	due_at timestamptz,
	created_at timestamptz NOT NULL,
	data jsonb NOT NULL
);
CREATE INDEX subscriptions_store_id ON subscriptions (store_id, id);
CREATE INDEX subscriptions_merchant_id ON subscriptions (merchant_id, id);
CREATE INDEX subscriptions_due ON subscriptions (store_id, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX subscriptions_token ON subscriptions (token_id);

-- Refunds: amount and status are columns so that the sum of a charge's live
-- refunds is checked in the transaction of the insert, under the charge's
-- row lock.
CREATE TABLE refunds (
	id text COLLATE "C" PRIMARY KEY,
	store_id text COLLATE "C" NOT NULL REFERENCES stores (id) DEFERRABLE,
	merchant_id text COLLATE "C" NOT NULL,
	mode text NOT NULL,
	charge_id text COLLATE "C" NOT NULL REFERENCES charges (id) DEFERRABLE,
	status text NOT NULL,
	amount bigint NOT NULL,
	due_at timestamptz,
	created_at timestamptz NOT NULL,
	data jsonb NOT NULL
);
CREATE INDEX refunds_charge ON refunds (charge_id, id);
CREATE INDEX refunds_store_id ON refunds (store_id, id);
CREATE INDEX refunds_merchant_id ON refunds (merchant_id, id);
CREATE INDEX refunds_due ON refunds (store_id, due_at) WHERE due_at IS NOT NULL;

-- Cancels of authorized or awaiting charges.
CREATE TABLE cancels (
	id text COLLATE "C" PRIMARY KEY,
	store_id text COLLATE "C" NOT NULL REFERENCES stores (id) DEFERRABLE,
	merchant_id text COLLATE "C" NOT NULL,
	mode text NOT NULL,
	charge_id text COLLATE "C" NOT NULL REFERENCES charges (id) DEFERRABLE,
	status text NOT NULL,
	due_at timestamptz,
	created_at timestamptz NOT NULL,
	data jsonb NOT NULL
);
CREATE INDEX cancels_charge ON cancels (charge_id, id);
CREATE INDEX cancels_store_id ON cancels (store_id, id);
CREATE INDEX cancels_merchant_id ON cancels (merchant_id, id);
CREATE INDEX cancels_due ON cancels (store_id, due_at) WHERE due_at IS NOT NULL;

-- Webhooks (store_id NULL = merchant-wide). A URL is registered once per
-- scope: per store, or once among a merchant's merchant-wide webhooks.
CREATE TABLE webhooks (
	id text COLLATE "C" PRIMARY KEY,
	merchant_id text COLLATE "C" NOT NULL REFERENCES merchants (id) DEFERRABLE,
	store_id text COLLATE "C" REFERENCES stores (id) DEFERRABLE,
	url text NOT NULL,
	active boolean NOT NULL,
	created_at timestamptz NOT NULL,
	data jsonb NOT NULL
);
CREATE UNIQUE INDEX webhooks_url ON webhooks (merchant_id, COALESCE(store_id, ''), url);
CREATE INDEX webhooks_store_id ON webhooks (store_id, id);
CREATE INDEX webhooks_merchant_id ON webhooks (merchant_id, id);

-- One row per event sent to one webhook; the attempts are in data. The
-- event's resource (payload) is kept as sent, byte for byte, beside the
-- document: jsonb would reorder its keys. Rows outlive their webhook.
CREATE TABLE webhook_deliveries (
	id text COLLATE "C" PRIMARY KEY,
	webhook_id text COLLATE "C" NOT NULL,
	store_id text COLLATE "C" NOT NULL REFERENCES stores (id) DEFERRABLE,
	merchant_id text COLLATE "C" NOT NULL,
	event text NOT NULL,
	status text NOT NULL,
	due_at timestamptz,
	created_at timestamptz NOT NULL,
	data jsonb NOT NULL,
	payload text
);
CREATE INDEX webhook_deliveries_store_id ON webhook_deliveries (store_id, id);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (store_id, due_at) WHERE status = 'pending';

-- Responses stored under Idempotency-Keys (docs/limits.md, "Idempotency").
CREATE TABLE idempotency (
	scope text NOT NULL,
	key text NOT NULL,
	created_at timestamptz NOT NULL,
	data jsonb NOT NULL,
	PRIMARY KEY (scope, key)
);
