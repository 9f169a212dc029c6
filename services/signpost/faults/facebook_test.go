package faults

import (
	"net/http"
	"testing"
	"time"

	"github.com/signpost/signpost/services/classifier"
	"github.com/signpost/signpost/services/notifier"
	"github.com/signpost/signpost/shared/event"
)

// Fault 7: Meta delivers the same comment five times; one delivery meets a failure (intake cannot
// reach Postgres and answers 503), one is stored but its answer is lost on the way back; and Meta
// delivers it once more after the stream's duplicate window has passed, so the duplicate reaches
// the classifier and only the database's keys stand between it and a second message. One item,
// one decision, one private reply.
func TestTheSameFacebookDeliveryFiveTimesAndAfterTheDuplicateWindowMakesOneItemAndOneMessage(t *testing.T) {
	const window = 2 * time.Second
	p := newPipeline(t, map[string]string{"BUS_DUPLICATE_WINDOW": window.String()})
	pgProxy := proxyTo(t, hostPort(p.env["DATABASE_URL"]))
	p.setFor("ingest", "DATABASE_URL", viaProxy(p.env["DATABASE_URL"], pgProxy))
	p.start()
	meta := proxyTo(t, p.ingest.addr) // the network between Meta and intake
	js := p.nats.jetStream(t)

	const comment = "202_7_1"
	written := time.Now().Add(-time.Hour).Truncate(time.Second)
	p.graph.AddComment(comment, written)
	body := facebookComplaint(comment, written)
	direct, viaMeta := p.ingest.URL(), "http://"+meta.Addr()

	if o := deliverFacebook(direct, body); o.status != http.StatusOK {
		t.Fatalf("delivery 1 answered %d %q (%v)", o.status, o.detail, o.err)
	}
	pgProxy.Refuse(true)
	pgProxy.Cut()
	o := deliverFacebook(direct, body)
	pgProxy.Refuse(false)
	if o.status != http.StatusServiceUnavailable || o.contentType != "application/problem+json" || o.detail == "" {
		t.Errorf("delivery 2, with Postgres out of intake's reach, answered %d %q %q (%v); want 503 with a reason",
			o.status, o.contentType, o.detail, o.err)
	}
	meta.ResetAfter(1)
	if o := deliverFacebook(viaMeta, body); o.err == nil {
		t.Errorf("delivery 3 was meant to lose its answer, and got %d", o.status)
	}
	meta.Heal()
	for i := 4; i <= 5; i++ {
		if o := deliverFacebook(direct, body); o.status != http.StatusOK {
			t.Fatalf("delivery %d answered %d %q (%v)", i, o.status, o.detail, o.err)
		}
	}
	p.waitCount("the private reply to be sent", `SELECT count(*) FROM outbox WHERE state = 'sent'`, 1, 30*time.Second)

	time.Sleep(window + 500*time.Millisecond)
	if o := deliverFacebook(direct, body); o.status != http.StatusOK {
		t.Fatalf("delivery 6, after the duplicate window, answered %d %q (%v)", o.status, o.detail, o.err)
	}
	received := streamMessages(t, js, event.Topology{}.FeedbackStream(), event.Topology{}.Subject(event.Received))
	if received < 2 {
		t.Fatalf("the stream holds %d received events: no delivery got past the duplicate window, so the database's guard was not tried", received)
	}
	waitConsumed(t, p, classifier.HandlerName)
	waitConsumed(t, p, notifier.HandlerName)
	time.Sleep(300 * time.Millisecond) // the delivery worker polls every 20 ms: give a second reply its chance

	items, err := p.storedItems()
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 {
		t.Fatalf("%d items stored, want 1: %+v", len(items), items)
	}
	for _, s := range items {
		if s.SourceID != comment || s.Decisions != 1 || s.Inbox != "delete_requested" || s.Outbox != "facebook_private_reply:sent" {
			t.Errorf("stored %+v, want one decision, one delete request in the inbox and one private reply sent", s)
		}
	}
	delivered, requested := p.repliesByComment()
	if delivered[comment] != 1 || requested[comment] != 1 || len(delivered) != 1 {
		t.Errorf("Facebook delivered %v private replies after %v requests; want exactly one of each, to %s", delivered, requested, comment)
	}
	t.Logf("6 deliveries (one 503, one answer lost) made %d received events in the stream, 1 item, %d private reply",
		received, delivered[comment])
}

// waitConsumed waits until a handler's consumer has every message of the stream acknowledged.
func waitConsumed(t *testing.T, p *pipeline, handler string) {
	t.Helper()
	js := p.nats.jetStream(t)
	deadline := time.Now().Add(30 * time.Second)
	for {
		info := consumerInfo(t, js, handler)
		if info.NumPending == 0 && info.NumAckPending == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still has %d messages pending and %d awaiting an ack", handler, info.NumPending, info.NumAckPending)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
