package bus_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/bustest"
)

// runRouter runs r until the test ends and returns once it consumes.
func runRouter(t *testing.T, r *bus.Router) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := r.Close(); err != nil {
			t.Errorf("close router: %v", err)
		}
	})
	select {
	case <-r.Running():
	case err := <-done:
		t.Fatalf("router stopped: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("router did not start")
	}
}

func newRouter(t *testing.T, n bustest.NATS) *bus.Router {
	t.Helper()
	r, err := bus.NewRouter(n.Connect, n.Topology, bustest.Settings(),
		func(err error) bool { return errors.Is(err, errDatabaseDown) }, watermill.NopLogger{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// ledger is what a batch handler stored: how often each payload was committed, and the batch sizes.
type ledger struct {
	mu      sync.Mutex
	stored  map[string]int
	batches []int
}

func (l *ledger) commit(payloads []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stored == nil {
		l.stored = map[string]int{}
	}
	for _, p := range payloads {
		l.stored[p]++
	}
	l.batches = append(l.batches, len(payloads))
}

func (l *ledger) count() (distinct, total int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, n := range l.stored {
		distinct++
		total += n
	}
	return distinct, total
}

// batchSizes is a bus.Observer that keeps the batch sizes reported for each handler.
type batchSizes struct {
	mu    sync.Mutex
	sizes map[string][]int
}

func (b *batchSizes) BatchTaken(handler string, messages int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.sizes == nil {
		b.sizes = map[string][]int{}
	}
	b.sizes[handler] = append(b.sizes[handler], messages)
}

func (b *batchSizes) sorted(handler string) []int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Sorted(slices.Values(b.sizes[handler]))
}

func (*batchSizes) HandlerAdded(string)               {}
func (*batchSizes) HandlerDone(string, time.Duration) {}
func (*batchSizes) Retried(string)                    {}
func (*batchSizes) DeadLettered(string)               {}

// storeAll is a batch handler that commits every message unless fail says otherwise for the batch
// (the transaction failed) or for one message (kept out of the transaction).
func storeAll(l *ledger, batchErr func([]string) error, msgErr func(string) error) bus.BatchHandler {
	return func(_ context.Context, msgs []*message.Message) ([]bus.Result, error) {
		payloads := make([]string, len(msgs))
		for i, m := range msgs {
			payloads[i] = string(m.Payload)
		}
		if batchErr != nil {
			if err := batchErr(payloads); err != nil {
				return nil, err
			}
		}
		results := make([]bus.Result, len(msgs))
		var committed []string
		for i, p := range payloads {
			if msgErr != nil {
				if results[i].Err = msgErr(p); results[i].Err != nil {
					continue
				}
			}
			committed = append(committed, p)
		}
		l.commit(committed)
		return results, nil
	}
}

// routed makes h ask for one event per message it stored.
func routed(h bus.BatchHandler) bus.BatchHandler {
	return func(ctx context.Context, msgs []*message.Message) ([]bus.Result, error) {
		results, err := h(ctx, msgs)
		for i := range results {
			if results[i].Err == nil {
				p := msgs[i].Payload
				results[i].Publish = []*message.Message{bus.NewMessage(uuid.NewSHA1(uuid.NameSpaceURL, p), append([]byte("routed-"), p...), "c")}
			}
		}
		return results, err
	}
}

func bodies(n int, prefix string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%d", prefix, i)
	}
	return out
}

func TestBatchHandlerStoresQueuedMessagesInBatchesAndPublishesTheirEvents(t *testing.T) {
	n := bustest.Start(t)
	publish(t, n, bodies(500, "item")...)
	var l ledger
	var seen batchSizes
	r := newRouter(t, n)
	r.Observe(&seen)
	if err := r.HandleBatch("test.batch", "feedback.received", "feedback.routed", routed(storeAll(&l, nil, nil))); err != nil {
		t.Fatal(err)
	}
	runRouter(t, r)
	bustest.WaitFor(t, "500 stored and 500 events published", func() bool {
		d, _ := l.count()
		return d == 500 && len(n.Messages(t, n.Topology.FeedbackStream())) == 1000
	})
	if _, total := l.count(); total != 500 {
		t.Errorf("%d commits for 500 messages: a message was stored twice", total)
	}
	l.mu.Lock()
	largest := slices.Max(l.batches)
	handled := slices.Sorted(slices.Values(l.batches))
	l.mu.Unlock()
	if largest < 2 {
		t.Errorf("largest batch %d: queued messages were not taken together", largest)
	}
	// The sizes an operator sees in signpost_handler_batch_messages are the batches handled.
	if reported := seen.sorted("test.batch"); !slices.Equal(reported, handled) {
		t.Errorf("batch sizes reported %v, handled %v", reported, handled)
	}
	if dl := deadLetters(t, n); len(dl) != 0 {
		t.Errorf("%d dead letters", len(dl))
	}
}

func TestABatchThatFailsIsSplitAndOnlyThePoisonMessageIsDeadLettered(t *testing.T) {
	n := bustest.Start(t)
	all := bodies(50, "ok")
	all = slices.Insert(all, 20, "poison")
	publish(t, n, all...)
	var l ledger
	r := newRouter(t, n)
	failsWithPoison := func(ps []string) error {
		if slices.Contains(ps, "poison") {
			return errors.New("constraint violated") // the whole transaction rolls back
		}
		return nil
	}
	if err := r.HandleBatch("test.batch", "feedback.received", "", storeAll(&l, failsWithPoison, nil)); err != nil {
		t.Fatal(err)
	}
	runRouter(t, r)
	bustest.WaitFor(t, "50 stored and the poison dead-lettered", func() bool {
		d, _ := l.count()
		return d == 50 && len(deadLetters(t, n)) == 1
	})
	dl := deadLetters(t, n)[0]
	if string(dl.Data) != "poison" || dl.Header.Get("attempts") != "3" || dl.Header.Get("handler_poisoned") != "test.batch" ||
		dl.Header.Get("reason_poisoned") != "constraint violated" || dl.Header.Get("topic_poisoned") != n.Topology.Subject("feedback.received") {
		t.Errorf("dead letter %q with headers %v", dl.Data, dl.Header)
	}
	if _, total := l.count(); total != 50 {
		t.Errorf("%d commits for 50 good messages", total)
	}
}

func TestAMessageMarkedPermanentIsDeadLetteredAtOnceAndTheBatchStored(t *testing.T) {
	n := bustest.Start(t)
	publish(t, n, "a", "malformed", "b")
	var l ledger
	r := newRouter(t, n)
	calls := map[string]int{}
	var mu sync.Mutex
	malformed := func(p string) error {
		mu.Lock()
		defer mu.Unlock()
		calls[p]++
		if p == "malformed" {
			return bus.Permanent(errors.New("not an event"))
		}
		return nil
	}
	if err := r.HandleBatch("test.batch", "feedback.received", "", storeAll(&l, nil, malformed)); err != nil {
		t.Fatal(err)
	}
	runRouter(t, r)
	bustest.WaitFor(t, "two stored and one dead letter", func() bool {
		d, _ := l.count()
		return d == 2 && len(deadLetters(t, n)) == 1
	})
	mu.Lock()
	defer mu.Unlock()
	if calls["malformed"] != 1 {
		t.Errorf("a permanent failure was tried %d times", calls["malformed"])
	}
}

func TestABatchMeetingAnUnavailableDatabaseWaitsAndIsStoredOnceItIsBack(t *testing.T) {
	n := bustest.Start(t)
	publish(t, n, bodies(30, "item")...)
	var l ledger
	var mu sync.Mutex
	down := 3
	outage := func([]string) error {
		mu.Lock()
		defer mu.Unlock()
		if down > 0 {
			down--
			return errDatabaseDown
		}
		return nil
	}
	r := newRouter(t, n)
	if err := r.HandleBatch("test.batch", "feedback.received", "", storeAll(&l, outage, nil)); err != nil {
		t.Fatal(err)
	}
	runRouter(t, r)
	bustest.WaitFor(t, "30 stored after the outage", func() bool { d, _ := l.count(); return d == 30 })
	if dl := deadLetters(t, n); len(dl) != 0 {
		t.Errorf("%d dead letters: an outage is not poison", len(dl))
	}
}

func TestAHandlerThatPanicsOnOneMessageLosesNoOther(t *testing.T) {
	n := bustest.Start(t)
	publish(t, n, "a", "b", "crash", "c")
	var l ledger
	crash := func(ps []string) error {
		if slices.Contains(ps, "crash") {
			panic("index out of range")
		}
		return nil
	}
	r := newRouter(t, n)
	if err := r.HandleBatch("test.batch", "feedback.received", "", storeAll(&l, crash, nil)); err != nil {
		t.Fatal(err)
	}
	runRouter(t, r)
	bustest.WaitFor(t, "three stored and the crash dead-lettered", func() bool {
		d, _ := l.count()
		return d == 3 && len(deadLetters(t, n)) == 1
	})
}

// An earlier version consumed through a push consumer made by Watermill; one left behind (say, by
// a process that was killed) is replaced, and the batch handler carries on after what it
// acknowledged.
func TestABatchHandlerTakesOverAnEarlierPushConsumerWithoutReplayingIt(t *testing.T) {
	n := bustest.Start(t)
	publish(t, n, bodies(20, "before")...)
	js := n.JetStream(t)
	nc := js.Conn()
	durable := n.Topology.Consumer("test.handler")
	ctx := context.Background()
	if _, err := js.CreateConsumer(ctx, n.Topology.FeedbackStream(), jetstream.ConsumerConfig{Durable: durable,
		DeliverSubject: nats.NewInbox(), AckPolicy: jetstream.AckExplicitPolicy,
		FilterSubject: n.Topology.Subject("feedback.received")}); err != nil {
		t.Fatal(err)
	}
	legacy, err := nc.JetStream()
	if err != nil {
		t.Fatal(err)
	}
	acked := make(chan struct{}, 20)
	sub, err := legacy.Subscribe(n.Topology.Subject("feedback.received"), func(m *nats.Msg) {
		if err := m.AckSync(); err == nil {
			acked <- struct{}{}
		}
	}, nats.Bind(n.Topology.FeedbackStream(), durable), nats.ManualAck())
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		<-acked
	}
	if err := sub.Unsubscribe(); err != nil {
		t.Fatal(err)
	}

	var l ledger
	r := newRouter(t, n)
	if err := r.HandleBatch("test.handler", "feedback.received", "", storeAll(&l, nil, nil)); err != nil {
		t.Fatal(err)
	}
	runRouter(t, r)
	publish(t, n, bodies(10, "after")...)
	bustest.WaitFor(t, "the batch handler took the 10 new ones", func() bool { d, _ := l.count(); return d >= 10 })
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, b := range bodies(20, "before") {
		if l.stored[b] > 0 {
			t.Fatalf("%s, acknowledged by the old consumer, was delivered again", b)
		}
	}
	for _, b := range bodies(10, "after") {
		if l.stored[b] != 1 {
			t.Errorf("%s stored %d times", b, l.stored[b])
		}
	}
}

func TestAHandlerWithNowhereToPublishThatAsksToIsDeadLetteredNotRedelivered(t *testing.T) {
	n := bustest.Start(t)
	publish(t, n, "a", "b")
	var l ledger
	r := newRouter(t, n)
	if err := r.HandleBatch("test.batch", "feedback.received", "", routed(storeAll(&l, nil, nil))); err != nil {
		t.Fatal(err)
	}
	runRouter(t, r)
	bustest.WaitFor(t, "both dead-lettered", func() bool { return len(deadLetters(t, n)) == 2 })
	for _, dl := range deadLetters(t, n) {
		if reason := dl.Header.Get("reason_poisoned"); !strings.Contains(reason, "no event type to publish") {
			t.Errorf("dead letter %q: reason %q", dl.Data, reason)
		}
	}
	time.Sleep(3 * bustest.Settings().RedeliveryDelay)
	if len(deadLetters(t, n)) != 2 {
		t.Errorf("%d dead letters: a message came round again", len(deadLetters(t, n)))
	}
}
