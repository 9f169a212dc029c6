package bus

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// commitsInFlight is how many batches one publisher has the server store at once: one is staged
// while another is synced.
const commitsInFlight = 2

// groupCommit stores what concurrent callers publish together: while a batch is being stored,
// what arrives waits and then goes out as the next batch, up to MaxAtomicBatch messages. Each
// caller hears when its own messages are stored. Under light load a batch is one caller's
// messages and nothing waits; under heavy load one sync to disk serves many callers.
type groupCommit struct {
	nc       *nats.Conn
	js       jetstream.JetStream
	queue    chan *submission
	slots    chan struct{}
	atomic   atomic.Bool
	mu       sync.RWMutex
	closed   bool
	callers  sync.WaitGroup
	inflight sync.WaitGroup
	quit     chan struct{}
	stopped  chan struct{}
	stopOnce sync.Once
}

// submission is one caller's messages and where it hears the outcome.
type submission struct {
	msgs []*nats.Msg
	done chan error
}

func newGroupCommit(nc *nats.Conn) (*groupCommit, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	g := &groupCommit{nc: nc, js: js, queue: make(chan *submission), slots: make(chan struct{}, commitsInFlight),
		quit: make(chan struct{}), stopped: make(chan struct{})}
	g.atomic.Store(true)
	go g.run()
	return g, nil
}

// store returns once JetStream has stored every one of msgs.
func (g *groupCommit) store(msgs []*nats.Msg) error {
	if len(msgs) == 0 {
		return nil
	}
	g.mu.RLock()
	if g.closed {
		g.mu.RUnlock()
		return errPublisherClosed
	}
	g.callers.Add(1)
	g.mu.RUnlock()
	defer g.callers.Done()
	if len(msgs) > MaxAtomicBatch {
		return g.send(msgs) // already a batch of its own, or several
	}
	s := &submission{msgs: msgs, done: make(chan error, 1)}
	g.queue <- s
	return <-s.done
}

// run gathers submissions into batches until close.
func (g *groupCommit) run() {
	defer close(g.stopped)
	var next *submission
	for {
		if next == nil {
			select {
			case next = <-g.queue:
			case <-g.quit:
				return
			}
		}
		g.slots <- struct{}{} // wait for a batch to finish: meanwhile callers queue up
		group, n := []*submission{next}, len(next.msgs)
		next = nil
	gather:
		for {
			select {
			case s := <-g.queue:
				if n+len(s.msgs) > MaxAtomicBatch {
					next = s
					break gather
				}
				group, n = append(group, s), n+len(s.msgs)
			default:
				break gather
			}
		}
		g.inflight.Add(1)
		go func() {
			defer g.inflight.Done()
			g.commit(group)
			<-g.slots
		}()
	}
}

// commit stores a group's messages and tells each caller. When the stream refused a message, each
// caller's messages are stored on their own, so that one caller's bad message fails only that
// caller.
func (g *groupCommit) commit(group []*submission) {
	var msgs []*nats.Msg
	for _, s := range group {
		msgs = append(msgs, s.msgs...)
	}
	err := g.send(msgs)
	var refused *jetstream.APIError
	if err != nil && len(group) > 1 && errors.As(err, &refused) {
		for _, s := range group {
			s.done <- g.send(s.msgs)
		}
		return
	}
	for _, s := range group {
		s.done <- err
	}
}

func (g *groupCommit) send(msgs []*nats.Msg) error {
	ctx, cancel := context.WithTimeout(context.Background(), publishTimeout)
	defer cancel()
	ok, err := storeAll(ctx, g.nc, g.js, msgs, g.atomic.Load())
	if !ok {
		g.atomic.Store(false)
	}
	return err
}

// close waits for the callers in progress, then stops.
func (g *groupCommit) close() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	g.callers.Wait()
	g.stopOnce.Do(func() { close(g.quit) })
	<-g.stopped
	g.inflight.Wait()
}
