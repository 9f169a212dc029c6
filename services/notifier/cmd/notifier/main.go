// Command notifier carries out what each decision causes, against an external NATS (NATS_URL) and
// Postgres (DATABASE_URL).
package main

import (
	"context"
	"io"

	"github.com/signpost/signpost/services/notifier"
	"github.com/signpost/signpost/shared/boot"
	"github.com/signpost/signpost/shared/config"
	"github.com/signpost/signpost/shared/retention"
)

func main() { boot.Main("notifier", run) }

func run(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	env := config.New(getenv)
	s := boot.Read(env, "notifier", "127.0.0.1:8082", "nats://127.0.0.1:4222")
	delivery := notifier.ReadDeliveryConfig(env)
	if err := env.Err(); err != nil {
		return err
	}
	sys, err := boot.Open(ctx, s, boot.Needs{Database: true, Router: true}, stdout)
	if err != nil {
		return err
	}
	n, err := notifier.New(sys.Policies, sys.DB, sys.Log)
	if err == nil {
		err = n.Register(sys.Router)
	}
	if err != nil {
		return err
	}
	sys.Background(n.Worker(delivery, sys.Metrics).Run)
	sys.Background((&retention.Purger{DB: sys.DB, Policies: sys.Policies, Log: sys.Log}).Run)
	return sys.Serve(ctx)
}
