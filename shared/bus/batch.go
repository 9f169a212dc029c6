package bus

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// BatchHandler handles several messages at once, storing all their effects in one transaction.
// It returns one Result per message, in order, or an error when nothing was stored (the
// transaction failed): the router then tries again, and splits the batch to find a message that
// keeps failing. An event published without a correlation id gets its message's.
type BatchHandler func(ctx context.Context, msgs []*message.Message) ([]Result, error)

// Result is what became of one message of a batch: the events its effects call for, or the error
// that kept it out of the batch's transaction (mark a malformed message Permanent).
type Result struct {
	Publish []*message.Message
	Err     error
}

// batchConsumer takes messages from a durable pull consumer in batches: a worker takes what has
// arrived (up to the batch size), the handler stores the batch in one transaction, the events it
// calls for are published together and acknowledged by JetStream, and only then is each message
// acknowledged. A message the handler rejects is retried alone and, failing still, dead-lettered.
type batchConsumer struct {
	r        *Router
	name     string
	subject  string
	to       string
	handler  BatchHandler
	conn     *nats.Conn
	js       jetstream.JetStream
	commit   *groupCommit
	incoming chan jetstream.Msg
	consume  jetstream.ConsumeContext
	stop     chan struct{}
	workers  sync.WaitGroup
}

// HandleBatch adds a handler named name that takes events of type from in batches; what it asks
// to publish goes out as events of type to ("" for none).
func (r *Router) HandleBatch(name, from, to string, h BatchHandler) error {
	nc, err := r.connect(name + "-batches")
	if err != nil {
		return err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return err
	}
	gc, err := newGroupCommit(nc)
	if err != nil {
		nc.Close()
		return err
	}
	subject := r.topo.Subject(from)
	if to != "" {
		to = r.topo.Subject(to)
	}
	r.batches = append(r.batches, &batchConsumer{r: r, name: name, subject: subject, to: to, handler: h, conn: nc, js: js, commit: gc,
		incoming: make(chan jetstream.Msg, r.settings.BatchSize), stop: make(chan struct{})})
	r.handlers = append(r.handlers, name)
	r.observer.HandlerAdded(name)
	return nil
}

// start creates or updates the durable consumer and starts the workers.
func (b *batchConsumer) start(ctx context.Context) error {
	s := b.r.settings
	cfg := jetstream.ConsumerConfig{
		Durable:       b.r.topo.Consumer(b.name),
		FilterSubject: b.subject,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       s.AckWait,
		MaxDeliver:    s.MaxDeliver,
		MaxAckPending: s.BatchSize * s.Concurrency * 2,
		DeliverPolicy: jetstream.DeliverAllPolicy,
	}
	stream := b.r.topo.FeedbackStream()
	if err := fromPushConsumer(ctx, b.js, stream, &cfg); err != nil {
		return err
	}
	cons, err := b.js.CreateOrUpdateConsumer(ctx, stream, cfg)
	if err != nil {
		return fmt.Errorf("consumer %s: %w", cfg.Durable, err)
	}
	b.consume, err = cons.Consume(func(m jetstream.Msg) {
		select {
		case b.incoming <- m:
		case <-b.stop:
			_ = m.Nak() // shutting down: redeliver to whoever runs next, without waiting for AckWait
		}
	}, jetstream.PullMaxMessages(s.BatchSize*2))
	if err != nil {
		return fmt.Errorf("consume %s: %w", cfg.Durable, err)
	}
	for range s.Concurrency {
		b.workers.Add(1)
		go b.work()
	}
	return nil
}

// fromPushConsumer replaces a durable consumer made by an earlier version (push, through
// Watermill) by a pull consumer starting after everything the old one acknowledged, so that an
// upgrade neither skips nor replays the stream. What the old one acknowledged beyond its floor is
// delivered again and changes nothing (every effect is idempotent).
func fromPushConsumer(ctx context.Context, js jetstream.JetStream, stream string, cfg *jetstream.ConsumerConfig) error {
	_, err := js.Consumer(ctx, stream, cfg.Durable)
	if !errors.Is(err, jetstream.ErrNotPullConsumer) {
		return nil // none yet, or already a pull consumer (any other error shows when it is created)
	}
	old, err := js.PushConsumer(ctx, stream, cfg.Durable)
	if err != nil {
		return fmt.Errorf("consumer %s: %w", cfg.Durable, err)
	}
	info := old.CachedInfo()
	if err := js.DeleteConsumer(ctx, stream, cfg.Durable); err != nil {
		return fmt.Errorf("replace push consumer %s: %w", cfg.Durable, err)
	}
	cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, info.AckFloor.Stream+1
	return nil
}

// close stops taking messages, lets the batches in hand finish, and hands back what was waiting.
func (b *batchConsumer) close() {
	close(b.stop)
	if b.consume != nil {
		b.consume.Stop()
	}
	b.workers.Wait()
	b.commit.close()
	for {
		select {
		case m := <-b.incoming:
			_ = m.Nak()
		default:
			b.conn.Close()
			return
		}
	}
}

func (b *batchConsumer) work() {
	defer b.workers.Done()
	batch := make([]jetstream.Msg, 0, b.r.settings.BatchSize)
	for {
		select {
		case <-b.stop:
			return
		case m := <-b.incoming:
			batch = append(batch[:0], m)
		}
	more:
		for len(batch) < cap(batch) {
			select {
			case m := <-b.incoming:
				batch = append(batch, m)
			default:
				break more
			}
		}
		b.process(batch)
	}
}

// delivery is one message of a batch on its way through.
type delivery struct {
	raw      jetstream.Msg
	msg      *message.Message
	attempts int
}

func (b *batchConsumer) process(raw []jetstream.Msg) {
	start := time.Now()
	ds := make([]*delivery, 0, len(raw))
	for _, m := range raw {
		wm, err := unmarshal(m)
		if err != nil {
			b.deadLetter(&delivery{raw: m, msg: message.NewMessage(watermill.NewUUID(), m.Data()), attempts: 1},
				fmt.Errorf("not a message of ours: %w", err))
			continue
		}
		ds = append(ds, &delivery{raw: m, msg: wm})
	}
	if len(ds) == 0 {
		return
	}
	b.r.observer.BatchTaken(b.name, len(ds))
	retry := b.run(ds)
	for _, d := range retry {
		b.alone(d)
	}
	took := time.Since(start) // each message is reported with the time its batch took
	for range raw {
		b.r.observer.HandlerDone(b.name, took)
	}
}

// run handles ds as one batch and settles every message it can: acknowledged, waiting for
// redelivery, or dead-lettered. It returns those to try again one by one.
//
// A batch of several that fails as a whole (one bad message rolls back the transaction of all) is
// halved, and each half run as a batch of its own, until the failure is cornered: one poison
// message among n costs about 2·log2(n) smaller batches, not n lone tries with a pause before
// each (which, for a batch of 1,000, would outlast the acknowledgement deadline). A message's
// attempts count its first try and its tries alone, not the halves it was run in because of a
// neighbour.
func (b *batchConsumer) run(ds []*delivery) (retry []*delivery) {
	msgs := make([]*message.Message, len(ds))
	for i, d := range ds {
		if d.attempts == 0 || len(ds) == 1 {
			d.attempts++
		}
		msgs[i] = d.msg
	}
	results, err := b.call(msgs)
	if err != nil {
		if b.r.transient.is(err) {
			b.wait(ds)
			return nil
		}
		if len(ds) == 1 {
			return b.failed(ds[0], err)
		}
		half := len(ds) / 2
		return append(b.run(ds[:half]), b.run(ds[half:])...)
	}
	var done []*delivery
	var out []*message.Message
	for i, res := range results {
		if res.Err != nil {
			retry = append(retry, b.failed(ds[i], res.Err)...)
			continue
		}
		done = append(done, ds[i])
		for _, m := range res.Publish {
			if middleware.MessageCorrelationID(m) == "" {
				middleware.SetCorrelationID(middleware.MessageCorrelationID(ds[i].msg), m)
			}
		}
		out = append(out, res.Publish...)
	}
	if err := b.publish(out); err != nil {
		b.r.logger.Error("publish a batch's events; its messages wait for redelivery", err, nil)
		b.wait(done)
		return retry
	}
	for _, d := range done {
		_ = d.raw.Ack()
	}
	return retry
}

// publish stores the events a batch produced, together with those of the batches handled beside it.
func (b *batchConsumer) publish(out []*message.Message) error {
	msgs, err := marshalAll(b.to, out)
	if err != nil {
		return err
	}
	return b.commit.store(msgs)
}

// failed settles a message whose handling failed: dead-lettered when no retry can help (or none is
// left), left for redelivery when a dependency is down, otherwise returned to be tried again.
func (b *batchConsumer) failed(d *delivery, err error) []*delivery {
	switch {
	case b.r.transient.is(err):
		b.wait([]*delivery{d})
	case IsPermanent(err) || d.attempts >= b.r.settings.Attempts:
		b.deadLetter(d, err)
	default:
		return []*delivery{d}
	}
	return nil
}

// alone retries one message by itself, with backoff, until it is settled.
func (b *batchConsumer) alone(d *delivery) {
	pause := b.r.settings.RetryInterval
	for again := []*delivery{d}; len(again) > 0; again = b.run(again) {
		b.r.observer.Retried(b.name)
		select {
		case <-time.After(pause):
		case <-b.stop:
			b.wait(again)
			return
		}
		pause = min(pause*2, time.Second)
	}
}

// call runs the handler, turning a panic into an error and checking it answered for every message.
func (b *batchConsumer) call(msgs []*message.Message) (results []Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			results, err = nil, fmt.Errorf("handler %s panicked: %v", b.name, p)
		}
	}()
	results, err = b.handler(context.Background(), msgs)
	if err == nil && len(results) != len(msgs) {
		return nil, Permanent(fmt.Errorf("handler %s answered %d results for %d messages", b.name, len(results), len(msgs)))
	}
	for i := range results {
		if b.to == "" && len(results[i].Publish) > 0 && results[i].Err == nil {
			results[i] = Result{Err: Permanent(fmt.Errorf("handler %s has no event type to publish to, yet asked to publish", b.name))}
		}
	}
	return results, err
}

// wait leaves messages for redelivery after the redelivery delay: a dependency is down.
func (b *batchConsumer) wait(ds []*delivery) {
	for _, d := range ds {
		_ = d.raw.NakWithDelay(b.r.settings.RedeliveryDelay)
	}
}

// deadLetter moves a message to the dead-letter stream with why, then acknowledges it; if the
// dead-letter stream cannot take it, it waits for redelivery instead.
func (b *batchConsumer) deadLetter(d *delivery, reason error) {
	if err := b.r.poisoned(b.name, d.raw.Subject(), d.msg, d.attempts, reason); err != nil {
		b.r.logger.Error("dead-letter a message; it waits for redelivery", err, nil)
		b.wait([]*delivery{d})
		return
	}
	_ = d.raw.Ack()
}
