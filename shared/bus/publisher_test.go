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
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/bustest"
)

func newPublisher(t testing.TB, n bustest.NATS) message.Publisher {
	t.Helper()
	nc, err := n.Connect("test-publisher")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := bus.NewPublisher(nc, watermill.NopLogger{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pub.Close() })
	return pub
}

func messages(prefix string, n int) []*message.Message {
	out := make([]*message.Message, n)
	for i := range out {
		out[i] = message.NewMessage(fmt.Sprintf("%s-%d", prefix, i), []byte(fmt.Sprintf("%s body %d", prefix, i)))
	}
	return out
}

// stored counts the stream's messages by Watermill id and by atomic batch.
func stored(t *testing.T, n bustest.NATS, stream string) (byID map[string]int, batches map[string]int) {
	t.Helper()
	byID, batches = map[string]int{}, map[string]int{}
	for _, m := range n.Messages(t, stream) {
		byID[m.Header.Get(nats.MsgIdHdr)]++
		if b := m.Header.Get("Nats-Batch-Id"); b != "" {
			batches[b]++
		}
	}
	return byID, batches
}

// storedOnceEach fails unless the stream holds want distinct messages, each once, and returns how
// many atomic batches they came in.
func storedOnceEach(t *testing.T, n bustest.NATS, stream string, want int) (batches int) {
	t.Helper()
	byID, bs := stored(t, n, stream)
	if len(byID) != want {
		t.Fatalf("stored %d distinct messages, want %d", len(byID), want)
	}
	for id, c := range byID {
		if c != 1 {
			t.Fatalf("%s stored %d times", id, c)
		}
	}
	return len(bs)
}

// jetStream is a JetStream client for a test's own setup, with a context that ends with the test.
func jetStream(t *testing.T, n bustest.NATS) (jetstream.JetStream, context.Context) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return n.JetStream(t), ctx
}

// changeFeedbackStream changes the feedback stream's configuration as change says, and returns
// the stream.
func changeFeedbackStream(t *testing.T, ctx context.Context, js jetstream.JetStream, n bustest.NATS,
	change func(*jetstream.StreamConfig)) jetstream.Stream {
	t.Helper()
	s, err := js.Stream(ctx, n.Topology.FeedbackStream())
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.CachedInfo().Config
	change(&cfg)
	if _, err := js.UpdateStream(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestManyMessagesAreStoredAsOneAtomicBatchEachOnce(t *testing.T) {
	n := bustest.Start(t)
	pub := newPublisher(t, n)
	subject := n.Topology.Subject("feedback.received")
	if err := pub.Publish(subject, messages("a", 2500)...); err != nil {
		t.Fatal(err)
	}
	batches := storedOnceEach(t, n, n.Topology.FeedbackStream(), 2500)
	if n.Server != nil && batches != 3 { // the embedded server takes batches of up to 1,000
		t.Fatalf("stored in %d atomic batches, want 3", batches)
	}
}

func TestABatchHoldingMessagesAlreadyStoredStoresTheRestOnce(t *testing.T) {
	n := bustest.Start(t)
	pub := newPublisher(t, n)
	subject := n.Topology.Subject("feedback.received")
	all := messages("dup", 20)
	if err := pub.Publish(subject, all[5], all[12]); err != nil {
		t.Fatal(err)
	}
	// The server refuses a batch holding an id within its duplicate window; the publisher then
	// stores the messages one by one and the stream drops the two it has.
	if err := pub.Publish(subject, all...); err != nil {
		t.Fatal(err)
	}
	storedOnceEach(t, n, n.Topology.FeedbackStream(), 20)
}

func TestAStreamWithoutAtomicBatchesStillStoresEveryMessage(t *testing.T) {
	n := bustest.Start(t)
	js, ctx := jetStream(t, n)
	name := n.Topology.Prefix + "_PLAIN"
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: name, Subjects: []string{n.Topology.Prefix + ".plain"},
		Duplicates: time.Minute}); err != nil {
		t.Fatal(err)
	}
	pub := newPublisher(t, n)
	for round := range 2 {
		if err := pub.Publish(n.Topology.Prefix+".plain", messages(fmt.Sprint("plain", round), 30)...); err != nil {
			t.Fatal(err)
		}
	}
	if batches := storedOnceEach(t, n, name, 60); batches != 0 {
		t.Fatalf("stored in %d atomic batches, want none", batches)
	}
}

func TestCallersPublishingAtOnceShareBatchesAndEachHearsItsOwnOutcome(t *testing.T) {
	n := bustest.Start(t)
	js, ctx := jetStream(t, n)
	changeFeedbackStream(t, ctx, js, n, func(cfg *jetstream.StreamConfig) { cfg.MaxMsgSize = 4096 })

	pub := newPublisher(t, n)
	subject := n.Topology.Subject("feedback.received")
	const callers = 64
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			msgs := messages(fmt.Sprint("caller", c), 5)
			if c%16 == 7 { // one message too big for the stream: this caller, and only it, fails
				msgs[2].Payload = []byte(strings.Repeat("x", 8192))
			}
			errs[c] = pub.Publish(subject, msgs...)
		})
	}
	wg.Wait()
	for c, err := range errs {
		if bad := c%16 == 7; bad != (err != nil) {
			t.Fatalf("caller %d: error %v", c, err)
		}
	}
	byID, batches := stored(t, n, n.Topology.FeedbackStream())
	for c := range callers {
		for i := range 5 {
			id := fmt.Sprintf("caller%d-%d", c, i)
			if want := 1; c%16 != 7 && byID[id] != want {
				t.Fatalf("%s stored %d times", id, byID[id])
			}
		}
	}
	if n.Server != nil && len(batches) >= callers-4 {
		t.Fatalf("%d callers' messages went out in %d batches: nothing was gathered", callers, len(batches))
	}
	t.Logf("%d callers, %d atomic batches", callers, len(batches))
}

func TestAPoisonMessageThatCameInABatchIsDeadLetteredAndReplaysAlone(t *testing.T) {
	n := bustest.Start(t)
	var broken atomic.Bool
	broken.Store(true)
	var done atomic.Int32
	startRouter(t, n, func(m *message.Message) ([]*message.Message, error) {
		if string(m.Payload) == "poison" && broken.Load() {
			return nil, bus.Permanent(errors.New("cannot be handled yet"))
		}
		done.Add(1)
		return nil, nil
	})
	msgs := messages("batched", 30)
	msgs[12].Payload = []byte("poison")
	if err := newPublisher(t, n).Publish(n.Topology.Subject("feedback.received"), msgs...); err != nil {
		t.Fatal(err)
	}
	if _, batches := stored(t, n, n.Topology.FeedbackStream()); n.Server != nil && len(batches) != 1 {
		t.Fatalf("the 30 messages went out in %d atomic batches, want 1", len(batches))
	}
	bustest.WaitFor(t, "29 handled and the poison dead-lettered", func() bool {
		return done.Load() == 29 && len(deadLetters(t, n)) == 1
	})
	for k := range deadLetters(t, n)[0].Header {
		if strings.HasPrefix(k, "Nats-Batch-") {
			t.Fatalf("the dead letter kept the batch header %s", k)
		}
	}
	nc, err := n.Connect("ops")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	dls, err := bus.NewDeadLetters(nc, n.Topology)
	if err != nil {
		t.Fatal(err)
	}
	broken.Store(false)
	list, err := dls.List(context.Background())
	if err != nil || len(list) != 1 {
		t.Fatalf("list %+v, %v", list, err)
	}
	if err := dls.Replay(context.Background(), list[0].Seq); err != nil {
		t.Fatal(err)
	}
	bustest.WaitFor(t, "the replayed message", func() bool { return done.Load() == 30 })
}

func TestAFeedbackStreamFromAnEarlierVersionTakesAtomicBatchesAfterStartUp(t *testing.T) {
	n := bustest.Start(t)
	js, ctx := jetStream(t, n)
	s := changeFeedbackStream(t, ctx, js, n, func(cfg *jetstream.StreamConfig) {
		cfg.AllowAtomicPublish = false // as an earlier version created it
	})
	if err := bus.EnsureStreams(ctx, js.Conn(), n.Topology, bus.StreamLimits{DuplicateWindow: time.Minute}); err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Config.AllowAtomicPublish {
		t.Fatal("the stream still refuses atomic batches")
	}
}
