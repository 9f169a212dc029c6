package bus

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/nats-io/nats.go"

	"github.com/signpost/signpost/shared/event"
)

// Metadata keys set on a dead-lettered message, beside Watermill's reason_poisoned,
// topic_poisoned and handler_poisoned.
const AttemptsKey = "attempts"

// Router runs message handlers: each consumes one event type in batches through a durable pull
// consumer and may publish events of another type; a message is acknowledged only after its
// handler's transaction committed and its events were stored by JetStream.
type Router struct {
	connect    Connector
	topo       event.Topology
	settings   Settings
	transient  Transient
	logger     watermill.LoggerAdapter
	deadLetter message.Publisher
	observer   Observer
	handlers   []string
	batches    []*batchConsumer
	running    chan struct{}
	closed     chan struct{}
	closeOnce  sync.Once
}

// Observer hears how handlers fare, for metrics.
type Observer interface {
	HandlerAdded(handler string)
	// BatchTaken reports how many messages a batch handler took at once.
	BatchTaken(handler string, messages int)
	HandlerDone(handler string, took time.Duration)
	Retried(handler string)
	DeadLettered(handler string)
}

type noObserver struct{}

func (noObserver) HandlerAdded(string)               {}
func (noObserver) BatchTaken(string, int)            {}
func (noObserver) HandlerDone(string, time.Duration) {}
func (noObserver) Retried(string)                    {}
func (noObserver) DeadLettered(string)               {}

// Observe makes the router report to o.
func (r *Router) Observe(o Observer) { r.observer = o }

// NewRouter builds a router. transient says which errors mean "a dependency is down, try later".
func NewRouter(connect Connector, topo event.Topology, s Settings, transient Transient, logger watermill.LoggerAdapter) (*Router, error) {
	nc, err := connect("dead-letter")
	if err != nil {
		return nil, err
	}
	dl, err := NewPublisher(nc, logger)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return &Router{connect: connect, topo: topo, settings: s, transient: transient, logger: logger, deadLetter: dl,
		observer: noObserver{}, running: make(chan struct{}), closed: make(chan struct{})}, nil
}

// Run starts every handler's consumer and returns when ctx ends or Close is called.
func (r *Router) Run(ctx context.Context) error {
	for _, b := range r.batches {
		if err := b.start(ctx); err != nil {
			return err
		}
	}
	close(r.running)
	select {
	case <-ctx.Done():
	case <-r.closed:
	}
	return nil
}

// Running is closed once every handler is consuming.
func (r *Router) Running() chan struct{} { return r.running }

// Close stops taking messages, lets the batches in hand finish and be acknowledged, hands back
// what was waiting for redelivery, and closes the connections.
func (r *Router) Close() error {
	r.closeOnce.Do(func() {
		for _, b := range r.batches {
			b.close()
		}
		close(r.closed)
	})
	return r.deadLetter.Close()
}

// poisoned publishes a message to the handler's dead-letter subject, described as Watermill's
// poison queue describes one, so that the dead letters of batch and single handlers look alike.
func (r *Router) poisoned(handler, origin string, m *message.Message, attempts int, reason error) error {
	m.Metadata.Set(middleware.ReasonForPoisonedKey, reason.Error())
	m.Metadata.Set(middleware.PoisonedTopicKey, origin)
	m.Metadata.Set(middleware.PoisonedHandlerKey, handler)
	m.Metadata.Set(AttemptsKey, strconv.Itoa(attempts))
	if err := r.deadLetter.Publish(r.topo.DeadLetterSubject(handler), m); err != nil {
		return err
	}
	r.observer.DeadLettered(handler)
	return nil
}

// NewMessage builds a Watermill message for an encoded event whose id was derived from the
// source's own ids, carrying the correlation id.
func NewMessage(id fmt.Stringer, data []byte, correlationID string) *message.Message {
	m := message.NewMessage(id.String(), data)
	middleware.SetCorrelationID(correlationID, m)
	return m
}

// Ping reports whether the connection to NATS is up, for readiness checks.
func Ping(nc *nats.Conn) func(context.Context) error {
	return func(ctx context.Context) error {
		if !nc.IsConnected() {
			return fmt.Errorf("NATS connection is %s", nc.Status())
		}
		return nc.FlushWithContext(ctx)
	}
}
