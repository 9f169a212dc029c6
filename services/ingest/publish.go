package ingest

import (
	"context"
	"strings"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/event"
	"github.com/signpost/signpost/shared/feedback"
)

// publishTimeout bounds how long a sender waits for JetStream before hearing 503.
const publishTimeout = 10 * time.Second

// received publishes every item as feedback.received and returns once JetStream has stored all;
// it logs the outcome (ids, never content).
func (in *Ingest) received(ctx context.Context, items ...feedback.Item) error {
	corr := correlationID(ctx)
	msgs := make([]*message.Message, 0, len(items))
	for _, it := range items {
		data, id, err := event.NewReceived(storable(it), corr, in.now())
		if err != nil {
			return err
		}
		msgs = append(msgs, bus.NewMessage(id, data, corr))
	}
	if err := in.publish(ctx, event.Received, msgs); err != nil {
		in.log.Error().Err(err).Str("correlation_id", corr).Int("items", len(items)).Msg("publish failed")
		return err
	}
	for _, it := range items {
		in.metrics.ItemsReceived.WithLabelValues(string(it.Channel)).Inc()
		in.log.Info().Str("correlation_id", corr).Str("item_id", it.ID.String()).Str("channel", string(it.Channel)).
			Str("practice", it.Practice).Msg("item accepted")
	}
	return nil
}

// removed publishes feedback.removed for items their authors removed.
func (in *Ingest) removed(ctx context.Context, at time.Time, items ...feedback.Item) error {
	corr := correlationID(ctx)
	msgs := make([]*message.Message, 0, len(items))
	for _, it := range items {
		data, id, err := event.NewRemoved(storable(it), at, corr, in.now())
		if err != nil {
			return err
		}
		msgs = append(msgs, bus.NewMessage(id, data, corr))
	}
	return in.publish(ctx, event.Removed, msgs)
}

func (in *Ingest) publish(ctx context.Context, eventType string, msgs []*message.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, publishTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- in.pub.Publish(in.topo.Subject(eventType), msgs...) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// storable drops U+0000 from what the sender wrote: Postgres text cannot hold it, and an item
// that cannot be stored would only end in the dead-letter stream. The item keeps its id.
func storable(it feedback.Item) feedback.Item {
	drop := func(s string) string { return strings.ReplaceAll(s, "\x00", "") }
	it.Text, it.Author, it.Email, it.SourceID, it.Rating = drop(it.Text), drop(it.Author), drop(it.Email), drop(it.SourceID), drop(it.Rating)
	return it
}
