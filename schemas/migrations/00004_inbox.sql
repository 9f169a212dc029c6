-- +goose Up
-- The Practice Manager's inbox: people who sign in (one organisation each), their sessions and API
-- tokens, sign-in throttling, the audit log, the decisions people confirmed or corrected (kept as
-- labelled examples), approved replies, and row-level security under the role the inbox uses for
-- every request, so that a query that forgot its organisation still sees nothing of another.

CREATE TABLE organisations (
    slug       text PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    organisation  text        NOT NULL REFERENCES organisations (slug),
    email         text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('administrator', 'manager')),
    password_hash text        NOT NULL, -- argon2id, PHC string format
    created_at    timestamptz NOT NULL DEFAULT now(),
    disabled_at   timestamptz
);
-- One sign-in name across organisations: the email decides the organisation.
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- Only the SHA-256 of the session token is kept: a copy of this table signs nobody in.
CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY,
    user_id      uuid        NOT NULL REFERENCES users (id),
    organisation text        NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    idle_until   timestamptz NOT NULL, -- ends after this long without a request
    expires_at   timestamptz NOT NULL, -- ends at this time whatever happens
    ended_at     timestamptz,          -- signed out
    client       text        NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    token_hash   bytea PRIMARY KEY,
    id           uuid        NOT NULL UNIQUE,
    user_id      uuid        NOT NULL REFERENCES users (id),
    organisation text        NOT NULL,
    label        text        NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

-- Failed sign-ins per account (the SHA-256 of the email, whether or not it exists) and per client
-- address, within a window; a key over its limit is locked until locked_until.
CREATE TABLE signin_throttle (
    key            text PRIMARY KEY,
    failures       integer     NOT NULL,
    window_started timestamptz NOT NULL,
    locked_until   timestamptz
);

-- Every view of an item and every action: who, what, when, from where. Never patient text.
CREATE TABLE audit_log (
    id           bigserial PRIMARY KEY,
    organisation text        NOT NULL,
    at           timestamptz NOT NULL DEFAULT now(),
    user_id      uuid        NOT NULL,
    user_email   text        NOT NULL,
    action       text        NOT NULL,
    item_id      uuid,
    detail       text        NOT NULL DEFAULT '',
    client       text        NOT NULL DEFAULT '',
    via          text        NOT NULL CHECK (via IN ('page', 'api'))
);
CREATE INDEX audit_log_organisation ON audit_log (organisation, at DESC);
CREATE INDEX audit_log_item ON audit_log (item_id, at);

-- +goose StatementBegin
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- A person confirmed or corrected a decision. The row is a labelled example (the text as it was
-- judged, and the right answer) and the source of a new decision revision, published as
-- feedback.routed so the notifier re-plans the actions; published_at is set once JetStream has it.
CREATE TABLE decision_corrections (
    id            uuid PRIMARY KEY,
    item_id       uuid        NOT NULL REFERENCES items (id),
    organisation  text        NOT NULL,
    practice      text        NOT NULL,
    channel       text        NOT NULL,
    body          text        NOT NULL,
    kind          text        NOT NULL CHECK (kind IN ('confirmed', 'corrected')),
    from_revision text        NOT NULL,
    from_route    text        NOT NULL,
    from_flags    text[]      NOT NULL,
    revision      text        NOT NULL,
    route         text        NOT NULL CHECK (route IN ('official_review', 'unofficial_review', 'complaint', 'other')),
    flags         text[]      NOT NULL,
    corrected_by  uuid        NOT NULL,
    corrected_at  timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz,
    UNIQUE (item_id, revision)
);
CREATE INDEX decision_corrections_unpublished ON decision_corrections (corrected_at) WHERE published_at IS NULL;

-- A reply a Practice Manager approved (possibly edited). Replies to Google reviews are also put in
-- review_replies, which the notifier's delivery worker sends; other channels have no way to post.
CREATE TABLE reply_approvals (
    item_id      uuid PRIMARY KEY REFERENCES items (id),
    organisation text        NOT NULL,
    body         text        NOT NULL,
    destination  text        NOT NULL CHECK (destination IN ('google', 'by_hand')),
    approved_by  uuid        NOT NULL,
    approved_at  timestamptz NOT NULL DEFAULT now()
);

-- New and changed inbox entries are announced (ids, organisation, kind, priority; never text) so
-- open inbox pages update without a reload.
-- +goose StatementBegin
CREATE FUNCTION inbox_entries_announce() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('signpost_inbox', json_build_object(
        'organisation', NEW.organisation, 'item_id', NEW.item_id, 'kind', NEW.kind, 'priority', NEW.priority,
        'state', NEW.state)::text);
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER inbox_entries_announce AFTER INSERT OR UPDATE OF state ON inbox_entries
    FOR EACH ROW EXECUTE FUNCTION inbox_entries_announce();

-- The role every inbox request runs under (SET LOCAL ROLE). It cannot log in and cannot bypass
-- row-level security. Roles belong to the whole cluster, and several databases may be migrated at
-- once (tests do), so creating it tolerates another migration having just done so. The user that
-- migrates needs CREATEROLE, or a DBA creates the role and grants it to that user beforehand.
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'signpost_inbox') THEN
        BEGIN
                CREATE ROLE signpost_inbox NOLOGIN NOBYPASSRLS;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
    IF NOT pg_has_role(current_user, 'signpost_inbox', 'MEMBER') THEN
        BEGIN
            EXECUTE format('GRANT signpost_inbox TO %I', current_user);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END $$;
-- +goose StatementEnd

-- Only what the inbox needs. Nothing on users, sessions, api_tokens or signin_throttle: signing in
-- and checking a session run as the owner, before the request is scoped, so a request's role can
-- never read a password hash. The audit log's id and time are always the database's own (no
-- INSERT on them), so a line cannot be backdated.
GRANT SELECT ON items, decisions, inbox_entries, outbox, complaint_cases, moderation_requests, review_replies,
    decision_corrections, reply_approvals, audit_log TO signpost_inbox;
GRANT UPDATE (revision) ON items TO signpost_inbox;
GRANT INSERT ON decisions, decision_corrections, reply_approvals, review_replies TO signpost_inbox;
GRANT INSERT (organisation, user_id, user_email, action, item_id, detail, client, via) ON audit_log TO signpost_inbox;
GRANT UPDATE (state) ON inbox_entries, complaint_cases, moderation_requests TO signpost_inbox;
GRANT DELETE ON inbox_entries TO signpost_inbox;
GRANT UPDATE (body, destination, approved_by, approved_at) ON reply_approvals TO signpost_inbox;
GRANT UPDATE (body, state, state_reason, attempts, next_attempt_at, approved_by, updated_at) ON review_replies TO signpost_inbox;
GRANT USAGE ON SEQUENCE audit_log_id_seq TO signpost_inbox;

-- Row-level security: under signpost_inbox a row is visible (and writable) only when its
-- organisation is the one the request set with set_config('signpost.organisation', ..., true).
-- Unset, the setting is NULL or '' and matches nothing. The tables' owner (the pipeline) is not
-- subject to these policies: they are not FORCEd. Tables the role is not granted today
-- (item_removals, users, organisations) have the wall too, should a grant ever be added.
ALTER TABLE items ENABLE ROW LEVEL SECURITY;
ALTER TABLE decisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE inbox_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE complaint_cases ENABLE ROW LEVEL SECURITY;
ALTER TABLE moderation_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE review_replies ENABLE ROW LEVEL SECURITY;
ALTER TABLE item_removals ENABLE ROW LEVEL SECURITY;
ALTER TABLE decision_corrections ENABLE ROW LEVEL SECURITY;
ALTER TABLE reply_approvals ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisations ENABLE ROW LEVEL SECURITY;

CREATE POLICY own_organisation ON items TO signpost_inbox
    USING (organisation = current_setting('signpost.organisation', true))
    WITH CHECK (organisation = current_setting('signpost.organisation', true));
CREATE POLICY own_organisation ON decisions TO signpost_inbox
    USING (organisation = current_setting('signpost.organisation', true))
    WITH CHECK (organisation = current_setting('signpost.organisation', true));
CREATE POLICY own_organisation ON inbox_entries TO signpost_inbox
    USING (organisation = current_setting('signpost.organisation', true))
    WITH CHECK (organisation = current_setting('signpost.organisation', true));
CREATE POLICY own_organisation ON outbox TO signpost_inbox
    USING (organisation = current_setting('signpost.organisation', true))
    WITH CHECK (organisation = current_setting('signpost.organisation', true));
CREATE POLICY own_organisation ON complaint_cases TO signpost_inbox
    USING (organisation = current_setting('signpost.organisation', true))
    WITH CHECK (organisation = current_setting('signpost.organisation', true));
CREATE POLICY own_organisation ON moderation_requests TO signpost_inbox
    USING (organisation = current_setting('signpost.organisation', true))
    WITH CHECK (organisation = current_setting('signpost.organisation', true));
CREATE POLICY own_organisation ON review_replies TO signpost_inbox
    USING (organisation = current_setting('signpost.organisation', true))
    WITH CHECK (organisation = current_setting('signpost.organisation', true));
CREATE POLICY own_organisation ON item_removals TO signpost_inbox
    USING (organisation = current_setting('signpost.organisation', true))
    WITH CHECK (organisation = current_setting('signpost.organisation', true));
CREATE POLICY own_organisation ON decision_corrections TO signpost_inbox
    USING (organisation = current_setting('signpost.organisation', true))
    WITH CHECK (organisation = current_setting('signpost.organisation', true));
CREATE POLICY own_organisation ON reply_approvals TO signpost_inbox
    USING (organisation = current_setting('signpost.organisation', true))
    WITH CHECK (organisation = current_setting('signpost.organisation', true));
CREATE POLICY own_organisation ON audit_log TO signpost_inbox
    USING (organisation = current_setting('signpost.organisation', true))
    WITH CHECK (organisation = current_setting('signpost.organisation', true));
CREATE POLICY own_organisation ON users TO signpost_inbox
    USING (organisation = current_setting('signpost.organisation', true));
CREATE POLICY own_organisation ON organisations TO signpost_inbox
    USING (slug = current_setting('signpost.organisation', true));

-- +goose Down
-- The role belongs to the whole cluster and other databases may use it: only this database's
-- grants and policies are removed.
DROP POLICY own_organisation ON organisations;
DROP POLICY own_organisation ON users;
DROP POLICY own_organisation ON audit_log;
DROP POLICY own_organisation ON reply_approvals;
DROP POLICY own_organisation ON decision_corrections;
DROP POLICY own_organisation ON item_removals;
DROP POLICY own_organisation ON review_replies;
DROP POLICY own_organisation ON moderation_requests;
DROP POLICY own_organisation ON complaint_cases;
DROP POLICY own_organisation ON outbox;
DROP POLICY own_organisation ON inbox_entries;
DROP POLICY own_organisation ON decisions;
DROP POLICY own_organisation ON items;
ALTER TABLE items DISABLE ROW LEVEL SECURITY;
ALTER TABLE decisions DISABLE ROW LEVEL SECURITY;
ALTER TABLE inbox_entries DISABLE ROW LEVEL SECURITY;
ALTER TABLE outbox DISABLE ROW LEVEL SECURITY;
ALTER TABLE complaint_cases DISABLE ROW LEVEL SECURITY;
ALTER TABLE moderation_requests DISABLE ROW LEVEL SECURITY;
ALTER TABLE review_replies DISABLE ROW LEVEL SECURITY;
ALTER TABLE item_removals DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON items, decisions, inbox_entries, outbox, complaint_cases, moderation_requests, review_replies,
    item_removals FROM signpost_inbox;
DROP TRIGGER inbox_entries_announce ON inbox_entries;
DROP FUNCTION inbox_entries_announce();
DROP TABLE reply_approvals;
DROP TABLE decision_corrections;
DROP TABLE audit_log;
DROP FUNCTION audit_log_is_append_only();
DROP TABLE signin_throttle;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE organisations;
