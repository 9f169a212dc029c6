package bus

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/signpost/signpost/shared/event"
)

// EnsureStreams creates or updates the feedback and dead-letter streams. Both keep messages on
// disk; the feedback stream keeps each message until every consumer has acknowledged it and its
// limits say so (LimitsPolicy), so a new consumer can be added later.
func EnsureStreams(ctx context.Context, nc *nats.Conn, topo event.Topology, duplicateWindow time.Duration) error {
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("jetstream: %w", err)
	}
	for _, cfg := range []jetstream.StreamConfig{
		{
			Name:        topo.FeedbackStream(),
			Description: "Every feedback event: items received and their decisions.",
			Subjects:    topo.FeedbackSubjects(),
			Storage:     jetstream.FileStorage,
			Retention:   jetstream.LimitsPolicy,
			Duplicates:  duplicateWindow,
		},
		{
			Name:        topo.DeadLetterStream(),
			Description: "Messages whose handling failed for good, with the reason; inspect and replay.",
			Subjects:    topo.DeadLetterSubjects(),
			Storage:     jetstream.FileStorage,
			Retention:   jetstream.LimitsPolicy,
		},
	} {
		if _, err := js.CreateOrUpdateStream(ctx, cfg); err != nil {
			return fmt.Errorf("create stream %s: %w", cfg.Name, err)
		}
	}
	return nil
}
