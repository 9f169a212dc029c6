// Command signpost runs the whole system in one process: an embedded NATS server with JetStream
// (or the one at NATS_URL), Postgres at DATABASE_URL, and the ingest, classifier, notifier and
// inbox services, composed from the same packages their own binaries use.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/signpost/signpost/services/ops/cli"
	"github.com/signpost/signpost/services/signpost/system"
	"github.com/signpost/signpost/shared/boot"
	"github.com/signpost/signpost/shared/store"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "dlq" { // signpost dlq list|show|replay|discard: the ops API's client
		boot.Main("signpost dlq", func(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
			return cli.Run(ctx, os.Args[1:], getenv, os.Stdin, stdout)
		})
		return
	}
	system.LimitMemory()
	boot.Main("signpost", func(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
		return run(ctx, getenv, stdout, os.Stderr)
	})
}

func run(ctx context.Context, getenv func(string) string, stdout, logs io.Writer) error {
	sys, tokens, err := system.Start(ctx, getenv, logs)
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

func banner(w io.Writer, sys *boot.System, tokens system.Tokens) {
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
  Inbox           %[1]s/inbox   (Practice Managers sign in with email and password)
  See an item     GET  %[1]s/v1/organisations/{organisation}/items/{id}
                  with Authorization: Bearer <personal API token from inboxadmin token create>
  Patient forms   %[1]s/practices/charlton-medical-centre/review   (…/fft, …/complaint)
  Operations      %[1]s/ops   (operator token %[5]s)
  Metrics         %[1]s/metrics
  Health          %[1]s/healthz   %[1]s/readyz
  NATS            %[2]s
  Postgres        %[3]s
  Practices       %[4]s
`, sys.URL(), nats, store.Redact(s.DatabaseURL), strings.Join(sys.Policies.Practices(), ", "), tokens.Ops)
	if len(tokens.Administrators) > 0 {
		fmt.Fprintln(w, "  First sign-ins (created now because nobody could sign in; shown once, keep them safe):")
		for _, c := range tokens.Administrators {
			fmt.Fprintf(w, "                  %s   %s   password %s\n", c.Organisation, c.Email, c.Password)
		}
	}
	fmt.Fprint(w, `  Real people     go run ./services/inbox/cmd/inboxadmin user create -organisation SLUG -email EMAIL [-role administrator] -generate
  API tokens      go run ./services/inbox/cmd/inboxadmin token create -email EMAIL
Press Ctrl+C to stop.
`)
}
