-- The follow-ups of a change are kept in the changed record's document
-- until they are done (docs/architecture.md, "Crashes"): these indexes
-- find the records that have some, and make an event recorded twice one
-- delivery per webhook.
CREATE INDEX charges_follow_up ON charges (json_extract(data, '$.follow_up')) WHERE json_extract(data, '$.follow_up') IS NOT NULL;
CREATE INDEX refunds_follow_up ON refunds (json_extract(data, '$.follow_up')) WHERE json_extract(data, '$.follow_up') IS NOT NULL;
CREATE INDEX cancels_follow_up ON cancels (json_extract(data, '$.follow_up')) WHERE json_extract(data, '$.follow_up') IS NOT NULL;
CREATE INDEX subscriptions_follow_up ON subscriptions (json_extract(data, '$.follow_up')) WHERE json_extract(data, '$.follow_up') IS NOT NULL;
CREATE INDEX tokens_follow_up ON tokens (json_extract(data, '$.follow_up')) WHERE json_extract(data, '$.follow_up') IS NOT NULL;
CREATE UNIQUE INDEX webhook_deliveries_event ON webhook_deliveries (webhook_id, json_extract(data, '$.event_id'));
