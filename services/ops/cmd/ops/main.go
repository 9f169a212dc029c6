// Command ops serves the operations page and API against an external NATS (NATS_URL).
package main

import (
	"context"
	"errors"
	"io"

	"github.com/signpost/signpost/services/ops"
	"github.com/signpost/signpost/shared/boot"
	"github.com/signpost/signpost/shared/config"
)

func main() { boot.Main("ops", run) }

func run(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	env := config.New(getenv)
	s := boot.Read(env, "ops", "127.0.0.1:8084", "nats://127.0.0.1:4222")
	token := env.String("OPS_API_TOKEN", "")
	if err := env.Err(); err != nil {
		return err
	}
	if len(token) < 32 {
		return errors.New("OPS_API_TOKEN: set a secret of at least 32 characters")
	}
	sys, err := boot.Open(ctx, s, boot.Needs{NATS: true}, stdout)
	if err != nil {
		return err
	}
	if err := ops.Mount(sys, token); err != nil {
		return errors.Join(err, sys.Stop(context.Background()))
	}
	return sys.Serve(ctx)
}
