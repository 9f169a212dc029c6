package inbox

import (
	"context"
	"fmt"
	"time"

	"github.com/signpost/signpost/services/inbox/internal/actions"
	"github.com/signpost/signpost/shared/boot"
	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/event"
)

// Mount adds the inbox to a system being composed (which needs the database and NATS): its pages
// and API, live updates, and the sweep that publishes any confirmed or corrected decision whose
// event JetStream did not acknowledge.
func Mount(sys *boot.System, cfg Config) (*Inbox, error) {
	pub, err := sys.Publisher()
	if err != nil {
		return nil, fmt.Errorf("inbox publisher: %w", err)
	}
	in := New(sys.DB, sys.Policies, cfg, pub, sys.Settings.Topology, sys.Log)
	in.Routes(sys.Mux)
	sys.Background(in.Listen)
	sys.Background(in.Republish)
	return in, nil
}

// publish sends a person's decision to the notifier; JetStream has it when this returns nil.
func (in *Inbox) publish(rev actions.Revision) error {
	data, id, err := rev.Event(time.Now())
	if err != nil {
		return err
	}
	if err := in.publisher.Publish(in.topology.Subject(event.Routed), bus.NewMessage(id, data, rev.CorrelationID)); err != nil {
		return fmt.Errorf("publish the decision on item %s: %w", rev.Item.ID, err)
	}
	return nil
}

// republishAfter is how old an unpublished decision must be before the sweep takes it: long
// enough that the request that made it has finished publishing it itself.
const republishAfter = 10 * time.Second

// Republish publishes, every few seconds until ctx ends, the decisions whose event JetStream
// never acknowledged (the process stopped or NATS was away between commit and publish). Event
// ids derive from the item and revision, so publishing twice is stored once.
func (in *Inbox) Republish(ctx context.Context) error {
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		if _, err := in.RepublishOnce(ctx); err != nil && ctx.Err() == nil {
			in.log.Warn().Err(err).Msg("publishing confirmed and corrected decisions")
		}
	}
}

// RepublishOnce publishes what the sweep finds now and returns how many it published.
func (in *Inbox) RepublishOnce(ctx context.Context) (int, error) {
	revs, err := actions.Unpublished(ctx, in.db, republishAfter, 100)
	if err != nil {
		return 0, err
	}
	for i, rev := range revs {
		if err := in.publish(rev); err != nil {
			return i, err
		}
		if err := actions.MarkPublished(ctx, in.db, rev.ID); err != nil {
			return i, err
		}
		in.log.Info().Str("item_id", rev.Item.ID.String()).Str("correlation_id", rev.CorrelationID).Msg("decision published by the sweep")
	}
	return len(revs), nil
}
