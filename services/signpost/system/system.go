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
	"github.com/signpost/signpost/shared/retention"
)

// Tokens are the all-in-one's credentials: the operators' token (generated when not configured)
// and, on a database nobody can sign in to yet, the first administrator of each organisation with
// a generated password, to print once and never log.
type Tokens struct {
	Ops            string
	Administrators []inbox.Credential
}

// Start builds and starts every service in this process.
func Start(ctx context.Context, getenv func(string) string, logs io.Writer) (*boot.System, Tokens, error) {
	env := config.New(getenv)
	s := boot.Read(env, "signpost", "127.0.0.1:8080", "")
	tokens := Tokens{Ops: env.String("OPS_API_TOKEN", "")}
	inboxConfig := inbox.ReadConfig(env, s.HTTPAddr, s.DatabaseURL)
	intake := ingest.ReadConfig(env)
	delivery := notifier.ReadDeliveryConfig(env)
	if err := env.Err(); err != nil {
		return nil, tokens, err
	}
	for _, t := range []*string{&tokens.Ops} {
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
	in, err := ingest.New(intake, sys.Policies, ingest.RequireItemStore(pub, sys.DB.PingContext), s.Topology, sys.Metrics, sys.Log)
	if err != nil {
		return fail(err)
	}
	in.Routes(sys.Mux)
	if _, err := inbox.Mount(sys, inboxConfig); err != nil {
		return fail(err)
	}
	if tokens.Administrators, err = inbox.Bootstrap(ctx, sys.DB, sys.Policies); err != nil {
		return fail(err)
	}
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
	sys.Background((&retention.Purger{DB: sys.DB, Policies: sys.Policies, Log: sys.Log}).Run)
	if err := sys.Start(ctx); err != nil {
		return fail(err)
	}
	return sys, tokens, nil
}
