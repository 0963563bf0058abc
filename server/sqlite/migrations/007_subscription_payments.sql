-- The payment rows of subscriptions (GET …/subscriptions/{id}/payments):
-- every payment attempted or paid, and the next one. Listed per
-- subscription by ID (time-ordered); attempted = 0 marks a row that is
-- dropped once it is no longer the next payment.
CREATE TABLE subscription_payments (
	id TEXT PRIMARY KEY,
	subscription_id TEXT NOT NULL REFERENCES subscriptions(id),
	store_id TEXT NOT NULL REFERENCES stores(id),
	attempted INTEGER NOT NULL,
	data TEXT NOT NULL
);
CREATE INDEX subscription_payments_subscription ON subscription_payments(subscription_id, id);
