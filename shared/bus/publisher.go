package bus

import (
	"context"
	"errors"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// publishTimeout bounds how long a publisher waits for JetStream to store what it sent.
const publishTimeout = 10 * time.Second

// errPublisherClosed answers a Publish after Close.
var errPublisherClosed = errors.New("publisher closed")

// publisher is a Watermill publisher to JetStream that returns when the stream has stored every
// message of a Publish call. What concurrent calls publish is stored together (group commit).
type publisher struct {
	nc     *nats.Conn
	commit *groupCommit
}

// NewPublisher publishes to JetStream and returns only once the stream has acknowledged every
// message (so they are durable). What is published while an earlier batch is being stored goes
// out together as the next atomic batch, with one sync to disk for all of it. The Watermill
// message UUID goes out as Nats-Msg-Id, so a message published twice within the stream's duplicate
// window is stored once: give messages ids derived from the source's own ids. Messages are written
// in Watermill's NATS format. Closing the publisher closes nc.
func NewPublisher(nc *nats.Conn, _ watermill.LoggerAdapter) (message.Publisher, error) {
	gc, err := newGroupCommit(nc)
	if err != nil {
		return nil, err
	}
	return &publisher{nc: nc, commit: gc}, nil
}

func (p *publisher) Publish(subject string, msgs ...*message.Message) error {
	out, err := marshalAll(subject, msgs)
	if err != nil {
		return err
	}
	return p.commit.store(out)
}

func (p *publisher) Close() error {
	p.commit.close()
	p.nc.Close()
	return nil
}

// publishEach sends msgs as separate messages and waits until JetStream has stored every one (a
// message id already stored within the duplicate window counts as stored).
func publishEach(js jetstream.JetStream, msgs []*nats.Msg) error {
	futures := make([]jetstream.PubAckFuture, 0, len(msgs))
	for _, m := range msgs {
		f, err := js.PublishMsgAsync(m)
		if err != nil {
			return err
		}
		futures = append(futures, f)
	}
	timeout := time.NewTimer(publishTimeout)
	defer timeout.Stop()
	for _, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			return err
		case <-timeout.C:
			return errors.New("JetStream did not acknowledge in time")
		}
	}
	return nil
}

// storeAll stores msgs in atomic batches when the stream takes them (see CommitAtomically), one
// by one otherwise; atomic reports whether to try batches at all. A batch the server refused, or
// did not take as one, goes out again message by message: its message ids make that safe, since
// the stream drops a message it already holds. It returns whether the stream took batches.
func storeAll(ctx context.Context, nc *nats.Conn, js jetstream.JetStream, msgs []*nats.Msg, atomic bool) (bool, error) {
	if len(msgs) < minAtomicBatch || !atomic {
		return atomic, publishEach(js, msgs)
	}
	for len(msgs) > 0 {
		chunk := msgs[:min(len(msgs), MaxAtomicBatch)]
		msgs = msgs[len(chunk):]
		err := CommitAtomically(ctx, nc, chunk)
		var refused *refusedBatch
		switch {
		case err == nil:
			continue
		case errors.Is(err, errNotAtomic):
			atomic = false
		case !errors.As(err, &refused):
			return atomic, err // the connection failed: the caller retries
		}
		if err := publishEach(js, chunk); err != nil {
			return atomic, err
		}
	}
	return atomic, nil
}

// unmarshal reads a message published through Watermill's NATS marshaler.
func unmarshal(m jetstream.Msg) (*message.Message, error) {
	return (&wmnats.NATSMarshaler{}).Unmarshal(&nats.Msg{Subject: m.Subject(), Data: m.Data(), Header: m.Headers()})
}

// marshalAll writes messages as Watermill's NATS marshaler does, each with its id as Nats-Msg-Id
// so that JetStream drops it if it was already published within the duplicate window.
func marshalAll(subject string, msgs []*message.Message) ([]*nats.Msg, error) {
	out := make([]*nats.Msg, 0, len(msgs))
	for _, m := range msgs {
		nm, err := (&wmnats.NATSMarshaler{}).Marshal(subject, m)
		if err != nil {
			return nil, err
		}
		withoutBatchHeaders(nm.Header)
		nm.Header.Set(nats.MsgIdHdr, m.UUID)
		out = append(out, nm)
	}
	return out, nil
}
