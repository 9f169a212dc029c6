package faults

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/signpost/signpost/shared/bustest"
	"github.com/signpost/signpost/shared/event"
)

// natsServer is a standalone NATS server with JetStream on disk, syncing every write before it
// acknowledges (as the project's embedded server does), on a fixed port and store so that it can
// be killed and started again where it was.
type natsServer struct {
	*process
	addr string
}

func startNATS(t *testing.T) *natsServer {
	t.Helper()
	dir := t.TempDir()
	addr := freeAddr(t)
	conf := filepath.Join(dir, "nats.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(
		"listen: %q\njetstream {\n  store_dir: %q\n  sync_interval: always\n}\n", addr, filepath.Join(dir, "store"))), 0o600); err != nil {
		t.Fatal(err)
	}
	n := &natsServer{process: newProcess(t, "nats-server", os.Environ, "-c", conf), addr: addr}
	n.start()
	return n
}

// URL is the server's client URL.
func (n *natsServer) URL() string { return "nats://" + n.addr }

// start runs the server and waits until JetStream answers.
func (n *natsServer) start() {
	n.t.Helper()
	n.process.start()
	bustest.WaitFor(n.t, "NATS to be ready", func() bool {
		if !n.running() {
			n.t.Fatalf("nats-server exited: %v\n%s", n.err, tail(n.log, 20))
		}
		nc, err := nats.Connect(n.URL(), nats.Timeout(time.Second))
		if err != nil {
			return false
		}
		defer nc.Close()
		js, err := jetstream.New(nc)
		if err != nil {
			return false
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err = js.AccountInfo(ctx)
		return err == nil
	})
}

// jetStream is a connection for the test's own look at streams and consumers.
func (n *natsServer) jetStream(t *testing.T) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect(n.URL(), nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// consumerInfo reports a handler's durable consumer, as JetStream sees it.
func consumerInfo(t *testing.T, js jetstream.JetStream, handler string) *jetstream.ConsumerInfo {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	topo := event.Topology{}
	c, err := js.Consumer(ctx, topo.FeedbackStream(), topo.Consumer(handler))
	if err != nil {
		t.Fatalf("consumer of %s: %v", handler, err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		t.Fatalf("consumer of %s: %v", handler, err)
	}
	return info
}

// streamMessages counts the messages a stream holds on subject ("" for all).
func streamMessages(t *testing.T, js jetstream.JetStream, stream, subject string) uint64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, stream)
	if err != nil {
		t.Fatalf("stream %s: %v", stream, err)
	}
	if subject == "" {
		info, err := s.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return info.State.Msgs
	}
	info, err := s.Info(ctx, jetstream.WithSubjectFilter(subject))
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Subjects[subject]
}
