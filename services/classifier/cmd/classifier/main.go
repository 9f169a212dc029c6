// Command classifier decides what each received item is, against an external NATS (NATS_URL) and
// Postgres (DATABASE_URL).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/signpost/signpost/services/classifier"
	"github.com/signpost/signpost/shared/boot"
	"github.com/signpost/signpost/shared/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "classifier:", err)
		os.Exit(1)
	}
}

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
	c, err := classifier.New(sys.Policies, sys.DB, sys.Log)
	if err == nil {
		err = c.Register(sys.Router)
	}
	if err != nil {
		return err
	}
	return sys.Serve(ctx)
}
