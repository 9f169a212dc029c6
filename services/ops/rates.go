package ops

import (
	"slices"
	"sync"
	"time"
)

// Snapshot is the state of every stream at one moment, with rates measured since the snapshot
// before it. Rates are nil (JSON null, "unknown" on the page) on the first snapshot, for a stream
// or consumer that was not in the previous snapshot, and when a counter went backwards (a stream
// was purged or recreated).
type Snapshot struct {
	TakenAt         time.Time      `json:"taken_at"`
	Since           *time.Time     `json:"since"`            // when the previous snapshot was taken
	IntervalSeconds *float64       `json:"interval_seconds"` // seconds between the two
	Streams         []StreamReport `json:"streams"`
}

// StreamReport is one stream with how fast messages are appended to it.
type StreamReport struct {
	Name        string           `json:"name"`
	Messages    uint64           `json:"messages"`
	Bytes       uint64           `json:"bytes"`
	LastSeq     uint64           `json:"last_seq"`
	InPerSecond *float64         `json:"in_per_second"` // messages appended per second
	Consumers   []ConsumerReport `json:"consumers"`
}

// ConsumerReport is one consumer with how fast it is being delivered messages.
type ConsumerReport struct {
	ConsumerState
	OldestUnackedSeconds float64  `json:"oldest_unacked_seconds"`
	DeliveredPerSecond   *float64 `json:"delivered_per_second"` // messages delivered per second
}

// rateTracker keeps the last snapshot in memory with its time, so the next view can say how
// fast each counter moved since.
type rateTracker struct {
	mu   sync.Mutex
	prev []StreamState
	at   time.Time
}

// observe turns the current states into a Snapshot measured against the previous one, and keeps
// the current states as the new previous snapshot.
func (t *rateTracker) observe(now time.Time, cur []StreamState) Snapshot {
	kept := make([]StreamState, len(cur)) // a copy, so the caller may reuse what it passed in
	for i, s := range cur {
		kept[i] = s
		kept[i].Consumers = slices.Clone(s.Consumers)
	}
	t.mu.Lock()
	prev, at := t.prev, t.at
	t.prev, t.at = kept, now
	t.mu.Unlock()

	snap := Snapshot{TakenAt: now, Streams: make([]StreamReport, 0, len(cur))}
	var secs float64
	if !at.IsZero() {
		secs = now.Sub(at).Seconds()
		if secs > 0 {
			since := at
			snap.Since, snap.IntervalSeconds = &since, &secs
		}
	}
	before := map[string]StreamState{}
	for _, s := range prev {
		before[s.Name] = s
	}
	for _, s := range cur {
		old, had := before[s.Name]
		rep := StreamReport{Name: s.Name, Messages: s.Messages, Bytes: s.Bytes, LastSeq: s.LastSeq,
			Consumers: make([]ConsumerReport, 0, len(s.Consumers))}
		if had {
			rep.InPerSecond = rate(old.LastSeq, s.LastSeq, secs)
		}
		oldConsumers := map[string]ConsumerState{}
		for _, c := range old.Consumers {
			oldConsumers[c.Name] = c
		}
		for _, c := range s.Consumers {
			cr := ConsumerReport{ConsumerState: c, OldestUnackedSeconds: c.OldestUnackedAge.Seconds()}
			if oc, ok := oldConsumers[c.Name]; ok && had {
				cr.DeliveredPerSecond = rate(oc.Delivered, c.Delivered, secs)
			}
			rep.Consumers = append(rep.Consumers, cr)
		}
		snap.Streams = append(snap.Streams, rep)
	}
	return snap
}

// rate is how fast a counter moved from before to now over secs seconds, or nil when that is not
// known.
func rate(before, now uint64, secs float64) *float64 {
	if secs <= 0 || now < before {
		return nil
	}
	r := float64(now-before) / secs
	return &r
}
