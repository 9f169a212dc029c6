package bus

import (
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"
)

// NewSubscriber consumes through the durable JetStream consumer named consumer, bound to stream.
//
// watermill-nats subscribes through the legacy JetStream API, which acknowledges automatically
// when the callback returns unless ManualAck is given: with it, a message is acknowledged only
// when its handler succeeded, and a handler that fails or times out leaves it to be redelivered.
// AckWait is set on the server-side consumer, not only on the client. Closing drains nc.
func NewSubscriber(nc *nats.Conn, stream, consumer string, s Settings, logger watermill.LoggerAdapter) (message.Subscriber, error) {
	return wmnats.NewSubscriberWithNatsConn(nc, wmnats.SubscriberSubscriptionConfig{
		Unmarshaler:      &wmnats.NATSMarshaler{},
		SubscribersCount: s.Concurrency,
		AckWaitTimeout:   s.AckWait,
		CloseTimeout:     s.AckWait,
		SubjectCalculator: func(_, topic string) *wmnats.SubjectDetail {
			return &wmnats.SubjectDetail{Primary: topic, QueueGroup: consumer}
		},
		NakDelay: wmnats.NewStaticDelay(s.RedeliveryDelay),
		JetStream: wmnats.JetStreamConfig{
			DurablePrefix:     consumer,
			DurableCalculator: func(prefix, _ string) string { return prefix },
			SubscribeOptions: []nats.SubOpt{
				nats.BindStream(stream),
				nats.ManualAck(),
				nats.AckExplicit(),
				nats.AckWait(s.AckWait),
				nats.DeliverAll(),
				nats.MaxDeliver(s.MaxDeliver),
				nats.MaxAckPending(s.Concurrency * 64),
			},
		},
	}, logger)
}

// Settings tune how handlers consume.
type Settings struct {
	// Concurrency is how many messages one handler processes at once.
	Concurrency int
	// AckWait is how long the server waits for an acknowledgement before redelivering.
	AckWait time.Duration
	// Attempts is how often a handler is tried on one delivery before the message is dead-lettered.
	Attempts int
	// RetryInterval is the first pause between attempts; it doubles up to a second.
	RetryInterval time.Duration
	// RedeliveryDelay is how long a message waits for redelivery after its handler met an
	// unavailable dependency (database down): such a message is not poison and is not dead-lettered.
	RedeliveryDelay time.Duration
	// DuplicateWindow is how long JetStream remembers message ids to drop duplicates.
	DuplicateWindow time.Duration
	// MaxDeliver is how often JetStream delivers one message before giving up on it; the router
	// then moves it to the dead-letter stream (for messages that kept meeting an unavailable
	// dependency, or that crashed the process).
	MaxDeliver int
}

// DefaultSettings are the production defaults.
func DefaultSettings() Settings {
	return Settings{Concurrency: 8, AckWait: 30 * time.Second, Attempts: 5, RetryInterval: 100 * time.Millisecond,
		RedeliveryDelay: 5 * time.Second, DuplicateWindow: 10 * time.Minute, MaxDeliver: 100}
}
