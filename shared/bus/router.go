package bus

import (
	"context"
	"errors"
	"fmt"
	"strconv"
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

// Router runs message handlers: each consumes one event type through a durable consumer and may
// publish events of another type; a message is acknowledged only after its handler succeeded and
// its output was published.
type Router struct {
	router     *message.Router
	connect    Connector
	topo       event.Topology
	settings   Settings
	transient  Transient
	logger     watermill.LoggerAdapter
	deadLetter message.Publisher
	observer   Observer
	handlers   []string
}

// Observer hears how handlers fare, for metrics.
type Observer interface {
	HandlerAdded(handler string)
	HandlerDone(handler string, took time.Duration)
	Retried(handler string)
	DeadLettered(handler string)
}

type noObserver struct{}

func (noObserver) HandlerAdded(string)               {}
func (noObserver) HandlerDone(string, time.Duration) {}
func (noObserver) Retried(string)                    {}
func (noObserver) DeadLettered(string)               {}

// Observe makes the router report to o.
func (r *Router) Observe(o Observer) { r.observer = o }

// NewRouter builds a router. transient says which errors mean "a dependency is down, try later".
func NewRouter(connect Connector, topo event.Topology, s Settings, transient Transient, logger watermill.LoggerAdapter) (*Router, error) {
	r, err := message.NewRouter(message.RouterConfig{CloseTimeout: s.AckWait}, logger)
	if err != nil {
		return nil, err
	}
	nc, err := connect("dead-letter")
	if err != nil {
		return nil, err
	}
	dl, err := NewPublisher(nc, logger)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return &Router{router: r, connect: connect, topo: topo, settings: s, transient: transient, logger: logger, deadLetter: dl,
		observer: noObserver{}}, nil
}

// Handle adds a handler named name for events of type from. Messages it returns are published as
// events of type to; give to == "" for a handler that publishes nothing.
func (r *Router) Handle(name, from, to string, h message.HandlerFunc) error {
	subConn, err := r.connect(name + "-subscriber")
	if err != nil {
		return err
	}
	sub, err := NewSubscriber(subConn, r.topo.FeedbackStream(), r.topo.Consumer(name), r.settings, r.logger)
	if err != nil {
		subConn.Close()
		return err
	}
	r.handlers = append(r.handlers, name)
	r.observer.HandlerAdded(name)
	var handler *message.Handler
	if to == "" {
		handler = r.router.AddConsumerHandler(name, r.topo.Subject(from), sub, func(m *message.Message) error {
			_, err := h(m)
			return err
		})
	} else {
		pubConn, err := r.connect(name + "-publisher")
		if err != nil {
			return err
		}
		pub, err := NewPublisher(pubConn, r.logger)
		if err != nil {
			pubConn.Close()
			return err
		}
		handler = r.router.AddHandler(name, r.topo.Subject(from), sub, r.topo.Subject(to), pub, h)
	}
	return r.addMiddleware(handler, name)
}

// addMiddleware wraps a handler, outermost first: the correlation id travels to what it publishes;
// what fails for good is dead-lettered; a failure is retried with backoff; attempts are counted;
// a panic becomes an error.
func (r *Router) addMiddleware(h *message.Handler, name string) error {
	dead, err := middleware.PoisonQueueWithFilter(r.deadLetter, r.topo.DeadLetterSubject(name), func(err error) bool {
		if r.transient.is(err) {
			return false
		}
		r.observer.DeadLettered(name)
		return true
	})
	if err != nil {
		return err
	}
	retry := middleware.Retry{
		MaxRetries:      r.settings.Attempts - 1,
		InitialInterval: r.settings.RetryInterval,
		MaxInterval:     time.Second,
		Multiplier:      2,
		ShouldRetry: func(p middleware.RetryParams) bool {
			return !IsPermanent(p.Err) && !errors.Is(p.Err, context.Canceled)
		},
		Logger: r.logger,
	}
	timed := func(h message.HandlerFunc) message.HandlerFunc {
		return func(m *message.Message) ([]*message.Message, error) {
			start := time.Now()
			defer func() { r.observer.HandlerDone(name, time.Since(start)) }()
			return h(m)
		}
	}
	h.AddMiddleware(middleware.CorrelationID, timed, dead, retry.Middleware, r.countAttempts(name), middleware.Recoverer)
	return nil
}

// countAttempts records on the message how often its handler ran during this delivery, and
// reports every attempt after the first as a retry.
func (r *Router) countAttempts(name string) message.HandlerMiddleware {
	return func(h message.HandlerFunc) message.HandlerFunc {
		return func(m *message.Message) ([]*message.Message, error) {
			n, _ := strconv.Atoi(m.Metadata.Get(AttemptsKey))
			m.Metadata.Set(AttemptsKey, strconv.Itoa(n+1))
			if n > 0 {
				r.observer.Retried(name)
			}
			return h(m)
		}
	}
}

// Run consumes until ctx ends or Close is called.
func (r *Router) Run(ctx context.Context) error { return r.router.Run(ctx) }

// Running is closed once every handler is consuming.
func (r *Router) Running() chan struct{} { return r.router.Running() }

// Close stops taking messages, waits for handlers in flight to finish and acknowledge, and closes
// the subscribers' and publishers' connections.
func (r *Router) Close() error {
	err := r.router.Close()
	return errors.Join(err, r.deadLetter.Close())
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
