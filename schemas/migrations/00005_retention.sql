-- +goose Up
-- Retention: once an organisation's retention period (policy retention_days) has passed, what its
-- patients wrote is anonymised in every table (shared/retention); the rows stay so that counts per
-- channel, route and rating still add up. purged_at says when an item was anonymised, so each is
-- done once, and the index finds the items still to look at without reading the purged ones.
ALTER TABLE items ADD COLUMN purged_at timestamptz;
CREATE INDEX items_to_purge ON items (received_at) WHERE purged_at IS NULL;

-- +goose Down
DROP INDEX items_to_purge;
ALTER TABLE items DROP COLUMN purged_at;
