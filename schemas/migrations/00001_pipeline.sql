-- +goose Up
-- The first pipeline: items as received, the classifier's decision on each, and the actions the
-- notifier derives from it. Every table carries the organisation so that every query (and later
-- row-level security) can be scoped to one organisation.

CREATE TABLE items (
    id             uuid PRIMARY KEY,
    organisation   text        NOT NULL,
    practice       text        NOT NULL,
    channel        text        NOT NULL,
    source_id      text        NOT NULL,
    author         text        NOT NULL DEFAULT '',
    email          text        NOT NULL DEFAULT '',
    body           text        NOT NULL,
    rating         text        NOT NULL DEFAULT '',
    written_at     timestamptz NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now(),
    correlation_id text        NOT NULL DEFAULT '',
    UNIQUE (organisation, channel, source_id)
);
CREATE INDEX items_organisation_received ON items (organisation, received_at DESC);

CREATE TABLE decisions (
    item_id       uuid PRIMARY KEY REFERENCES items (id),
    organisation  text             NOT NULL,
    route         text             NOT NULL CHECK (route IN ('official_review', 'unofficial_review', 'complaint', 'other')),
    flags         text[]           NOT NULL DEFAULT '{}',
    confidence    double precision NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    needs_review  boolean          NOT NULL,
    reasons       text[]           NOT NULL DEFAULT '{}',
    model_version text             NOT NULL,
    decided_at    timestamptz      NOT NULL DEFAULT now()
);

-- What the Practice Manager sees: one entry per item and kind.
CREATE TABLE inbox_entries (
    id              uuid PRIMARY KEY,
    item_id         uuid        NOT NULL REFERENCES items (id),
    organisation    text        NOT NULL,
    practice        text        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('urgent', 'needs_review', 'respond', 'signpost',
                                            'delete_requested', 'complaint_case', 'complaint_awareness',
                                            'moderation', 'ignored')),
    priority        text        NOT NULL CHECK (priority IN ('urgent', 'normal', 'low')),
    suggested_reply text        NOT NULL DEFAULT '',
    state           text        NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'handled')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (item_id, kind)
);
CREATE INDEX inbox_entries_open ON inbox_entries (organisation, state, priority, created_at DESC);

-- Messages to patients. At most one per item and medium: the unique key is what stops a second
-- message when an event is delivered again.
CREATE TABLE outbox (
    id           uuid PRIMARY KEY,
    item_id      uuid        NOT NULL REFERENCES items (id),
    organisation text        NOT NULL,
    medium       text        NOT NULL CHECK (medium IN ('email', 'facebook_private_reply')),
    recipient    text        NOT NULL,
    purpose      text        NOT NULL CHECK (purpose IN ('delete_request', 'complaints_signpost')),
    body         text        NOT NULL,
    state        text        NOT NULL CHECK (state IN ('held', 'pending', 'sending', 'sent', 'failed', 'cancelled')),
    state_reason text        NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (item_id, medium)
);
CREATE INDEX outbox_pending ON outbox (state, created_at) WHERE state = 'pending';

-- A complaint received through the Complaints Procedure itself.
CREATE TABLE complaint_cases (
    id             uuid PRIMARY KEY,
    item_id        uuid        NOT NULL UNIQUE REFERENCES items (id),
    organisation   text        NOT NULL,
    practice       text        NOT NULL,
    received_on    date        NOT NULL,
    acknowledge_by date        NOT NULL,
    state          text        NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'responded')),
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- A post on the organisation's own page that breaks the code of conduct.
CREATE TABLE moderation_requests (
    id           uuid PRIMARY KEY,
    item_id      uuid        NOT NULL UNIQUE REFERENCES items (id),
    organisation text        NOT NULL,
    flags        text[]      NOT NULL,
    hide         boolean     NOT NULL,
    legal_review boolean     NOT NULL,
    state        text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'hidden', 'reported')),
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE moderation_requests;
DROP TABLE complaint_cases;
DROP TABLE outbox;
DROP TABLE inbox_entries;
DROP TABLE decisions;
DROP TABLE items;
