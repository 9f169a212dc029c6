package inbox

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/signpost/signpost/services/inbox/internal/auth"
	"github.com/signpost/signpost/services/inbox/internal/live"
)

// heartbeat is how often an idle stream is checked: the session must still be live, and the
// browser still there.
const heartbeat = 20 * time.Second

// liveEvent is what a page is told about a change: ids and identifiers, never text.
type liveEvent struct {
	ItemID    string `json:"item_id,omitempty"`
	Kind      string `json:"kind,omitempty"`
	KindLabel string `json:"kind_label,omitempty"`
	Priority  string `json:"priority,omitempty"`
	State     string `json:"state,omitempty"`
}

// events streams the organisation's inbox changes as Server-Sent Events. The stream takes over
// its connection (so the server's shutdown does not wait for it) and ends when the inbox stops,
// the session ends, or the browser goes.
func (in *Inbox) events(w http.ResponseWriter, r *http.Request) {
	token := in.sessionToken(r)
	p, err := in.sessions.Peek(r.Context(), token)
	if errors.Is(err, auth.ErrSignedOut) {
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "sign in to receive updates", http.StatusUnauthorized)
		return
	} else if err != nil {
		w.Header().Set("Retry-After", "5")
		http.Error(w, "updates are not available just now", http.StatusServiceUnavailable)
		return
	}
	changes, cancel := in.hub.Subscribe(p.Organisation)
	defer cancel()

	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "updates need an HTTP/1.1 connection", http.StatusHTTPVersionNotSupported)
		return
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Time{})
	gone := make(chan struct{})
	go func() { // the browser closing the connection ends the stream
		_, _ = io.Copy(io.Discard, conn)
		close(gone)
	}()
	out := bufio.NewWriter(conn)
	_ = buf // nothing buffered is read from a GET without a body
	fmt.Fprint(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"+
		"X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 2000\n\n")
	send := func(name string, e liveEvent) bool {
		data, _ := json.Marshal(e)
		_ = conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprintf(out, "event: %s\ndata: %s\n\n", name, data)
		return out.Flush() == nil
	}
	if out.Flush() != nil {
		return
	}
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-gone:
			return
		case <-in.hub.Done():
			return
		case c := <-changes:
			if !send("change", toEvent(c)) {
				return
			}
		case <-tick.C:
			if _, err := in.sessions.Peek(r.Context(), token); errors.Is(err, auth.ErrSignedOut) {
				send("signed-out", liveEvent{})
				return
			}
			_ = conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
			fmt.Fprint(out, ": still here\n\n")
			if out.Flush() != nil {
				return
			}
		}
	}
}

func toEvent(c live.Change) liveEvent {
	e := liveEvent{ItemID: c.ItemID, Kind: c.Kind, Priority: c.Priority, State: c.State}
	if c.Kind != "" {
		e.KindLabel = label(kindLabels, c.Kind)
	}
	return e
}
