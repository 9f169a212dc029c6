package faults

import (
	"context"
	"testing"
	"time"

	"github.com/signpost/signpost/services/classifier"
	"github.com/signpost/signpost/services/notifier"
	"github.com/signpost/signpost/shared/bustest"
	"github.com/signpost/signpost/shared/event"
)

// Fault 1: the classifier or the notifier is killed with SIGKILL in the middle of a batch, while
// items keep arriving, and started again. To be sure the kill lands mid-batch, whatever the
// machine's load, a transaction of the test's own holds the table the victim writes: the victim
// takes a batch of the backlog, opens its transactions and waits; it is killed there, with
// messages delivered and unacknowledged and transactions open. A killed notifier may also leave
// the message it was sending "sending": by design that one is never sent again automatically
// (README, "What happens next").
func TestAClassifierOrNotifierKilledMidBatchLosesNothingAndDoesNothingTwice(t *testing.T) {
	const backlog, during = 300, 100
	for _, victim := range []struct {
		name, handler, eventType, table string
	}{
		{"classifier", classifier.HandlerName, event.Received, "decisions"},
		{"notifier", notifier.HandlerName, event.Routed, "inbox_entries"},
	} {
		t.Run(victim.name, func(t *testing.T) {
			p := newPipeline(t, map[string]string{"BUS_ACK_WAIT": "2s"})
			svc := map[string]*service{"classifier": p.classifier, "notifier": p.notifier}[victim.name]
			for _, s := range p.services() {
				if s != svc {
					s.start()
					s.waitReady()
				}
			}
			l := newLedger("kill-" + victim.name)
			sendComplaints(p.ingest.URL(), l, 0, backlog, 8)
			acceptedAll(t, l, backlog)
			if victim.name == "notifier" {
				p.waitCount("the backlog to be decided", decided, backlog, 60*time.Second)
			}

			ctx := context.Background()
			hold, err := p.db.BeginTxx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer hold.Rollback()
			if _, err := hold.ExecContext(ctx, `LOCK TABLE `+victim.table+` IN ACCESS EXCLUSIVE MODE`); err != nil {
				t.Fatal(err)
			}
			svc.restart()
			flowing := sendInBackground(p.ingest.URL(), l, backlog, backlog+during, 4)
			js := p.nats.jetStream(t)
			var inFlight int
			bustest.WaitFor(t, victim.name+" to take a batch", func() bool {
				inFlight = consumerInfo(t, js, victim.handler).NumAckPending
				return inFlight >= 8
			})
			svc.kill()
			if err := hold.Rollback(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(300 * time.Millisecond) // items keep arriving while it is down
			svc.restart()
			<-flowing

			res := p.checkComplaints(l, victim.name == "notifier")
			noteStuckEmails(t, res)
			again := p.redeliveries(js, victim.handler, victim.eventType)
			if again < inFlight {
				t.Errorf("JetStream delivered %d messages again, fewer than the %d the killed %s held unacknowledged", again, inFlight, victim.name)
			}
			t.Logf("killed %s with %d messages unacknowledged; %d deliveries repeated; %s; answers by status %v",
				victim.name, inFlight, again, res, l.summary())
		})
	}
}
