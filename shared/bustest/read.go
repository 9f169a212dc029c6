package bustest

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// JetStream is a JetStream client on a connection of its own, closed when the test ends (its
// Conn is there for what needs the core connection).
func (n NATS) JetStream(t testing.TB) jetstream.JetStream {
	t.Helper()
	js, closeConn := n.client(t, "bustest-client")
	t.Cleanup(closeConn)
	return js
}

// client is a JetStream client on a new connection, and what closes it.
func (n NATS) client(t testing.TB, name string) (jetstream.JetStream, func()) {
	t.Helper()
	nc, err := n.Connect(name)
	if err != nil {
		t.Fatal(err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		t.Fatal(err)
	}
	return js, nc.Close
}

// Messages returns every message stored in the stream, oldest first.
func (n NATS) Messages(t testing.TB, stream string) []*jetstream.RawStreamMsg {
	t.Helper()
	js, closeConn := n.client(t, "bustest-reader")
	defer closeConn()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []*jetstream.RawStreamMsg
	for seq := info.State.FirstSeq; info.State.Msgs > 0 && seq <= info.State.LastSeq; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			continue // deleted
		}
		out = append(out, m)
	}
	return out
}

// WaitFor polls cond until it holds, failing the test after 15 seconds.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
