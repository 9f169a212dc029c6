// Command classifier decides what each received item is, against an external NATS (NATS_URL) and
// Postgres (DATABASE_URL).
package main

import (
	"context"
	"io"

	"github.com/signpost/signpost/services/classifier"
	"github.com/signpost/signpost/shared/boot"
	"github.com/signpost/signpost/shared/config"
)

func main() { boot.Main("classifier", run) }

func run(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	env := config.New(getenv)
	s := boot.Read(env, "classifier", "127.0.0.1:8081", "nats://127.0.0.1:4222")
	if err := env.Err(); err != nil {
		return err
	}
	sys, err := boot.Open(ctx, s, boot.Needs{Database: true, Router: true}, stdout)
	if err != nil {
		return err
	}
	c, err := classifier.New(sys.Policies, sys.DB, sys.Metrics, sys.Log)
	if err == nil {
		err = c.Register(sys.Router)
	}
	if err != nil {
		return err
	}
	return sys.Serve(ctx)
}
