// Package live tells open inbox pages that entries changed, so new items appear without a reload.
// A trigger on inbox_entries sends a Postgres NOTIFY (ids, organisation, kind, priority: never
// text); one LISTEN connection per process fans it out to the pages of that organisation.
package live

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/lib/pq"
	"github.com/rs/zerolog"

	"github.com/signpost/signpost/shared/wire"
)

// Channel is the NOTIFY channel the migration's trigger uses.
const Channel = "signpost_inbox"

// Change is one inbox entry created or changed.
type Change struct {
	Organisation string `json:"organisation"`
	ItemID       string `json:"item_id"`
	Kind         string `json:"kind"`
	Priority     string `json:"priority"`
	State        string `json:"state"`
}

// Hub fans changes out to subscribers of each organisation.
type Hub struct {
	mu   sync.Mutex
	subs map[chan Change]string // subscriber -> organisation
	done chan struct{}
}

// NewHub returns a hub with no subscribers.
func NewHub() *Hub { return &Hub{subs: map[chan Change]string{}, done: make(chan struct{})} }

// Subscribe returns the organisation's changes until cancel is called. A subscriber that falls
// behind misses changes rather than holding up the others (the page refreshes whole anyway).
func (h *Hub) Subscribe(organisation string) (<-chan Change, func()) {
	ch := make(chan Change, 16)
	h.mu.Lock()
	h.subs[ch] = organisation
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.subs, ch)
		h.mu.Unlock()
	}
}

// Done is closed when the hub stops: subscribers end their streams.
func (h *Hub) Done() <-chan struct{} { return h.done }

// Publish sends a change to the organisation's subscribers; an empty organisation reaches all
// (after a reconnect, when changes may have been missed).
func (h *Hub) Publish(c Change) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch, org := range h.subs {
		if c.Organisation != "" && org != c.Organisation {
			continue
		}
		select {
		case ch <- c:
		default:
		}
	}
}

// readChange reads a notification's change; false for one without an organisation, which the
// trigger never sends.
func readChange(payload string) (Change, bool) {
	var c Change
	r := wire.NewReader([]byte(payload))
	r.Object(func(key []byte) {
		switch string(key) {
		case "organisation":
			wire.String(r, &c.Organisation)
		case "item_id":
			wire.String(r, &c.ItemID)
		case "kind":
			wire.String(r, &c.Kind)
		case "priority":
			wire.String(r, &c.Priority)
		case "state":
			wire.String(r, &c.State)
		default:
			r.Unknown()
		}
	})
	r.End()
	if r.Failed() { // anything unusual is left to encoding/json
		c = Change{}
		if err := json.Unmarshal([]byte(payload), &c); err != nil {
			return Change{}, false
		}
	}
	if c.Organisation == "" {
		return Change{}, false
	}
	return c, true
}

// Listen receives the database's notifications until ctx ends, then closes the hub.
func (h *Hub) Listen(ctx context.Context, dsn string, log zerolog.Logger) error {
	defer close(h.done)
	l := pq.NewListener(dsn, 500*time.Millisecond, 10*time.Second, func(ev pq.ListenerEventType, err error) {
		if err != nil {
			log.Warn().Err(err).Msg("inbox live updates: database connection")
		}
	})
	defer l.Close()
	if err := l.Listen(Channel); err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case n := <-l.Notify:
			if n == nil { // reconnected: anything may have changed meanwhile
				h.Publish(Change{})
				continue
			}
			if c, ok := readChange(n.Extra); ok {
				h.Publish(c)
			}
		case <-time.After(90 * time.Second):
			go func() { _ = l.Ping() }()
		}
	}
}
