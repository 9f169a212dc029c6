// Command inbox serves items with their decisions and actions from Postgres (DATABASE_URL).
package main

import (
	"context"
	"errors"
	"io"

	"github.com/signpost/signpost/services/inbox"
	"github.com/signpost/signpost/shared/boot"
	"github.com/signpost/signpost/shared/config"
)

func main() { boot.Main("inbox", run) }

func run(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	env := config.New(getenv)
	s := boot.Read(env, "inbox", "127.0.0.1:8083", "")
	token := env.String("INBOX_API_TOKEN", "")
	if err := env.Err(); err != nil {
		return err
	}
	if len(token) < 32 {
		return errors.New("INBOX_API_TOKEN: set a secret of at least 32 characters")
	}
	sys, err := boot.Open(ctx, s, boot.Needs{Database: true}, stdout)
	if err != nil {
		return err
	}
	inbox.New(sys.DB, sys.Policies, token, sys.Log).Routes(sys.Mux)
	return sys.Serve(ctx)
}
