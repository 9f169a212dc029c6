package faults

import (
	"context"
	"testing"
	"time"

	"github.com/signpost/signpost/services/classifier"
	"github.com/signpost/signpost/services/notifier"
	"github.com/signpost/signpost/shared/event"
)

// Fault 6: a handler slower than the ack wait. A transaction of the test's own holds the table
// the handler must write for several ack waits, so JetStream takes the message for lost and
// delivers it again while the first attempt is still blocked; once released there is one decision
// and one set of actions per item, and one email. First the classifier is held up, then the
// notifier.
func TestAHandlerSlowerThanTheAckWaitHasNoDoubleEffect(t *testing.T) {
	const items, ackWait = 5, time.Second
	p := newPipeline(t, map[string]string{"BUS_ACK_WAIT": ackWait.String()})
	p.start()
	js := p.nats.jetStream(t)
	l := newLedger("slow")
	for i, slow := range []struct {
		handler, eventType, table string
	}{
		{classifier.HandlerName, event.Received, "decisions"},
		{notifier.HandlerName, event.Routed, "inbox_entries"},
	} {
		ctx := context.Background()
		tx, err := p.db.BeginTxx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `LOCK TABLE `+slow.table+` IN ACCESS EXCLUSIVE MODE`); err != nil {
			t.Fatal(err)
		}
		var before int
		if err := tx.Get(&before, `SELECT count(*) FROM `+slow.table); err != nil {
			t.Fatal(err)
		}
		sendComplaints(p.ingest.URL(), l, i*items, (i+1)*items, items)
		acceptedAll(t, l, (i+1)*items)

		// Hold the lock for several ack waits: the handler cannot finish meanwhile.
		var pending int
		deadline := time.Now().Add(3 * ackWait)
		for time.Now().Before(deadline) {
			pending = max(pending, consumerInfo(t, js, slow.handler).NumAckPending)
			time.Sleep(50 * time.Millisecond)
		}
		var after int
		if err := tx.Get(&after, `SELECT count(*) FROM `+slow.table); err != nil {
			t.Fatal(err)
		}
		if after != before || pending == 0 {
			t.Fatalf("while %s was locked %d rows were written and at most %d messages awaited an ack: %s was not held up",
				slow.table, after-before, pending, slow.handler)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}

		res := p.checkComplaints(l, false)
		if want := (i + 1) * items; res.stored != want || res.emails != want {
			t.Errorf("%s, want %d stored and %d emails", res, want, want)
		}
		t.Logf("%s held up for %s (ack wait %s): %d deliveries repeated; %s",
			slow.handler, 3*ackWait, ackWait, p.redeliveries(js, slow.handler, slow.eventType), res)
	}
}
