// Command signpost runs the whole system in one process: an embedded NATS server with JetStream
// (or the one at NATS_URL), Postgres at DATABASE_URL, and the ingest, classifier, notifier and
// inbox services, composed from the same packages their own binaries use.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/signpost/signpost/services/classifier"
	"github.com/signpost/signpost/services/inbox"
	"github.com/signpost/signpost/services/ingest"
	"github.com/signpost/signpost/services/notifier"
	"github.com/signpost/signpost/services/ops"
	"github.com/signpost/signpost/services/ops/cli"
	"github.com/signpost/signpost/shared/boot"
	"github.com/signpost/signpost/shared/config"
	"github.com/signpost/signpost/shared/store"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "dlq" { // signpost dlq list|show|replay|discard: the ops API's client
		boot.Main("signpost dlq", func(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
			return cli.Run(ctx, os.Args[1:], getenv, os.Stdin, stdout)
		})
		return
	}
	boot.Main("signpost", func(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
		return run(ctx, getenv, stdout, os.Stderr)
	})
}

func run(ctx context.Context, getenv func(string) string, stdout, logs io.Writer) error {
	sys, tokens, err := start(ctx, getenv, logs)
	if err != nil {
		return err
	}
	banner(stdout, sys, tokens)
	<-ctx.Done()
	fmt.Fprintln(stdout, "Stopping: HTTP intake, then messages in flight, then NATS, then the database.")
	stopCtx, cancel := context.WithTimeout(context.Background(), sys.Settings.Bus.AckWait+10*time.Second)
	defer cancel()
	if err := sys.Stop(stopCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	fmt.Fprintln(stdout, "Stopped cleanly.")
	return nil
}

// Tokens are the all-in-one's API tokens, generated when not configured.
type Tokens struct{ Inbox, Ops string }

// start builds and starts every service in this process.
func start(ctx context.Context, getenv func(string) string, logs io.Writer) (*boot.System, Tokens, error) {
	env := config.New(getenv)
	s := boot.Read(env, "signpost", "127.0.0.1:8080", "")
	tokens := Tokens{Inbox: env.String("INBOX_API_TOKEN", ""), Ops: env.String("OPS_API_TOKEN", "")}
	intake := ingest.ReadConfig(env)
	delivery := notifier.ReadDeliveryConfig(env)
	if err := env.Err(); err != nil {
		return nil, tokens, err
	}
	for _, t := range []*string{&tokens.Inbox, &tokens.Ops} {
		if *t == "" {
			b := make([]byte, 24)
			_, _ = rand.Read(b)
			*t = hex.EncodeToString(b)
		}
	}
	sys, err := boot.Open(ctx, s, boot.Needs{Database: true, Router: true, EmbeddedNATS: true}, logs)
	if err != nil {
		return nil, tokens, err
	}
	fail := func(err error) (*boot.System, Tokens, error) {
		_ = sys.Stop(context.Background())
		return nil, tokens, err
	}
	pub, err := sys.Publisher()
	if err != nil {
		return fail(err)
	}
	in, err := ingest.New(intake, sys.Policies, pub, s.Topology, sys.Metrics, sys.Log)
	if err != nil {
		return fail(err)
	}
	in.Routes(sys.Mux)
	inbox.New(sys.DB, sys.Policies, tokens.Inbox, sys.Log).Routes(sys.Mux)
	if err := ops.Mount(sys, tokens.Ops); err != nil {
		return fail(err)
	}
	c, err := classifier.New(sys.Policies, sys.DB, sys.Metrics, sys.Log)
	if err != nil {
		return fail(err)
	}
	if err := c.Register(sys.Router); err != nil {
		return fail(err)
	}
	n, err := notifier.New(sys.Policies, sys.DB, sys.Log)
	if err != nil {
		return fail(err)
	}
	if err := n.Register(sys.Router); err != nil {
		return fail(err)
	}
	sys.Background(n.Worker(delivery, sys.Metrics).Run)
	if err := sys.Start(ctx); err != nil {
		return fail(err)
	}
	return sys, tokens, nil
}

func banner(w io.Writer, sys *boot.System, tokens Tokens) {
	s := sys.Settings
	nats := "embedded, in-process only (no port), store " + s.DataDir + "/nats, fsync on every write"
	if s.NATSURL != "" {
		nats = s.NATSURL
	} else if s.EmbeddedNATSListen != "" {
		nats = "embedded, listening on " + s.EmbeddedNATSListen + ", store " + s.DataDir + "/nats"
	}
	fmt.Fprintf(w, `
Signpost is running.
  Submit a form   POST %[1]s/v1/submissions   (JSON: practice, channel, text, email?, rating?)
  See an item     GET  %[1]s/v1/organisations/{organisation}/items/{id}
                  with Authorization: Bearer %[2]s
  Patient forms   %[1]s/practices/charlton-medical-centre/review   (…/fft, …/complaint)
  Operations      %[1]s/ops   (operator token %[6]s)
  Metrics         %[1]s/metrics
  Health          %[1]s/healthz   %[1]s/readyz
  NATS            %[3]s
  Postgres        %[4]s
  Practices       %[5]s
Press Ctrl+C to stop.
`, sys.URL(), tokens.Inbox, nats, store.Redact(s.DatabaseURL), strings.Join(sys.Policies.Practices(), ", "), tokens.Ops)
}
