// Command ingest takes in website form submissions and publishes them to an external NATS (NATS_URL),
// while the item store (DATABASE_URL) answers.
package main

import (
	"context"
	"io"

	"github.com/signpost/signpost/services/ingest"
	"github.com/signpost/signpost/shared/boot"
	"github.com/signpost/signpost/shared/config"
)

func main() { boot.Main("ingest", run) }

func run(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	env := config.New(getenv)
	s := boot.Read(env, "ingest", "127.0.0.1:8080", "nats://127.0.0.1:4222")
	cfg := ingest.ReadConfig(env)
	if err := env.Err(); err != nil {
		return err
	}
	sys, err := boot.Open(ctx, s, boot.Needs{NATS: true}, stdout)
	if err != nil {
		return err
	}
	pub, err := sys.Publisher()
	if err != nil {
		return err
	}
	// Intake accepts items only while the item store answers (see ingest.RequireItemStore).
	itemStore, err := ingest.OpenItemStore(s.DatabaseURL)
	if err != nil {
		return err
	}
	defer itemStore.Close()
	in, err := ingest.New(cfg, sys.Policies, ingest.RequireItemStore(pub, itemStore.PingContext), s.Topology, sys.Metrics, sys.Log)
	if err != nil {
		return err
	}
	in.Routes(sys.Mux)
	return sys.Serve(ctx)
}
