package retention_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/rs/zerolog"

	"github.com/signpost/signpost/shared/policy"
	"github.com/signpost/signpost/shared/retention"
	"github.com/signpost/signpost/shared/storetest"
)

var now = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// policies are the shipped examples with Charlton keeping content for 90 days; Trent Meadows
// keeps the default 10 years.
func policies(t *testing.T) *policy.Set {
	t.Helper()
	fsys := fstest.MapFS{}
	_ = fs.WalkDir(policy.Examples(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			raw, _ := fs.ReadFile(policy.Examples(), p)
			if strings.HasPrefix(p, "charlton") {
				raw = []byte(strings.Replace(string(raw), `"retention_days": 3653`, `"retention_days": 90`, 1))
			}
			fsys[p] = &fstest.MapFile{Data: raw}
		}
		return nil
	})
	set, err := policy.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// seed stores an item with the marker in every column that can hold patient content, and one row
// in every table that refers to items, each with work still to do or done as given.
func seed(t *testing.T, db *sqlx.DB, org, practice, marker string, received, written time.Time) uuid.UUID {
	t.Helper()
	id := uuid.New()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO items (id, organisation, practice, channel, source_id, author, email, body, rating, written_at, first_written_at,
		   received_at, revision) VALUES ($1, $2, $3, 'facebook_comment', $4 || '-source', $4 || ' Author', $4 || '@example.org',
		   'I waited hours ' || $4, '', $5, $5, $6, 'edit-0011223344556677')`, []any{id, org, practice, marker, written, received}},
		{`INSERT INTO decisions (item_id, revision, organisation, route, flags, confidence, needs_review, reasons, model_version)
		  VALUES ($1, '', $2, 'complaint', '{staff_identified}', 0.9, false, ARRAY['quotes "' || $3 || '"'], 'm1')`, []any{id, org, marker}},
		{`INSERT INTO inbox_entries (id, item_id, organisation, practice, kind, priority, suggested_reply)
		  VALUES ($1, $2, $3, $4, 'delete_requested', 'normal', 'Dear ' || $5)`, []any{uuid.New(), id, org, practice, marker}},
		{`INSERT INTO outbox (id, item_id, organisation, medium, recipient, purpose, body, state, state_reason, platform_id)
		  VALUES ($1, $2, $3, 'facebook_private_reply', $4 || '-source', 'delete_request', 'Hello ' || $4, 'pending',
		          'Facebook said ' || $4, 'm_' || $4)`, []any{uuid.New(), id, org, marker}},
		{`INSERT INTO outbox (id, item_id, organisation, medium, recipient, purpose, body, state)
		  VALUES ($1, $2, $3, 'email', $4 || '@example.org', 'complaints_signpost', 'Hello ' || $4, 'sent')`,
			[]any{uuid.New(), id, org, marker}},
		{`INSERT INTO review_replies (id, item_id, organisation, review_name, body, approved_by, state_reason)
		  VALUES ($1, $2, $3, 'accounts/1/locations/2/reviews/' || $4, 'Thank you ' || $4, 'Practice Manager', 'said ' || $4)`,
			[]any{uuid.New(), id, org, marker}},
		{`INSERT INTO moderation_requests (id, item_id, organisation, flags, hide, legal_review, state_reason)
		  VALUES ($1, $2, $3, '{abusive}', true, false, 'Graph said ' || $4)`, []any{uuid.New(), id, org, marker}},
		{`INSERT INTO complaint_cases (id, item_id, organisation, practice, received_on, acknowledge_by)
		  VALUES ($1, $2, $3, $4, $5::date, $5::date + 3)`, []any{uuid.New(), id, org, practice, received}},
		{`INSERT INTO item_removals (item_id, organisation, removed_at) VALUES ($1, $2, $3)`, []any{id, org, received}},
		{`INSERT INTO decision_corrections (id, item_id, organisation, practice, channel, body, kind, from_revision, from_route,
		   from_flags, revision, route, flags, corrected_by)
		  VALUES ($1, $2, $3, $4, 'facebook_comment', 'I waited hours ' || $5, 'corrected', '', 'complaint', '{}',
		          'correction-1', 'other', '{}', $1)`, []any{uuid.New(), id, org, practice, marker}},
		{`INSERT INTO reply_approvals (item_id, organisation, body, destination, approved_by)
		  VALUES ($1, $2, 'Sorry ' || $3, 'by_hand', $1)`, []any{id, org, marker}},
	} {
		if _, err := db.Exec(q.sql, q.args...); err != nil {
			t.Fatalf("seed: %v\n%s", err, q.sql)
		}
	}
	return id
}

// occurrences counts the places (table.column) in the whole database that contain s.
func occurrences(t *testing.T, db *sqlx.DB, s string) []string {
	t.Helper()
	var cols []struct {
		Table  string `db:"table_name"`
		Column string `db:"column_name"`
	}
	if err := db.Select(&cols, `
		SELECT c.table_name, c.column_name FROM information_schema.columns c
		JOIN information_schema.tables t USING (table_schema, table_name)
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`); err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, c := range cols {
		var n int
		q := `SELECT count(*) FROM "` + c.Table + `" WHERE strpos("` + c.Column + `"::text, $1) > 0`
		if err := db.Get(&n, q, s); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if n > 0 {
			found = append(found, c.Table+"."+c.Column)
		}
	}
	return found
}

func TestPurgeAnonymisesContentPastEachOrganisationsRetentionInEveryTable(t *testing.T) {
	db, _ := storetest.New(t)
	p := &retention.Purger{DB: db, Policies: policies(t), Log: zerolog.Nop(), Now: func() time.Time { return now }}
	day := 24 * time.Hour

	old := seed(t, db, "charlton-medical-centre", "charlton-medical-centre", "Kzq1OldCharlton", now.Add(-100*day), now.Add(-100*day))
	recent := seed(t, db, "charlton-medical-centre", "charlton-medical-centre", "Kzq2RecentCharlton", now.Add(-80*day), now.Add(-80*day))
	seed(t, db, "charlton-medical-centre", "charlton-medical-centre", "Kzq3EditedCharlton", now.Add(-100*day), now.Add(-day))
	seed(t, db, "trent-meadows-stretton", "stretton-medical-centre", "Kzq4OldTrent", now.Add(-5*365*day), now.Add(-5*365*day))
	seed(t, db, "left-us", "left-us-surgery", "Kzq5NoPolicy", now.Add(-100*day), now.Add(-100*day))

	for _, marker := range []string{"Kzq1OldCharlton", "Kzq5NoPolicy"} {
		if before := occurrences(t, db, marker); len(before) < 15 {
			t.Fatalf("the seed puts %s in only %v: the check would prove little", marker, before)
		}
	}
	purged, err := p.Purge(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if purged["charlton-medical-centre"] != 1 || purged["left-us"] != 1 || purged.Total() != 2 {
		t.Errorf("purged %v, want the old Charlton item and the old item of an organisation no policy names", purged)
	}
	for _, marker := range []string{"Kzq1OldCharlton", "Kzq5NoPolicy"} {
		if left := occurrences(t, db, marker); len(left) > 0 {
			t.Errorf("%s is still in %v after the purge", marker, left)
		}
	}
	for _, marker := range []string{"Kzq2RecentCharlton", "Kzq3EditedCharlton", "Kzq4OldTrent"} {
		if kept := occurrences(t, db, marker); len(kept) < 15 {
			t.Errorf("%s, within its retention period, is left only in %v", marker, kept)
		}
	}

	// The rows stay for the counts, the unfinished work is stopped with the reason, and the
	// purge is recorded.
	var row struct {
		Channel string     `db:"channel"`
		Route   string     `db:"route"`
		Purged  *time.Time `db:"purged_at"`
	}
	if err := db.Get(&row, `SELECT i.channel, d.route, i.purged_at FROM items i JOIN decisions d ON d.item_id = i.id WHERE i.id = $1`, old); err != nil {
		t.Fatal(err)
	}
	if row.Channel != "facebook_comment" || row.Route != "complaint" || row.Purged == nil {
		t.Errorf("purged item %+v, want its channel and route kept and purged_at set", row)
	}
	states := func(id uuid.UUID) string {
		var s string
		if err := db.Get(&s, `SELECT string_agg(x, ',' ORDER BY x) FROM (
			SELECT 'outbox ' || medium || ' ' || state || ' ' || state_reason AS x FROM outbox WHERE item_id = $1
			UNION ALL SELECT 'reply ' || state || ' ' || state_reason FROM review_replies WHERE item_id = $1
			UNION ALL SELECT 'moderation ' || state || ' ' || state_reason FROM moderation_requests WHERE item_id = $1) s`, id); err != nil {
			t.Fatal(err)
		}
		return s
	}
	stopped := "not done: the retention period passed and its content was deleted"
	want := "moderation failed " + stopped + ",outbox email sent ,outbox facebook_private_reply cancelled " + stopped +
		",reply failed " + stopped
	if got := states(old); got != want {
		t.Errorf("after the purge:\n got %s\nwant %s", got, want)
	}
	if got := states(recent); !strings.Contains(got, "facebook_private_reply pending") || !strings.Contains(got, "moderation pending") {
		t.Errorf("work on an item within its retention period was touched: %s", got)
	}

	again, err := p.Purge(context.Background())
	if err != nil || again.Total() != 0 {
		t.Errorf("a second purge anonymised %v (%v), want nothing", again, err)
	}
}

func TestPurgeWorksThroughMoreItemsThanOneBatch(t *testing.T) {
	db, _ := storetest.New(t)
	if _, err := db.Exec(`
		INSERT INTO items (id, organisation, practice, channel, source_id, body, written_at, first_written_at, received_at)
		SELECT gen_random_uuid(), 'charlton-medical-centre', 'charlton-medical-centre', 'website_review', 's' || g,
		       'Batch marker text ' || g, $1, $1, $1
		FROM generate_series(1, 1234) g`, now.Add(-200*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	p := &retention.Purger{DB: db, Policies: policies(t), Log: zerolog.Nop(), Now: func() time.Time { return now }}
	purged, err := p.Purge(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var left int
	_ = db.Get(&left, `SELECT count(*) FROM items WHERE body <> '' OR purged_at IS NULL`)
	if purged.Total() != 1234 || left != 0 {
		t.Errorf("purged %d of 1234, %d left with text", purged.Total(), left)
	}
}
