package ops_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/signpost/signpost/services/ops"
)

// clock is a time the test moves on by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func streams(lastSeq, delivered uint64, extra ...ops.ConsumerState) []ops.StreamState {
	return []ops.StreamState{{Name: "FEEDBACK", Messages: lastSeq, Bytes: lastSeq * 900, LastSeq: lastSeq,
		Consumers: append([]ops.ConsumerState{{Name: "classifier", Pending: lastSeq - delivered, AckPending: 2,
			Redelivered: 1, Delivered: delivered, OldestUnackedAge: 90 * time.Second}}, extra...)}}
}

func TestRatesAppearOnTheSecondSnapshot(t *testing.T) {
	h := newHarness(t)
	clk := &clock{t: deadLetteredAt}
	ops.SetClock(h.ops, clk.now)

	h.store.SetStreams(streams(1000, 900))
	first := decode[ops.Snapshot](t, h.api(t, "GET", "/ops/api/streams", token, ""), http.StatusOK)
	if first.IntervalSeconds != nil || first.Since != nil || first.Streams[0].InPerSecond != nil ||
		first.Streams[0].Consumers[0].DeliveredPerSecond != nil {
		t.Fatalf("first snapshot has rates: %+v", first)
	}
	c := first.Streams[0].Consumers[0]
	if c.Pending != 100 || c.AckPending != 2 || c.OldestUnackedSeconds != 90 {
		t.Fatalf("consumer = %+v", c)
	}

	clk.add(10 * time.Second)
	h.store.SetStreams(streams(1500, 1200, ops.ConsumerState{Name: "router", Delivered: 10}))
	second := decode[ops.Snapshot](t, h.api(t, "GET", "/ops/api/streams", token, ""), http.StatusOK)
	if second.IntervalSeconds == nil || *second.IntervalSeconds != 10 || !second.Since.Equal(deadLetteredAt) {
		t.Fatalf("interval = %v since %v", second.IntervalSeconds, second.Since)
	}
	s := second.Streams[0]
	if s.InPerSecond == nil || *s.InPerSecond != 50 {
		t.Fatalf("stream rate = %v, want 50/s", s.InPerSecond)
	}
	if r := s.Consumers[0].DeliveredPerSecond; r == nil || *r != 30 {
		t.Fatalf("classifier rate = %v, want 30/s", r)
	}
	if s.Consumers[1].DeliveredPerSecond != nil {
		t.Fatal("a consumer new since the last snapshot has a rate")
	}

	// A purged or recreated stream has counters that went back: its rate is unknown, not negative.
	clk.add(5 * time.Second)
	h.store.SetStreams(streams(10, 5))
	third := decode[ops.Snapshot](t, h.api(t, "GET", "/ops/api/streams", token, ""), http.StatusOK)
	if third.Streams[0].InPerSecond != nil || third.Streams[0].Consumers[0].DeliveredPerSecond != nil {
		t.Fatalf("rates after counters went back: %+v", third.Streams[0])
	}
}

func TestPageShowsRatesOnTheSecondLook(t *testing.T) {
	h := newHarness(t)
	clk := &clock{t: deadLetteredAt}
	ops.SetClock(h.ops, clk.now)
	b := newBrowser(t, h)
	b.signIn(t, token)

	h.store.SetStreams(streams(1000, 900))
	page := b.get(t, "/ops", http.StatusOK)
	if !strings.Contains(page, "unknown") || strings.Contains(page, "50.0/s") {
		t.Fatal("the first look does not show rates as unknown")
	}
	for _, want := range []string{"FEEDBACK", "classifier", "1m 30s", "Pending (lag)", `scope="col"`, `scope="row"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	clk.add(10 * time.Second)
	h.store.SetStreams(streams(1500, 1200))
	page = b.get(t, "/ops", http.StatusOK)
	if !strings.Contains(page, "50.0/s") || !strings.Contains(page, "30.0/s") || !strings.Contains(page, "over the 10s since the last look") {
		t.Fatal("the second look does not show 50.0/s arriving and 30.0/s delivered")
	}
}
