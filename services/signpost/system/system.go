// Package system composes the all-in-one Signpost: an embedded NATS server (or NATS_URL),
// Postgres, and the ingest, classifier, notifier, inbox and ops services, from the same packages
// their own binaries use. It is the composition root of `signpost`, its tests and `bench`.
package system

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"

	"github.com/signpost/signpost/services/classifier"
	"github.com/signpost/signpost/services/inbox"
	"github.com/signpost/signpost/services/ingest"
	"github.com/signpost/signpost/services/notifier"
	"github.com/signpost/signpost/services/ops"
	"github.com/signpost/signpost/shared/boot"
	"github.com/signpost/signpost/shared/config"
)

// Tokens are the all-in-one's API tokens, generated when not configured.
type Tokens struct{ Inbox, Ops string }

// Start builds and starts every service in this process.
func Start(ctx context.Context, getenv func(string) string, logs io.Writer) (*boot.System, Tokens, error) {
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
