package ingest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/pubsub/gochannel"
)

// gatedPings is a ping whose every call waits for the test to answer it.
type gatedPings struct {
	calls   atomic.Int32
	answers chan error
}

func (g *gatedPings) ping(context.Context) error {
	g.calls.Add(1)
	return <-g.answers
}

// waitForWaiters waits until n callers wait for the next ping.
func waitForWaiters(t *testing.T, g *storeGate, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		g.mu.Lock()
		got := 0
		if g.next != nil {
			got = g.next.waiters
		}
		g.mu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d callers wait for the next ping, want %d", got, n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestACallerArrivingDuringAPingWaitsForTheNextOneAndOnePingServesThemAll(t *testing.T) {
	pings := &gatedPings{answers: make(chan error)}
	pub := gochannel.NewGoChannel(gochannel.Config{}, nil)
	defer pub.Close()
	g := RequireItemStore(pub, pings.ping).(*storeGate)

	first := make(chan error, 1)
	go func() { first <- g.Publish("t", message.NewMessage("1", nil)) }()
	for pings.calls.Load() != 1 { // the first ping is under way, and waits for its answer
		time.Sleep(time.Millisecond)
	}

	const late = 20
	var wg sync.WaitGroup
	results := make(chan error, late)
	for i := range late {
		wg.Go(func() { results <- g.Publish("t", message.NewMessage(string(rune('a'+i)), nil)) })
	}
	waitForWaiters(t, g, late) // all joined the round after the one under way

	pings.answers <- nil // the store answered the first ping...
	if err := <-first; err != nil {
		t.Fatalf("the caller of the ping that succeeded got %v", err)
	}
	down := errors.New("connection refused")
	pings.answers <- down // ...and was down by the time the late callers' ping went
	wg.Wait()
	close(results)
	for err := range results {
		if !errors.Is(err, down) {
			t.Errorf("a caller that came during the first ping got %v, want the second ping's failure", err)
		}
	}
	if n := pings.calls.Load(); n != 2 {
		t.Errorf("%d pings for %d callers, want 2", n, late+1)
	}
}
