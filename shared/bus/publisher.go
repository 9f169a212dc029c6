package bus

import (
	"github.com/ThreeDotsLabs/watermill"
	wmnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"
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
