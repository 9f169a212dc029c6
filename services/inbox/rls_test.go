package inbox_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// rowsInEveryTable stores, for the organisation, a row in every table the inbox reads (as the
// pipeline and the inbox would, as the tables' owner).
func (e *env) rowsInEveryTable(t *testing.T, org, practice string) {
	t.Helper()
	id := e.store(t, item{org: org, practice: practice, channel: "facebook_comment", text: "Secret of " + org, route: "complaint",
		flags: []string{"abusive"}, kinds: []string{"delete_requested", "moderation"}})
	by := uuid.New()
	for _, st := range []struct {
		q    string
		args []any
	}{
		{`INSERT INTO outbox (id, item_id, organisation, medium, recipient, purpose, body, state)
			VALUES (gen_random_uuid(), $1, $2, 'facebook_private_reply', 'c1', 'delete_request', 'Please delete', 'pending')`, []any{id, org}},
		{`INSERT INTO complaint_cases (id, item_id, organisation, practice, received_on, acknowledge_by)
			VALUES (gen_random_uuid(), $1, $2, $3, '2026-03-09', '2026-03-12')`, []any{id, org, practice}},
		{`INSERT INTO moderation_requests (id, item_id, organisation, flags, hide, legal_review)
			VALUES (gen_random_uuid(), $1, $2, '{abusive}', true, false)`, []any{id, org}},
		{`INSERT INTO review_replies (id, item_id, organisation, review_name, body, approved_by)
			VALUES (gen_random_uuid(), $1, $2, 'r', 'Thanks', 'pm')`, []any{id, org}},
		{`INSERT INTO item_removals (item_id, organisation, removed_at) VALUES ($1, $2, now())`, []any{id, org}},
		{`INSERT INTO decision_corrections (id, item_id, organisation, practice, channel, body, kind, from_revision, from_route,
			from_flags, revision, route, flags, corrected_by)
			VALUES (gen_random_uuid(), $1, $2, $3, 'facebook_comment', 'Secret', 'corrected', '', 'complaint', '{}', 'pm-1', 'other', '{}', $4)`,
			[]any{id, org, practice, by}},
		{`INSERT INTO reply_approvals (item_id, organisation, body, destination, approved_by) VALUES ($1, $2, 'Thanks', 'by_hand', $3)`,
			[]any{id, org, by}},
		{`INSERT INTO audit_log (organisation, user_id, user_email, action, item_id, client, via)
			VALUES ($2, $3, 'pm@x.example', 'test', $1, '127.0.0.1', 'page')`, []any{id, org, by}},
	} {
		mustExec(t, e.db, st.q, st.args...)
	}
}

// asRole runs fn in a transaction under the inbox's role, scoped to org (unset when org is "").
func (e *env) asRole(t *testing.T, org string, fn func(tx *sqlx.Tx)) {
	t.Helper()
	tx, err := e.db.Beginx()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`SET LOCAL ROLE signpost_inbox`); err != nil {
		t.Fatal(err)
	}
	if org != "" {
		if _, err := tx.Exec(`SELECT set_config('signpost.organisation', $1, true)`, org); err != nil {
			t.Fatal(err)
		}
	}
	fn(tx)
}

// readableTables are the tables the inbox's role may read, from the catalogue (so a grant added
// later is checked too).
func (e *env) readableTables(t *testing.T) []string {
	t.Helper()
	var tables []string
	if err := e.db.Select(&tables, `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND has_any_column_privilege('signpost_inbox', c.oid, 'SELECT')
		ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	return tables
}

// The inbox's role sees nothing without its organisation set and nothing of another organisation,
// in every table it can read; cannot change the audit log; and cannot write another
// organisation's rows.
func TestTheInboxRoleCannotBypassRowLevelSecurity(t *testing.T) {
	e := start(t)
	e.rowsInEveryTable(t, charlton, charlton)
	e.rowsInEveryTable(t, trent, "stretton-medical-centre")

	tables := e.readableTables(t)
	if len(tables) < 10 {
		t.Fatalf("the role reads only %v: the catalogue query is wrong", tables)
	}
	for _, table := range tables {
		var owner int
		if err := e.db.Get(&owner, `SELECT count(*) FROM `+table+` WHERE organisation = $1`, charlton); err != nil || owner == 0 {
			t.Fatalf("%s: the owner sees %d of charlton's rows (%v): give the table a row in rowsInEveryTable, or the checks below prove nothing", table, owner, err)
		}
		e.asRole(t, "", func(tx *sqlx.Tx) {
			var n int
			if err := tx.Get(&n, `SELECT count(*) FROM `+table); err != nil || n != 0 {
				t.Errorf("%s with no organisation set: %d rows (%v), want 0", table, n, err)
			}
		})
		e.asRole(t, trent, func(tx *sqlx.Tx) {
			var theirs, own int
			if err := tx.Get(&theirs, `SELECT count(*) FROM `+table+` WHERE organisation = $1`, charlton); err != nil || theirs != 0 {
				t.Errorf("%s scoped to trent: %d of charlton's rows (%v), want 0", table, theirs, err)
			}
			if err := tx.Get(&own, `SELECT count(*) FROM `+table); err != nil || own == 0 {
				t.Errorf("%s scoped to trent: %d of its own rows (%v), want them", table, own, err)
			}
		})
	}
	for _, stmt := range []string{`UPDATE audit_log SET action = 'changed'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`} {
		e.asRole(t, charlton, func(tx *sqlx.Tx) {
			if _, err := tx.Exec(stmt); err == nil {
				t.Errorf("the inbox role could run %q", stmt)
			}
		})
		if _, err := e.db.Exec(stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("the owner could run %q (%v)", stmt, err)
		}
	}
	e.asRole(t, charlton, func(tx *sqlx.Tx) {
		res, err := tx.Exec(`UPDATE items SET revision = 'x' WHERE organisation = $1`, trent)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n != 0 {
			t.Errorf("scoped to charlton, an update changed %d of trent's items", n)
		}
		if _, err := tx.Exec(`INSERT INTO audit_log (organisation, user_id, user_email, action, via)
			VALUES ($1, gen_random_uuid(), 'x@example.org', 'forged', 'page')`, trent); err == nil {
			t.Error("the inbox role wrote an audit line for another organisation")
		}
	})
	e.asRole(t, charlton, func(tx *sqlx.Tx) {
		if _, err := tx.Exec(`INSERT INTO audit_log (organisation, user_id, user_email, action, via, at)
			VALUES ($1, gen_random_uuid(), 'x@example.org', 'backdated', 'page', '2020-01-01')`, charlton); err == nil {
			t.Error("the inbox role wrote an audit line with a time of its choosing")
		}
	})
	var bypass bool
	if err := e.db.QueryRowContext(context.Background(), `SELECT rolbypassrls OR rolsuper OR rolcanlogin FROM pg_roles WHERE rolname = 'signpost_inbox'`).Scan(&bypass); err != nil || bypass {
		t.Errorf("signpost_inbox can bypass RLS, is superuser or can log in (%v)", err)
	}
}

// Every table the inbox's role is granted anything on has row-level security keyed on the
// request's organisation; the tables of credentials are out of its reach; the audit log is
// insert-and-read only.
func TestTheInboxRoleIsGrantedOnlyTablesBehindTheWall(t *testing.T) {
	e := start(t)
	var tables []struct {
		Name   string `db:"relname"`
		RLS    bool   `db:"relrowsecurity"`
		Forced bool   `db:"relforcerowsecurity"`
		Walled bool   `db:"walled"`
	}
	if err := e.db.Select(&tables, `
		SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
		       EXISTS (SELECT FROM pg_policy p WHERE p.polrelid = c.oid
		               AND (p.polroles @> ARRAY['signpost_inbox'::regrole::oid] OR p.polroles @> ARRAY[0::oid])
		               AND pg_get_expr(p.polqual, p.polrelid) LIKE '%signpost.organisation%') AS walled
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
		  AND (has_any_column_privilege('signpost_inbox', c.oid, 'SELECT, INSERT, UPDATE, REFERENCES')
		       OR has_table_privilege('signpost_inbox', c.oid, 'DELETE, TRUNCATE, TRIGGER'))
		ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	granted := map[string]bool{}
	for _, tb := range tables {
		granted[tb.Name] = true
		if !tb.RLS || !tb.Walled {
			t.Errorf("the inbox role is granted %s, which has no row-level security policy on signpost.organisation (enabled %v)", tb.Name, tb.RLS)
		}
		if tb.Forced {
			t.Errorf("%s forces row-level security: the pipeline, which owns it, would see nothing", tb.Name)
		}
	}
	for _, must := range []string{"items", "decisions", "inbox_entries", "outbox", "audit_log"} {
		if !granted[must] {
			t.Errorf("the inbox role cannot read %s: the catalogue query is wrong, or the inbox cannot work", must)
		}
	}
	for _, secret := range []string{"users", "sessions", "api_tokens", "signin_throttle", "organisations", "goose_db_version"} {
		if granted[secret] {
			t.Errorf("the inbox role is granted %s, which a request never needs", secret)
		}
	}
	var changeable []string
	if err := e.db.Select(&changeable, `
		SELECT p FROM unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER', 'REFERENCES']) AS p
		WHERE has_table_privilege('signpost_inbox', 'audit_log', p)
		UNION ALL
		SELECT 'INSERT (' || a || ')' FROM unnest(ARRAY['id', 'at']) AS a
		WHERE has_column_privilege('signpost_inbox', 'audit_log', a, 'INSERT') OR has_column_privilege('signpost_inbox', 'audit_log', a, 'UPDATE')`); err != nil {
		t.Fatal(err)
	}
	if len(changeable) != 0 {
		t.Errorf("the inbox role can %v on the audit log, want insert (without id and time) and select only", changeable)
	}
}
