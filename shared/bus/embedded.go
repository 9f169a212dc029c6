// Package bus is Signpost's messaging layer: NATS JetStream streams created by the code, Watermill
// publishers and subscribers over watermill-nats (durable consumers, explicit acks), and a router
// whose handlers retry with backoff and send what keeps failing to a dead-letter subject.
package bus

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// StartEmbedded starts a NATS server with JetStream inside this process, storing under dir and
// syncing every write to disk before it acknowledges a publish. With listen empty it opens no port
// (clients connect in-process), so it never collides with a NATS server already on the machine.
func StartEmbedded(dir, listen string) (*server.Server, error) {
	opts := &server.Options{
		ServerName: "signpost-embedded",
		JetStream:  true,
		StoreDir:   dir,
		SyncAlways: true, // fsync before acknowledging: a power cut loses nothing acknowledged
		NoSigs:     true,
		NoLog:      true,
		DontListen: listen == "",
	}
	if listen != "" {
		host, port, err := net.SplitHostPort(listen)
		if err != nil {
			return nil, fmt.Errorf("embedded NATS listen address %q: %w", listen, err)
		}
		opts.Host = host
		if opts.Port, err = strconv.Atoi(port); err != nil {
			return nil, fmt.Errorf("embedded NATS listen address %q: %w", listen, err)
		}
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("embedded NATS: %w", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(15 * time.Second) {
		ns.Shutdown()
		return nil, fmt.Errorf("embedded NATS did not become ready (store %s)", dir)
	}
	return ns, nil
}

// Connector opens a new NATS connection. Each publisher and subscriber gets its own, because
// watermill-nats closes or drains the connection it was given when it is closed.
type Connector func(name string) (*nats.Conn, error)

// InProcess connects to an embedded server without a network port.
func InProcess(ns *server.Server) Connector {
	return func(name string) (*nats.Conn, error) {
		return nats.Connect(ns.ClientURL(), nats.InProcessServer(ns), nats.Name(name))
	}
}

// Remote connects to the NATS server at url, reconnecting for as long as the process lives.
func Remote(url string) Connector {
	return func(name string) (*nats.Conn, error) {
		nc, err := nats.Connect(url, nats.Name(name), nats.MaxReconnects(-1), nats.ReconnectWait(time.Second),
			nats.RetryOnFailedConnect(false))
		if err != nil {
			return nil, fmt.Errorf("connect to NATS at %s: %w", url, err)
		}
		return nc, nil
	}
}
