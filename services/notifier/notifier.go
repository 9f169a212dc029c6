// Package notifier carries out what each decision causes (SPEC.md section 5): it stores inbox
// entries, messages to patients, complaint cases and moderation requests.
package notifier

import (
	"context"
	"fmt"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jmoiron/sqlx"
	"github.com/rs/zerolog"

	"github.com/signpost/signpost/services/notifier/internal/plan"
	"github.com/signpost/signpost/services/notifier/internal/postgres"
	"github.com/signpost/signpost/services/notifier/internal/workdays"
	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/event"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/policy"
)

// HandlerName names the notifier's handler and its durable consumer.
const HandlerName = "notifier.plan"

// Notifier turns decisions into actions.
type Notifier struct {
	policies *policy.Set
	calendar workdays.Calendar
	store    *postgres.Actions
	db       *sqlx.DB
	log      zerolog.Logger
}

// New builds the notifier.
func New(policies *policy.Set, db *sqlx.DB, log zerolog.Logger) (*Notifier, error) {
	cal, err := workdays.EnglandAndWales()
	if err != nil {
		return nil, err
	}
	return &Notifier{policies: policies, calendar: cal, store: postgres.NewActions(db), db: db, log: log}, nil
}

// RemovalHandlerName names the handler of removals and its durable consumer.
const RemovalHandlerName = "notifier.removal"

// Register adds the notifier's handlers to the router.
func (n *Notifier) Register(r *bus.Router) error {
	if err := r.HandleBatch(HandlerName, event.Routed, "", n.handle); err != nil {
		return err
	}
	return r.HandleBatch(RemovalHandlerName, event.Removed, "", n.handleRemovals)
}

// handleRemovals marks each removed item and cancels its messages not yet sent. Removals are few:
// each is its own transaction.
func (n *Notifier) handleRemovals(ctx context.Context, msgs []*message.Message) ([]bus.Result, error) {
	results := make([]bus.Result, len(msgs))
	for i, m := range msgs {
		results[i].Err = n.removed(ctx, m)
	}
	return results, nil
}

func (n *Notifier) removed(ctx context.Context, m *message.Message) error {
	var p event.RemovedPayload
	env, err := event.Decode(m.Payload, event.Removed, event.RemovedVersion, &p)
	if err != nil {
		return bus.Permanent(err)
	}
	cancelled, err := n.store.Removed(ctx, env.Organisation, p.ItemID, p.RemovedAt)
	if err != nil {
		return err
	}
	n.log.Info().Str("item_id", p.ItemID.String()).Str("correlation_id", env.CorrelationID).
		Int64("messages_cancelled", cancelled).Msg("item removed by its author")
	return nil
}

// handle plans the actions of every decision of a batch and stores them in one transaction.
func (n *Notifier) handle(ctx context.Context, msgs []*message.Message) ([]bus.Result, error) {
	results := make([]bus.Result, len(msgs))
	batch := make([]postgres.Planned, 0, len(msgs))
	correlation := make([]string, 0, len(msgs))
	for i, m := range msgs {
		p, corr, err := n.plan(m)
		if err != nil {
			results[i].Err = err
			continue
		}
		batch = append(batch, p)
		correlation = append(correlation, corr)
	}
	if err := n.store.SaveBatch(ctx, batch); err != nil {
		return nil, err
	}
	for i, p := range batch {
		pl := p.Plan
		n.log.Info().Str("item_id", p.Item.ID.String()).Str("correlation_id", correlation[i]).
			Int("inbox_entries", len(pl.Inbox)).Int("patient_messages", len(pl.Messages)).
			Bool("complaint_case", pl.Case != nil).Bool("moderation", pl.Moderation != nil).Msg("actions stored")
	}
	return results, nil
}

// plan reads one decision and makes the plan of what it causes.
func (n *Notifier) plan(m *message.Message) (postgres.Planned, string, error) {
	var p event.RoutedPayload
	env, err := event.Decode(m.Payload, event.Routed, event.RoutedVersion, &p)
	if err != nil {
		return postgres.Planned{}, "", bus.Permanent(err)
	}
	if err := p.Decision.Validate(); err != nil {
		return postgres.Planned{}, "", bus.Permanent(fmt.Errorf("item %s: %w", p.Item.ID, err))
	}
	pol, err := n.policies.ForItem(p.Item.Organisation, p.Item.Practice)
	if err != nil {
		return postgres.Planned{}, "", bus.Permanent(fmt.Errorf("item %s: %w", p.Item.ID, err))
	}
	// The working-day clock starts when the item was received, not when this delivery happened.
	pl, err := plan.Make(pol, p.Item, p.Decision, receivedAt(p.Item.WrittenAt, env.OccurredAt), n.calendar)
	if err != nil {
		return postgres.Planned{}, "", err
	}
	return postgres.Planned{Item: p.Item, Plan: pl, DecidedByPerson: p.Decision.ModelVersion == feedback.DecidedByPerson},
		env.CorrelationID, nil
}

// receivedAt is when the practice had the item: when it was written, unless that claims to be
// later than the decision (a client clock ahead), in which case the decision's time.
func receivedAt(written, decided time.Time) time.Time {
	if written.IsZero() || written.After(decided) {
		return decided
	}
	return written
}
