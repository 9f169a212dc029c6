-- +goose Up
-- A moderation request not yet carried out is withdrawn when the item's newest revision no longer
-- breaks the code of conduct: the author edited the post, or a Practice Manager corrected the
-- decision. A post already hidden stays hidden until a person decides otherwise.
ALTER TABLE moderation_requests DROP CONSTRAINT moderation_requests_state_check;
ALTER TABLE moderation_requests ADD CONSTRAINT moderation_requests_state_check
    CHECK (state IN ('pending', 'hidden', 'failed', 'reported', 'withdrawn'));

-- +goose Down
UPDATE moderation_requests SET state = 'failed' WHERE state = 'withdrawn';
ALTER TABLE moderation_requests DROP CONSTRAINT moderation_requests_state_check;
ALTER TABLE moderation_requests ADD CONSTRAINT moderation_requests_state_check
    CHECK (state IN ('pending', 'hidden', 'failed', 'reported'));
