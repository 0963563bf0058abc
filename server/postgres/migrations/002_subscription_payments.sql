-- The payment rows of subscriptions (GET …/subscriptions/{id}/payments):
-- every payment attempted or paid, and the next one. Listed per
-- subscription by ID (time-ordered); attempted = false marks a row that is
-- dropped once it is no longer the next payment.
CREATE TABLE subscription_payments (
	id text COLLATE "C" PRIMARY KEY,
	subscription_id text COLLATE "C" NOT NULL REFERENCES subscriptions (id) DEFERRABLE,
	store_id text COLLATE "C" NOT NULL REFERENCES stores (id) DEFERRABLE,
	attempted boolean NOT NULL,
	data jsonb NOT NULL
);
CREATE INDEX subscription_payments_subscription ON subscription_payments (subscription_id, id);
