package ops

import (
	"context"

	"github.com/signpost/signpost/shared/boot"
)

// Mount adds the ops page and API to a running system's HTTP server, over its NATS connection.
func Mount(sys *boot.System, operatorToken string) error {
	nc, err := sys.Connect(sys.Settings.Service + "-ops")
	if err != nil {
		return err
	}
	sys.Background(func(ctx context.Context) error { <-ctx.Done(); nc.Close(); return nil })
	dl, st, err := JetStream(nc, sys.Settings.Topology)
	if err != nil {
		return err
	}
	log := sys.Log
	New(dl, st, operatorToken, func(msg string, fields map[string]any) { log.Info().Fields(fields).Msg(msg) }).Routes(sys.Mux)
	return nil
}
