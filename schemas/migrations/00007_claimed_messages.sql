-- +goose Up
-- A worker claims a batch of due messages, then sends them one by one. A claimed message not yet
-- tried is 'claimed'; only the one being sent is 'sending'. A worker that dies or loses its
-- database mid-batch leaves the untried ones 'claimed', and they are simply taken again, instead
-- of being treated as possibly sent.
ALTER TABLE outbox DROP CONSTRAINT outbox_state_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_state_check
    CHECK (state IN ('held', 'pending', 'claimed', 'sending', 'sent', 'failed', 'cancelled'));
CREATE INDEX outbox_claimed ON outbox (updated_at) WHERE state = 'claimed';

-- +goose Down
DROP INDEX outbox_claimed;
UPDATE outbox SET state = 'pending', attempts = attempts - 1 WHERE state = 'claimed';
ALTER TABLE outbox DROP CONSTRAINT outbox_state_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_state_check
    CHECK (state IN ('held', 'pending', 'sending', 'sent', 'failed', 'cancelled'));
