package bus

import (
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

// publisher is a Watermill publisher to JetStream that sends all the messages of one Publish
// call at once and returns when the stream has stored every one.
type publisher struct {
	nc *nats.Conn
	js jetstream.JetStream
}

// NewPublisher publishes to JetStream and returns only once the stream has acknowledged every
// message (so they are durable). The messages of one call go out together and JetStream
// acknowledges them as it stores them, rather than one round trip after another. The Watermill
// message UUID goes out as Nats-Msg-Id, so a message published twice within the stream's
// duplicate window is stored once: give messages ids derived from the source's own ids. Messages
// are written in Watermill's NATS format. Closing the publisher closes nc.
func NewPublisher(nc *nats.Conn, _ watermill.LoggerAdapter) (message.Publisher, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	return &publisher{nc: nc, js: js}, nil
}

func (p *publisher) Publish(subject string, msgs ...*message.Message) error {
	return publishAll(p.js, subject, msgs)
}

func (p *publisher) Close() error {
	p.nc.Close()
	return nil
}

// publishAll sends msgs to subject and waits until JetStream has stored every one.
func publishAll(js jetstream.JetStream, subject string, msgs []*message.Message) error {
	futures := make([]jetstream.PubAckFuture, 0, len(msgs))
	for _, m := range msgs {
		nm, err := marshal(subject, m)
		if err != nil {
			return err
		}
		f, err := js.PublishMsgAsync(nm)
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

// unmarshal reads a message published through Watermill's NATS marshaler.
func unmarshal(m jetstream.Msg) (*message.Message, error) {
	return (&wmnats.NATSMarshaler{}).Unmarshal(&nats.Msg{Subject: m.Subject(), Data: m.Data(), Header: m.Headers()})
}

// marshal writes a message as Watermill's NATS marshaler does, with its id as Nats-Msg-Id so that
// JetStream drops it if it was already published within the duplicate window.
func marshal(subject string, m *message.Message) (*nats.Msg, error) {
	nm, err := (&wmnats.NATSMarshaler{}).Marshal(subject, m)
	if err != nil {
		return nil, err
	}
	nm.Header.Set(nats.MsgIdHdr, m.UUID)
	return nm, nil
}
