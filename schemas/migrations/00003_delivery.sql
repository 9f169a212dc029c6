-- +goose Up
-- When the patient first wrote the item: an edit changes written_at, but Facebook's 7-day window
-- for a private reply runs from the comment itself.
ALTER TABLE items ADD COLUMN first_written_at timestamptz;
UPDATE items SET first_written_at = written_at;
ALTER TABLE items ALTER COLUMN first_written_at SET NOT NULL;

-- Delivery: messages to patients are sent by the notifier's outbox worker, retried with backoff,
-- and every attempt's outcome is kept. Hiding a post is a platform call too.

ALTER TABLE outbox ADD COLUMN attempts        integer     NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE outbox ADD COLUMN platform_id     text        NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN sent_at         timestamptz;
DROP INDEX outbox_pending;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX outbox_sending ON outbox (updated_at) WHERE state = 'sending';

ALTER TABLE moderation_requests DROP CONSTRAINT moderation_requests_state_check;
ALTER TABLE moderation_requests ADD CONSTRAINT moderation_requests_state_check
    CHECK (state IN ('pending', 'hidden', 'failed', 'reported'));
ALTER TABLE moderation_requests ADD COLUMN attempts        integer     NOT NULL DEFAULT 0;
ALTER TABLE moderation_requests ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE moderation_requests ADD COLUMN state_reason    text        NOT NULL DEFAULT '';

-- Public replies to Google reviews, sent once a Practice Manager has approved them.
CREATE TABLE review_replies (
    id              uuid PRIMARY KEY,
    item_id         uuid        NOT NULL UNIQUE REFERENCES items (id),
    organisation    text        NOT NULL,
    review_name     text        NOT NULL,
    body            text        NOT NULL CHECK (octet_length(body) <= 4096),
    state           text        NOT NULL DEFAULT 'approved' CHECK (state IN ('approved', 'sending', 'sent', 'failed')),
    state_reason    text        NOT NULL DEFAULT '',
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    approved_by     text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE review_replies;
ALTER TABLE moderation_requests DROP COLUMN state_reason;
ALTER TABLE moderation_requests DROP COLUMN next_attempt_at;
ALTER TABLE moderation_requests DROP COLUMN attempts;
ALTER TABLE moderation_requests DROP CONSTRAINT moderation_requests_state_check;
ALTER TABLE moderation_requests ADD CONSTRAINT moderation_requests_state_check CHECK (state IN ('pending', 'hidden', 'reported'));
DROP INDEX outbox_sending;
DROP INDEX outbox_due;
CREATE INDEX outbox_pending ON outbox (state, created_at) WHERE state = 'pending';
ALTER TABLE outbox DROP COLUMN sent_at;
ALTER TABLE outbox DROP COLUMN platform_id;
ALTER TABLE outbox DROP COLUMN next_attempt_at;
ALTER TABLE outbox DROP COLUMN attempts;
ALTER TABLE items DROP COLUMN first_written_at;
