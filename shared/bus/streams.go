package bus

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/signpost/signpost/shared/event"
)

// StreamLimits bound what the streams keep.
type StreamLimits struct {
	// DuplicateWindow is how long JetStream remembers message ids to drop a second publish.
	DuplicateWindow time.Duration
	// MaxAge is how long a message is kept at most (0: no limit). Events carry patient text, so
	// it must be no longer than the shortest retention period of all organisations.
	MaxAge time.Duration
}

// EnsureStreams creates or updates the feedback and dead-letter streams. Both keep messages on
// disk; the feedback stream keeps each message until every consumer has acknowledged it and its
// limits say so (LimitsPolicy), so a new consumer can be added later. Neither keeps a message
// longer than limits.MaxAge.
func EnsureStreams(ctx context.Context, nc *nats.Conn, topo event.Topology, limits StreamLimits) error {
	if limits.MaxAge > 0 && limits.DuplicateWindow > limits.MaxAge {
		return fmt.Errorf("the duplicate window (%s) cannot be longer than the streams' maximum age (%s, the shortest retention period)",
			limits.DuplicateWindow, limits.MaxAge)
	}
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
			Duplicates:  limits.DuplicateWindow,
			MaxAge:      limits.MaxAge,
			// Publishers store what they send together as atomic batches: one sync to disk each.
			AllowAtomicPublish: true,
		},
		{
			Name:        topo.DeadLetterStream(),
			Description: "Messages whose handling failed for good, with the reason; inspect and replay.",
			Subjects:    topo.DeadLetterSubjects(),
			Storage:     jetstream.FileStorage,
			Retention:   jetstream.LimitsPolicy,
			MaxAge:      limits.MaxAge,
		},
	} {
		if _, err := js.CreateOrUpdateStream(ctx, cfg); err != nil {
			return fmt.Errorf("create stream %s: %w", cfg.Name, err)
		}
	}
	return nil
}
