package bus_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/bustest"
)

var errDatabaseDown = errors.New("database down")

// startRouter runs a router with one handler on feedback.received and returns when it consumes.
func startRouter(t *testing.T, n bustest.NATS, h message.HandlerFunc) {
	t.Helper()
	r := newRouter(t, n)
	if err := r.HandleBatch("test.handler", "feedback.received", "", oneByOne(h)); err != nil {
		t.Fatal(err)
	}
	runRouter(t, r)
}

// oneByOne is a batch handler that handles each message of a batch on its own.
func oneByOne(h message.HandlerFunc) bus.BatchHandler {
	return func(_ context.Context, msgs []*message.Message) ([]bus.Result, error) {
		results := make([]bus.Result, len(msgs))
		for i, m := range msgs {
			results[i].Publish, results[i].Err = h(m)
		}
		return results, nil
	}
}

func publish(t *testing.T, n bustest.NATS, bodies ...string) {
	t.Helper()
	nc, err := n.Connect("test-publisher")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := bus.NewPublisher(nc, watermill.NopLogger{})
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	for _, b := range bodies {
		if err := pub.Publish(n.Topology.Subject("feedback.received"), bus.NewMessage(uuid.New(), []byte(b), "corr-"+b)); err != nil {
			t.Fatal(err)
		}
	}
}

func deadLetters(t *testing.T, n bustest.NATS) []*jetstream.RawStreamMsg {
	return n.Messages(t, n.Topology.DeadLetterStream())
}

func TestHandlerThatKeepsFailingIsDeadLetteredAndOthersFlow(t *testing.T) {
	n := bustest.Start(t)
	var mu sync.Mutex
	processed := map[string]int{}
	var poisonAttempts atomic.Int32
	startRouter(t, n, func(m *message.Message) ([]*message.Message, error) {
		if string(m.Payload) == "poison" {
			poisonAttempts.Add(1)
			return nil, fmt.Errorf("cannot handle item %s", m.UUID)
		}
		mu.Lock()
		processed[string(m.Payload)]++
		mu.Unlock()
		return nil, nil
	})

	var bodies []string
	for i := range 20 {
		bodies = append(bodies, fmt.Sprintf("ok-%d", i))
		if i == 5 {
			bodies = append(bodies, "poison")
		}
	}
	publish(t, n, bodies...)

	bustest.WaitFor(t, "20 good messages and one dead letter", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(processed) == 20 && len(deadLetters(t, n)) == 1
	})
	dl := deadLetters(t, n)[0]
	if string(dl.Data) != "poison" {
		t.Errorf("dead letter payload %q, want the poisoned message", dl.Data)
	}
	if got := dl.Header.Get("attempts"); got != "3" {
		t.Errorf("attempts header %q, want 3 (the configured attempts)", got)
	}
	if got := dl.Header.Get("reason_poisoned"); got == "" {
		t.Error("dead letter carries no reason")
	}
	if got := dl.Header.Get("topic_poisoned"); got != n.Topology.Subject("feedback.received") {
		t.Errorf("origin %q, want the subject it came from", got)
	}
	if got := dl.Header.Get("handler_poisoned"); got != "test.handler" {
		t.Errorf("handler %q", got)
	}
	if got := dl.Header.Get("_watermill_message_uuid"); got == "" {
		t.Error("dead letter lost its message id")
	}
	if poisonAttempts.Load() != 3 {
		t.Errorf("poison tried %d times, want 3", poisonAttempts.Load())
	}
	for b, c := range processed {
		if c != 1 {
			t.Errorf("%s processed %d times", b, c)
		}
	}
	// The dead-lettered message was acknowledged: it does not come back.
	time.Sleep(300 * time.Millisecond)
	if poisonAttempts.Load() != 3 {
		t.Errorf("poison was redelivered after dead-lettering (%d attempts)", poisonAttempts.Load())
	}
}

func TestPermanentErrorIsDeadLetteredWithoutRetry(t *testing.T) {
	n := bustest.Start(t)
	var calls atomic.Int32
	startRouter(t, n, func(m *message.Message) ([]*message.Message, error) {
		calls.Add(1)
		return nil, bus.Permanent(errors.New("malformed event"))
	})
	publish(t, n, "bad")
	bustest.WaitFor(t, "dead letter", func() bool { return len(deadLetters(t, n)) == 1 })
	if got := deadLetters(t, n)[0].Header.Get("attempts"); got != "1" {
		t.Errorf("attempts %q, want 1", got)
	}
	if calls.Load() != 1 {
		t.Errorf("handler called %d times, want 1", calls.Load())
	}
}

func TestUnavailableDependencyWaitsForRedeliveryInsteadOfDeadLetter(t *testing.T) {
	n := bustest.Start(t)
	var down atomic.Bool
	down.Store(true)
	var calls, done atomic.Int32
	startRouter(t, n, func(m *message.Message) ([]*message.Message, error) {
		if calls.Add(1) > 2 {
			down.Store(false) // the database comes back after two deliveries, each waiting for the next
		}
		if down.Load() {
			return nil, fmt.Errorf("store item: %w", errDatabaseDown)
		}
		done.Add(1)
		return nil, nil
	})
	publish(t, n, "waits")
	bustest.WaitFor(t, "processing after the database returns", func() bool { return done.Load() == 1 })
	if len(deadLetters(t, n)) != 0 {
		t.Error("a message that met an unavailable database was dead-lettered")
	}
}

func TestCorrelationIDTravelsToPublishedMessages(t *testing.T) {
	n := bustest.Start(t)
	r := newRouter(t, n)
	got := make(chan string, 1)
	if err := r.HandleBatch("first", "feedback.received", "feedback.routed", oneByOne(func(m *message.Message) ([]*message.Message, error) {
		return []*message.Message{message.NewMessage(uuid.NewString(), []byte("out"))}, nil
	})); err != nil {
		t.Fatal(err)
	}
	if err := r.HandleBatch("second", "feedback.routed", "", oneByOne(func(m *message.Message) ([]*message.Message, error) {
		got <- m.Metadata.Get("correlation_id")
		return nil, nil
	})); err != nil {
		t.Fatal(err)
	}
	runRouter(t, r)
	publish(t, n, "x")
	select {
	case c := <-got:
		if c != "corr-x" {
			t.Errorf("correlation id %q, want corr-x", c)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("second handler got nothing")
	}
}

func TestAMessageJetStreamGivesUpOnIsDeadLettered(t *testing.T) {
	n := bustest.Start(t)
	var calls atomic.Int32
	r := newRouter(t, n)
	if err := r.HandleBatch("test.handler", "feedback.received", "", oneByOne(func(m *message.Message) ([]*message.Message, error) {
		calls.Add(1)
		return nil, errDatabaseDown // never poison, so only JetStream's delivery limit ends it
	})); err != nil {
		t.Fatal(err)
	}
	nc, err := n.Connect("advisories")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := r.WatchMaxDeliveries(nc); err != nil {
		t.Fatal(err)
	}
	runRouter(t, r)
	publish(t, n, "stuck")
	bustest.WaitFor(t, "the undeliverable message in the dead-letter stream", func() bool { return len(deadLetters(t, n)) == 1 })
	dl := deadLetters(t, n)[0]
	if string(dl.Data) != "stuck" || dl.Header.Get("attempts") != "4" || !strings.Contains(dl.Header.Get("reason_poisoned"), "4 deliveries") ||
		dl.Header.Get("topic_poisoned") != n.Topology.Subject("feedback.received") {
		t.Errorf("dead letter %q headers %v", dl.Data, dl.Header)
	}
}

func TestAReplayedDeadLetterIsProcessedOnceTheFaultIsFixed(t *testing.T) {
	n := bustest.Start(t)
	var broken atomic.Bool
	broken.Store(true)
	var done atomic.Int32
	startRouter(t, n, func(m *message.Message) ([]*message.Message, error) {
		if broken.Load() {
			return nil, bus.Permanent(errors.New("policy file missing a practice"))
		}
		done.Add(1)
		return nil, nil
	})
	publish(t, n, "needs-fix")
	bustest.WaitFor(t, "the dead letter", func() bool { return len(deadLetters(t, n)) == 1 })
	nc, err := n.Connect("ops")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	dls, err := bus.NewDeadLetters(nc, n.Topology)
	if err != nil {
		t.Fatal(err)
	}
	list, err := dls.List(context.Background())
	if err != nil || len(list) != 1 || list[0].Reason != "policy file missing a practice" || list[0].Handler != "test.handler" || list[0].Attempts != 1 {
		t.Fatalf("list %+v, %v", list, err)
	}
	broken.Store(false) // the fault is fixed
	if err := dls.Replay(context.Background(), list[0].Seq); err != nil {
		t.Fatal(err)
	}
	bustest.WaitFor(t, "the replayed message", func() bool { return done.Load() == 1 })
	if left, _ := dls.List(context.Background()); len(left) != 0 {
		t.Errorf("%d dead letters left after the replay", len(left))
	}
	if _, err := dls.Get(context.Background(), list[0].Seq); !errors.Is(err, bus.ErrNoDeadLetter) {
		t.Errorf("the replayed dead letter is still there: %v", err)
	}
	time.Sleep(200 * time.Millisecond)
	if done.Load() != 1 {
		t.Errorf("processed %d times", done.Load())
	}
}
