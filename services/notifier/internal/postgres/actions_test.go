package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/signpost/signpost/services/notifier/internal/plan"
	"github.com/signpost/signpost/services/notifier/internal/postgres"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/storetest"
)

var ctx = context.Background()

func item(revision string) feedback.Item {
	return feedback.Item{ID: feedback.ItemID("org", feedback.FacebookComment, "c1"), Organisation: "org", Practice: "p",
		Channel: feedback.FacebookComment, SourceID: "c1", Text: "t", Revision: revision, WrittenAt: time.Now()}
}

// classified stands for the classifier having stored the revision as the item's newest.
func classified(t *testing.T, db *sqlx.DB, revision string) {
	t.Helper()
	it := item(revision)
	if _, err := db.Exec(`INSERT INTO items (id, organisation, practice, channel, source_id, body, revision, written_at, first_written_at)
		VALUES ($1, 'org', 'p', 'facebook_comment', 'c1', 't', $2, now(), now())
		ON CONFLICT (id) DO UPDATE SET revision = EXCLUDED.revision`, it.ID, revision); err != nil {
		t.Fatal(err)
	}
}

var complaint = plan.Plan{
	Inbox:    []plan.InboxEntry{{Kind: plan.DeleteRequested, Priority: plan.PriorityNormal}},
	Messages: []plan.PatientMessage{{Medium: plan.FacebookPrivateReply, Recipient: "c1", Purpose: plan.DeleteRequest, Body: "b", State: plan.Pending}},
}
var held = plan.Plan{
	Inbox:    []plan.InboxEntry{{Kind: plan.NeedsReview, Priority: plan.PriorityNormal}},
	Messages: []plan.PatientMessage{{Medium: plan.FacebookPrivateReply, Recipient: "c1", Purpose: plan.DeleteRequest, Body: "b", State: plan.Held}},
}
var praise = plan.Plan{Inbox: []plan.InboxEntry{{Kind: plan.Ignored, Priority: plan.PriorityLow}}}

func state(t *testing.T, db *sqlx.DB) string {
	t.Helper()
	var s string
	if err := db.Get(&s, `SELECT state FROM outbox`); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOneMessageWhateverTheOrderOfRevisionsAndRemovals(t *testing.T) {
	for _, c := range []struct {
		name  string
		steps func(t *testing.T, db *sqlx.DB, a *postgres.Actions)
		want  string
	}{
		{"complaint stored twice", func(t *testing.T, db *sqlx.DB, a *postgres.Actions) {
			classified(t, db, "")
			must(t, a.Save(ctx, item(""), complaint))
			must(t, a.Save(ctx, item(""), complaint))
		}, "pending"},
		{"complaint, then an edit to praise", func(t *testing.T, db *sqlx.DB, a *postgres.Actions) {
			classified(t, db, "")
			must(t, a.Save(ctx, item(""), complaint))
			classified(t, db, "e1")
			must(t, a.Save(ctx, item("e1"), praise))
		}, "cancelled"},
		{"the edit to praise stored before the complaint", func(t *testing.T, db *sqlx.DB, a *postgres.Actions) {
			classified(t, db, "e1")
			must(t, a.Save(ctx, item("e1"), praise))
			must(t, a.Save(ctx, item(""), complaint))
		}, "cancelled"},
		{"an edited complaint stored after the original was superseded", func(t *testing.T, db *sqlx.DB, a *postgres.Actions) {
			classified(t, db, "e1")
			must(t, a.Save(ctx, item(""), complaint))
			must(t, a.Save(ctx, item("e1"), complaint))
		}, "pending"},
		{"an edit that needs review holds the message not yet sent", func(t *testing.T, db *sqlx.DB, a *postgres.Actions) {
			classified(t, db, "")
			must(t, a.Save(ctx, item(""), complaint))
			classified(t, db, "e1")
			must(t, a.Save(ctx, item("e1"), held))
			must(t, a.Save(ctx, item(""), complaint)) // the old revision redelivered changes nothing
		}, "held"},
		{"a message already sent is never touched by an edit", func(t *testing.T, db *sqlx.DB, a *postgres.Actions) {
			classified(t, db, "")
			must(t, a.Save(ctx, item(""), complaint))
			_, _ = db.Exec(`UPDATE outbox SET state = 'sent'`)
			classified(t, db, "e1")
			must(t, a.Save(ctx, item("e1"), held))
		}, "sent"},
		{"removed before the plan", func(t *testing.T, db *sqlx.DB, a *postgres.Actions) {
			_, err := a.Removed(ctx, "org", item("").ID, time.Now())
			must(t, err)
			classified(t, db, "")
			must(t, a.Save(ctx, item(""), complaint))
		}, "cancelled"},
		{"removed after the plan", func(t *testing.T, db *sqlx.DB, a *postgres.Actions) {
			classified(t, db, "")
			must(t, a.Save(ctx, item(""), complaint))
			n, err := a.Removed(ctx, "org", item("").ID, time.Now())
			must(t, err)
			if n != 1 {
				t.Errorf("%d messages cancelled, want 1", n)
			}
		}, "cancelled"},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, _ := storetest.New(t)
			c.steps(t, db, postgres.NewActions(db))
			var n int
			_ = db.Get(&n, `SELECT count(*) FROM outbox`)
			if n != 1 {
				t.Fatalf("%d messages, want exactly 1", n)
			}
			if got := state(t, db); got != c.want {
				t.Errorf("message %s, want %s", got, c.want)
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A batch may hold two revisions of one item: it ends as if each had been stored on its own, in
// the batch's order.
func TestABatchEndsAsIfEachPlanWereStoredOneByOne(t *testing.T) {
	revised := func(rev string) feedback.Item { return item(rev) }
	other := feedback.Item{ID: feedback.ItemID("org", feedback.FacebookComment, "c2"), Organisation: "org", Practice: "p",
		Channel: feedback.FacebookComment, SourceID: "c2", Text: "t", WrittenAt: time.Now()}
	for _, c := range []struct {
		name   string
		newest string
		batch  []postgres.Planned
	}{
		{"complaint then praise", "r2", []postgres.Planned{{Item: revised("r1"), Plan: complaint}, {Item: other, Plan: complaint}, {Item: revised("r2"), Plan: praise}}},
		{"praise then complaint", "r2", []postgres.Planned{{Item: revised("r1"), Plan: praise}, {Item: revised("r2"), Plan: complaint}, {Item: other, Plan: held}}},
		{"held then complaint", "r2", []postgres.Planned{{Item: revised("r2"), Plan: held}, {Item: revised("r1"), Plan: complaint}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			outcome := func(oneByOne bool) []string {
				db, _ := storetest.New(t)
				classified(t, db, c.newest)
				if _, err := db.Exec(`INSERT INTO items (id, organisation, practice, channel, source_id, body, written_at, first_written_at)
					VALUES ($1, 'org', 'p', 'facebook_comment', 'c2', 't', now(), now())`, other.ID); err != nil {
					t.Fatal(err)
				}
				a := postgres.NewActions(db)
				if oneByOne {
					for _, p := range c.batch {
						if err := a.Save(ctx, p.Item, p.Plan); err != nil {
							t.Fatal(err)
						}
					}
				} else if err := a.SaveBatch(ctx, c.batch); err != nil {
					t.Fatal(err)
				}
				var rows []string
				if err := db.Select(&rows, `
					SELECT item_id || ' outbox ' || state || ' ' || state_reason FROM outbox
					UNION ALL SELECT item_id || ' inbox ' || kind FROM inbox_entries ORDER BY 1`); err != nil {
					t.Fatal(err)
				}
				return rows
			}
			one, batch := outcome(true), outcome(false)
			if strings.Join(one, "\n") != strings.Join(batch, "\n") {
				t.Errorf("one by one:\n%s\nas a batch:\n%s", strings.Join(one, "\n"), strings.Join(batch, "\n"))
			}
		})
	}
}

func TestALateOlderRevisionBringsNoInboxEntryBack(t *testing.T) {
	db, _ := storetest.New(t)
	a := postgres.NewActions(db)
	classified(t, db, "r2") // the item's newest revision is r2
	if err := a.Save(ctx, item("r2"), praise); err != nil {
		t.Fatal(err)
	}
	withCase := complaint
	withCase.Case = &plan.ComplaintCaseOpened{ReceivedOn: time.Now(), AcknowledgeBy: time.Now()}
	if err := a.Save(ctx, item("r1"), withCase); err != nil { // r1's event, redelivered late
		t.Fatal(err)
	}
	var kinds []string
	if err := db.Select(&kinds, `SELECT kind FROM inbox_entries ORDER BY kind`); err != nil {
		t.Fatal(err)
	}
	var cases int
	if err := db.Get(&cases, `SELECT count(*) FROM complaint_cases`); err != nil {
		t.Fatal(err)
	}
	if strings.Join(kinds, ",") != "ignored" || cases != 0 {
		t.Errorf("inbox %v and %d complaint cases: the older revision brought its actions back", kinds, cases)
	}
	if got := state(t, db); got != "cancelled" {
		t.Errorf("the older revision's message is %s, want cancelled", got)
	}
}

func TestACorrectionThatAsksNothingOfThePatientCancelsSayingSo(t *testing.T) {
	db, _ := storetest.New(t)
	a := postgres.NewActions(db)
	classified(t, db, "")
	if err := a.Save(ctx, item(""), complaint); err != nil {
		t.Fatal(err)
	}
	classified(t, db, "correction-1")
	if err := a.SaveBatch(ctx, []postgres.Planned{{Item: item("correction-1"), Plan: praise, DecidedByPerson: true}}); err != nil {
		t.Fatal(err)
	}
	var s, reason string
	if err := db.QueryRow(`SELECT state, state_reason FROM outbox`).Scan(&s, &reason); err != nil {
		t.Fatal(err)
	}
	if s != "cancelled" || !strings.Contains(reason, "Practice Manager corrected") {
		t.Errorf("message %s (%q), want cancelled because a Practice Manager corrected the decision", s, reason)
	}
}

func TestAnEditThatBreaksNoRuleWithdrawsAModerationRequestNotYetCarriedOut(t *testing.T) {
	db, _ := storetest.New(t)
	a := postgres.NewActions(db)
	classified(t, db, "")
	abusive := plan.Plan{Inbox: []plan.InboxEntry{{Kind: plan.Moderation, Priority: plan.PriorityNormal}},
		Moderation: &plan.ModerationRequest{Flags: []feedback.Flag{feedback.Abusive}, Hide: true}}
	if err := a.Save(ctx, item(""), abusive); err != nil {
		t.Fatal(err)
	}
	classified(t, db, "r2")
	if err := a.Save(ctx, item("r2"), praise); err != nil {
		t.Fatal(err)
	}
	var s, reason string
	if err := db.QueryRow(`SELECT state, state_reason FROM moderation_requests`).Scan(&s, &reason); err != nil {
		t.Fatal(err)
	}
	if s != "withdrawn" || !strings.Contains(reason, "edited") {
		t.Errorf("moderation request %s (%q), want withdrawn because the author edited the post", s, reason)
	}
}
