package bus

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// maxDeliveries is JetStream's advisory that a consumer gave up on a message.
type maxDeliveries struct {
	Stream     string `json:"stream"`
	Consumer   string `json:"consumer"`
	StreamSeq  uint64 `json:"stream_seq"`
	Deliveries int    `json:"deliveries"`
}

// WatchMaxDeliveries moves the messages JetStream gave up delivering to this router's handlers
// into the dead-letter stream, with their origin, the reason and the number of deliveries. Call it
// after every Handle. Advisories are core NATS messages: one sent while no process listens is
// missed, and the message then stays in the feedback stream, where the ops page's consumer state
// shows it.
func (r *Router) WatchMaxDeliveries(nc *nats.Conn) error {
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	for _, name := range r.handlers {
		subject := fmt.Sprintf("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.%s.%s", r.topo.FeedbackStream(), r.topo.Consumer(name))
		if _, err := nc.Subscribe(subject, func(m *nats.Msg) {
			if err := r.deadLetterUndelivered(js, name, m.Data); err != nil {
				r.logger.Error("dead-letter an undeliverable message", err, watermill.LogFields{"handler": name})
			}
		}); err != nil {
			return fmt.Errorf("watch max deliveries of %s: %w", name, err)
		}
	}
	return nc.Flush()
}

func (r *Router) deadLetterUndelivered(js jetstream.JetStream, handler string, advisory []byte) error {
	var a maxDeliveries
	if err := json.Unmarshal(advisory, &a); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, a.Stream)
	if err != nil {
		return err
	}
	raw, err := s.GetMsg(ctx, a.StreamSeq)
	if err != nil {
		return fmt.Errorf("read message %d of %s: %w", a.StreamSeq, a.Stream, err)
	}
	m := nats.NewMsg(r.topo.DeadLetterSubject(handler))
	m.Data = raw.Data
	for k, v := range raw.Header {
		m.Header[k] = v
	}
	m.Header.Set(middleware.ReasonForPoisonedKey, fmt.Sprintf("JetStream gave up after %d deliveries (see the service's logs for the errors)", a.Deliveries))
	m.Header.Set(middleware.PoisonedTopicKey, raw.Subject)
	m.Header.Set(middleware.PoisonedHandlerKey, handler)
	m.Header.Set(AttemptsKey, strconv.Itoa(a.Deliveries))
	m.Header.Set(nats.MsgIdHdr, fmt.Sprintf("max-deliveries/%s/%d", a.Stream, a.StreamSeq))
	if _, err := js.PublishMsg(ctx, m); err != nil {
		return err
	}
	r.observer.DeadLettered(handler)
	return nil
}
