-- +goose Up
-- Platforms edit and remove what patients posted: an edit is a new revision of the same item,
-- classified again; a removal marks the item and cancels any message not yet sent.

ALTER TABLE items ADD COLUMN revision text NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN removed_at timestamptz;

ALTER TABLE decisions DROP CONSTRAINT decisions_pkey;
ALTER TABLE decisions ADD COLUMN revision text NOT NULL DEFAULT '';
ALTER TABLE decisions ADD PRIMARY KEY (item_id, revision);

-- A removal may arrive before the item itself has been stored: it is kept here, without a foreign
-- key, and applied whenever the item's actions are stored.
CREATE TABLE item_removals (
    item_id      uuid PRIMARY KEY,
    organisation text        NOT NULL,
    removed_at   timestamptz NOT NULL
);

-- +goose Down
DROP TABLE item_removals;
ALTER TABLE decisions DROP CONSTRAINT decisions_pkey;
ALTER TABLE decisions DROP COLUMN revision;
ALTER TABLE decisions ADD PRIMARY KEY (item_id);
ALTER TABLE items DROP COLUMN removed_at;
ALTER TABLE items DROP COLUMN revision;
