package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	_ "github.com/lib/pq" // the Postgres driver, for OpenItemStore
)

// itemStoreTimeout bounds how long intake waits to hear from the item store before answering 503.
const itemStoreTimeout = 2 * time.Second

// RequireItemStore returns a publisher that publishes through pub only once the item store
// (Postgres, where the classifier and notifier write) has answered a ping made after the publish
// was asked for; otherwise it publishes nothing and returns an error, and intake answers 503.
//
// An item accepted while the store is down is not lost (JetStream holds it), but nothing can
// happen to it: the handlers try it again every BUS_REDELIVERY_DELAY until BUS_MAX_DELIVER, and an
// outage longer than that leaves it in the dead-letter stream for a person to replay. Refusing
// instead keeps it with the sender, who sends again (Meta retries for 36 hours; the form asks the
// patient), and it flows as soon as the store is back. One ping serves every publish that waits
// while it is under way, so under load the check costs one round trip per batch of requests.
func RequireItemStore(pub message.Publisher, ping func(context.Context) error) message.Publisher {
	return &storeGate{Publisher: pub, ping: ping}
}

// OpenItemStore opens a small pool to the item store at dsn for RequireItemStore's pings, without
// waiting for it: intake starts while Postgres is down, and refuses items until it answers.
func OpenItemStore(dsn string) (*sql.DB, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	db.SetMaxOpenConns(2)
	db.SetMaxIdleConns(2)
	db.SetConnMaxIdleTime(time.Minute)
	return db, nil
}

type storeGate struct {
	message.Publisher
	ping func(context.Context) error

	mu      sync.Mutex
	next    *pingRound // the ping the next caller waits for; nil when nobody waits
	pinging bool
}

// pingRound is one ping and everyone waiting for it.
type pingRound struct {
	done    chan struct{}
	err     error
	waiters int
}

func (g *storeGate) Publish(topic string, msgs ...*message.Message) error {
	if err := g.check(); err != nil {
		return fmt.Errorf("the item store does not answer, so nothing was published: %w", err)
	}
	return g.Publisher.Publish(topic, msgs...)
}

// check waits for a ping that starts after it was called, and returns its outcome.
func (g *storeGate) check() error {
	g.mu.Lock()
	r := g.next
	if r == nil {
		r = &pingRound{done: make(chan struct{})}
		g.next = r
	}
	r.waiters++
	if !g.pinging {
		g.pinging = true
		go g.pingWhileAsked()
	}
	g.mu.Unlock()
	<-r.done
	return r.err
}

// pingWhileAsked pings once for each round that has callers waiting, one round after another,
// and stops when nobody waits.
func (g *storeGate) pingWhileAsked() {
	for {
		g.mu.Lock()
		r := g.next
		g.next = nil
		if r == nil {
			g.pinging = false
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), itemStoreTimeout)
		r.err = g.ping(ctx)
		cancel()
		close(r.done)
	}
}
