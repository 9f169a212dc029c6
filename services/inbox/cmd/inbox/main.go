// Command inbox serves the Practice Manager's inbox (pages and JSON API) from Postgres
// (DATABASE_URL), publishing confirmed and corrected decisions to NATS (NATS_URL). People and API
// tokens are created with inboxadmin.
package main

import (
	"context"
	"io"

	"github.com/signpost/signpost/services/inbox"
	"github.com/signpost/signpost/shared/boot"
	"github.com/signpost/signpost/shared/config"
)

func main() { boot.Main("inbox", run) }

func run(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	env := config.New(getenv)
	s := boot.Read(env, "inbox", "127.0.0.1:8083", "nats://127.0.0.1:4222")
	cfg := inbox.ReadConfig(env, s.HTTPAddr, s.DatabaseURL)
	if err := env.Err(); err != nil {
		return err
	}
	sys, err := boot.Open(ctx, s, boot.Needs{Database: true, NATS: true}, stdout)
	if err != nil {
		return err
	}
	if _, err := inbox.Mount(sys, cfg); err != nil {
		_ = sys.Stop(context.Background())
		return err
	}
	return sys.Serve(ctx)
}
