package faults

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/shared/event"
)

// stored is one item as the database holds it, with what was decided and done about it.
type stored struct {
	ID         string `db:"id"`
	SourceID   string `db:"source_id"`
	Email      string `db:"email"`
	Decisions  int    `db:"decisions"`
	Inbox      string `db:"inbox"`  // inbox entry kinds, sorted, comma-separated
	Outbox     string `db:"outbox"` // medium:state of each message to the patient
	Cases      int    `db:"cases"`
	Moderation int    `db:"moderation"`
	// Stuck is true when a message has been "sending" for over 2 seconds: its worker is gone (a
	// live worker sends a claimed message within moments, or gives it back).
	Stuck bool `db:"stuck"`
}

func (p *pipeline) storedItems() (map[string]stored, error) {
	var rows []stored
	err := p.db.Select(&rows, `
		SELECT i.id::text AS id, i.source_id, i.email,
		       (SELECT count(*) FROM decisions d WHERE d.item_id = i.id) AS decisions,
		       COALESCE((SELECT string_agg(kind, ',' ORDER BY kind) FROM inbox_entries e WHERE e.item_id = i.id), '') AS inbox,
		       COALESCE((SELECT string_agg(medium || ':' || state, ',' ORDER BY medium) FROM outbox o WHERE o.item_id = i.id), '') AS outbox,
		       (SELECT count(*) FROM complaint_cases c WHERE c.item_id = i.id) AS cases,
		       (SELECT count(*) FROM moderation_requests m WHERE m.item_id = i.id) AS moderation,
		       EXISTS (SELECT 1 FROM outbox o WHERE o.item_id = i.id AND o.state = 'sending'
		                                      AND o.updated_at < now() - interval '2 seconds') AS stuck
		FROM items i`)
	out := make(map[string]stored, len(rows))
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, err
}

// complaintDone says whether a website complaint with an email has everything a single clean
// pass gives it: one decision, the inbox task to signpost the Complaints Procedure, and the email
// sent. With interruptedSends, an email stuck "sending" also counts: its worker was killed or
// lost Postgres between claiming and recording it, and the notifier deliberately leaves it for a
// person rather than risk a second email (README, "What happens next").
func complaintDone(s stored, interruptedSends bool) bool {
	return s.Decisions == 1 && s.Inbox == "signpost" && s.Cases == 0 && s.Moderation == 0 &&
		(s.Outbox == "email:sent" || interruptedSends && s.Outbox == "email:sending" && s.Stuck)
}

// settled is what checkComplaints found.
type settled struct {
	accepted, stored, emails int
	// interrupted messages are left "sending"; unsent of them never reached Notify.
	interrupted, unsent int
	// waited is how long it took from the check's start until everything was done.
	waited time.Duration
}

func (s settled) String() string {
	return fmt.Sprintf("%d acknowledged, %d stored, %d emails sent, %d sends interrupted (%d of them never sent); settled after %s",
		s.accepted, s.stored, s.emails, s.interrupted, s.unsent, s.waited.Round(time.Millisecond))
}

// checkComplaints waits until every complaint intake acknowledged has been decided and acted on,
// then checks the guarantees: each is stored exactly once with one decision and one set of
// actions; whatever else was stored (a refused request may still have been kept) is one of the
// test's complaints and equally complete; no patient got more than one email, and each sent
// message is exactly one email; nothing was dead-lettered.
func (p *pipeline) checkComplaints(l *ledger, interruptedSends bool) settled {
	p.t.Helper()
	accepted := l.acceptedIDs()
	if len(accepted) == 0 {
		p.t.Fatalf("intake acknowledged nothing (answers by status: %v)", l.summary())
	}
	var items map[string]stored
	began := time.Now()
	deadline := began.Add(60 * time.Second)
	for {
		var err error
		items, err = p.storedItems()
		if err == nil && allDone(accepted, items, interruptedSends) {
			break
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("60s on, not every acknowledged item was processed: %s (last error %v)", missing(accepted, items, interruptedSends), err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	res := settled{accepted: len(accepted), stored: len(items), waited: time.Since(began)}
	time.Sleep(300 * time.Millisecond) // the delivery worker polls every 20 ms: give a second email its chance
	prefix := "faults-" + l.run + "-"
	for id, s := range items {
		switch {
		case !strings.HasPrefix(s.SourceID, prefix):
			p.t.Errorf("item %s (source %s) was never sent by this test", id, s.SourceID)
		case !complaintDone(s, interruptedSends):
			p.t.Errorf("item %s (not acknowledged, stored anyway) is incomplete: %+v", id, s)
		case s.Outbox == "email:sending":
			res.interrupted++
		}
	}
	emails := p.emailsByRecipient()
	for _, n := range emails {
		res.emails += n
	}
	byEmail := map[string]stored{}
	for _, s := range items {
		byEmail[s.Email] = s
	}
	for _, to := range sortedKeys(emails) {
		s, ok := byEmail[to]
		switch {
		case !ok:
			p.t.Errorf("an email went to an address no stored item has (%d of them)", emails[to])
		case emails[to] > 1:
			p.t.Errorf("the patient of item %s got %d emails", s.ID, emails[to])
		}
	}
	for _, s := range items {
		switch {
		case s.Outbox == "email:sent" && emails[s.Email] != 1:
			p.t.Errorf("item %s: its message is recorded sent, and Notify took %d emails for it", s.ID, emails[s.Email])
		case s.Outbox == "email:sending" && emails[s.Email] == 0:
			res.unsent++
		}
	}
	if n := streamMessages(p.t, p.nats.jetStream(p.t), event.Topology{}.DeadLetterStream(), ""); n != 0 {
		p.t.Errorf("%d messages were dead-lettered", n)
	}
	return res
}

func allDone(accepted map[string]int, items map[string]stored, interruptedSends bool) bool {
	for id := range accepted {
		if s, ok := items[id]; !ok || !complaintDone(s, interruptedSends) {
			return false
		}
	}
	for _, s := range items {
		if !complaintDone(s, interruptedSends) {
			return false
		}
	}
	return true
}

// missing describes what is still missing, for a failure message.
func missing(accepted map[string]int, items map[string]stored, interruptedSends bool) string {
	var lost []string
	incomplete := map[string]int{} // by what they have
	for id := range accepted {
		s, ok := items[id]
		switch {
		case !ok:
			lost = append(lost, id)
		case !complaintDone(s, interruptedSends):
			incomplete[fmt.Sprintf("decisions=%d inbox=%q outbox=%q", s.Decisions, s.Inbox, s.Outbox)]++
		}
	}
	if len(lost) > 5 {
		lost = append(lost[:5], fmt.Sprintf("… (%d in all)", len(lost)))
	}
	return fmt.Sprintf("of %d acknowledged, not stored: [%s]; incomplete: %v", len(accepted), strings.Join(lost, ", "), incomplete)
}

// noteStuckEmails logs the emails a Postgres fault left "sending" although they never reached
// Notify. This is a bug of the notifier's delivery worker, reported with this package: a batch
// it claimed (marked "sending") whose claim it can neither refresh nor release while Postgres is
// unreachable stays "sending", and two minutes later every email among them is failed as "may
// have gone out", so the patient is never sent it. When that is fixed, check with
// interruptedSends false in the tests that call this.
func noteStuckEmails(t *testing.T, res settled) {
	t.Helper()
	if res.unsent > 0 {
		t.Logf("KNOWN BUG (services/notifier/internal/delivery): %d emails left \"sending\" that never reached Notify", res.unsent)
	}
}
