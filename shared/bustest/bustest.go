// Package bustest gives a test a real NATS JetStream server: the embedded server (the real one,
// in-process) by default, or the server at NATS_URL. Each test gets its own subject prefix, so
// tests sharing a server do not see each other's messages.
package bustest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/event"
)

// NATS is one test's messaging setup.
type NATS struct {
	Connect  bus.Connector
	Topology event.Topology
	Server   *server.Server // nil when NATS_URL is used
}

// Start returns a connector to a JetStream server with this test's streams created.
func Start(t testing.TB) NATS {
	t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	n := NATS{Topology: event.Topology{Prefix: "t" + hex.EncodeToString(b)}}
	if url := os.Getenv("NATS_URL"); url != "" {
		n.Connect = bus.Remote(url)
	} else {
		ns, err := bus.StartEmbedded(t.TempDir(), "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
		n.Server, n.Connect = ns, bus.InProcess(ns)
	}
	nc, err := n.Connect("bustest-setup")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := bus.EnsureStreams(ctx, nc, n.Topology, bus.StreamLimits{DuplicateWindow: time.Minute}); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("NATS_URL") != "" {
		t.Cleanup(func() { deleteStreams(nc.Opts.Url, n.Topology) })
	}
	return n
}

// Settings are fast settings for tests: short pauses, few attempts.
func Settings() bus.Settings {
	s := bus.DefaultSettings()
	s.Concurrency, s.Attempts, s.RetryInterval, s.RedeliveryDelay, s.AckWait = 4, 3, 5*time.Millisecond, 200*time.Millisecond, 5*time.Second
	s.MaxDeliver = 4
	return s
}
