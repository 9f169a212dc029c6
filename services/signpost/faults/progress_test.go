package faults

import (
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/signpost/signpost/shared/event"
)

// Progress of each handler, as rows it has stored.
const (
	decided = `SELECT count(*) FROM decisions`
	planned = `SELECT count(*) FROM inbox_entries`
)

// count runs a count query on the test's own connection; -1 when the database does not answer.
func (p *pipeline) count(query string) int {
	var n int
	if err := p.db.Get(&n, query); err != nil {
		return -1
	}
	return n
}

// waitCount waits until query counts at least n, for up to limit, and returns the count.
func (p *pipeline) waitCount(what, query string, n int, limit time.Duration) int {
	p.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		if got := p.count(query); got >= n {
			return got
		} else if time.Now().After(deadline) {
			p.t.Fatalf("waited %s for %s: %d of %d", limit, what, got, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// redeliveries is how many times JetStream delivered a handler's messages again: the deliveries
// it made beyond one per message on the handler's subject.
func (p *pipeline) redeliveries(js jetstream.JetStream, handler, eventType string) int {
	p.t.Helper()
	info := consumerInfo(p.t, js, handler)
	sent := streamMessages(p.t, js, event.Topology{}.FeedbackStream(), event.Topology{}.Subject(eventType))
	return int(info.Delivered.Consumer) - int(sent)
}

// acceptedAll fails the test unless intake acknowledged every complaint of l.
func acceptedAll(t *testing.T, l *ledger, n int) {
	t.Helper()
	if got := len(l.acceptedIDs()); got != n {
		t.Fatalf("intake acknowledged %d of %d complaints with no fault injected (answers by status: %v)", got, n, l.summary())
	}
}
