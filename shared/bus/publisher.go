package bus

import (
	"github.com/ThreeDotsLabs/watermill"
	wmnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// NewPublisher publishes to JetStream and returns only once the stream has acknowledged the
// message (so it is durable). The Watermill message UUID goes out as Nats-Msg-Id, so a message
// published twice within the stream's duplicate window is stored once: give messages ids derived
// from the source's own ids. Closing the publisher closes nc.
func NewPublisher(nc *nats.Conn, logger watermill.LoggerAdapter) (message.Publisher, error) {
	return wmnats.NewPublisherWithNatsConn(nc, wmnats.PublisherPublishConfig{
		Marshaler:         &wmnats.NATSMarshaler{},
		SubjectCalculator: wmnats.DefaultSubjectCalculator,
		JetStream:         wmnats.JetStreamConfig{TrackMsgId: true},
	}, logger)
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
