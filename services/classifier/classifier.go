// Package classifier decides what each received item is: it applies the organisation's policy and
// the text classifier, stores the decision, and publishes feedback.routed.
package classifier

import (
	"context"
	"fmt"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jmoiron/sqlx"
	"github.com/rs/zerolog"

	"github.com/signpost/signpost/services/classifier/internal/postgres"
	"github.com/signpost/signpost/services/classifier/internal/routing"
	"github.com/signpost/signpost/services/classifier/internal/textmodel"
	"github.com/signpost/signpost/services/classifier/internal/textrules"
	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/event"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/metrics"
	"github.com/signpost/signpost/shared/policy"
)

// HandlerName names the classifier's handler and its durable consumer.
const HandlerName = "classifier.decide"

// Classifier turns received items into decisions.
type Classifier struct {
	policies *policy.Set
	engine   routing.Engine
	store    *postgres.Decisions
	metrics  *metrics.Metrics
	log      zerolog.Logger
	now      func() time.Time
}

// NewEngine is the shipped decision engine: the trained text model, and the flag rules with the
// trained flag models.
func NewEngine() (routing.Engine, error) {
	text, err := textmodel.Shipped()
	if err != nil {
		return routing.Engine{}, err
	}
	flags, err := textmodel.ShippedFlags(textrules.Flags{})
	if err != nil {
		return routing.Engine{}, err
	}
	return routing.Engine{Text: text, Flags: flags}, nil
}

// New builds the classifier with the shipped engine.
func New(policies *policy.Set, db *sqlx.DB, m *metrics.Metrics, log zerolog.Logger) (*Classifier, error) {
	engine, err := NewEngine()
	if err != nil {
		return nil, err
	}
	return &Classifier{policies: policies, engine: engine, store: postgres.NewDecisions(db), metrics: m, log: log, now: time.Now}, nil
}

// Register adds the classifier's handler to the router: it takes received items in batches.
func (c *Classifier) Register(r *bus.Router) error {
	return r.HandleBatch(HandlerName, event.Received, event.Routed, c.handle)
}

// handle decides every item of a batch, stores the items with their decisions in one
// transaction, and asks for one feedback.routed event per item.
func (c *Classifier) handle(ctx context.Context, msgs []*message.Message) ([]bus.Result, error) {
	results := make([]bus.Result, len(msgs))
	batch := make([]postgres.Decided, 0, len(msgs))
	index := make([]int, 0, len(msgs))
	for i, m := range msgs {
		d, err := c.decide(m)
		if err != nil {
			results[i].Err = err
			continue
		}
		batch = append(batch, d)
		index = append(index, i)
	}
	stored, err := c.store.SaveBatch(ctx, batch)
	if err != nil {
		return nil, err
	}
	for k, d := range stored {
		results[index[k]] = c.routed(batch[k], d)
	}
	return results, nil
}

// decide reads one received item and takes its decision.
func (c *Classifier) decide(m *message.Message) (postgres.Decided, error) {
	var p event.ReceivedPayload
	env, err := event.Decode(m.Payload, event.Received, event.ReceivedVersion, &p)
	if err != nil {
		return postgres.Decided{}, bus.Permanent(err)
	}
	it := p.Item
	pol, err := c.policies.ForItem(it.Organisation, it.Practice)
	if err != nil {
		return postgres.Decided{}, bus.Permanent(fmt.Errorf("item %s: %w", it.ID, err))
	}
	return postgres.Decided{Item: it, CorrelationID: env.CorrelationID, Decision: c.engine.Decide(pol, it)}, nil
}

// routed counts and logs a stored decision and builds its event.
func (c *Classifier) routed(e postgres.Decided, d feedback.Decision) bus.Result {
	it := e.Item
	c.metrics.Decisions.WithLabelValues(string(d.Route)).Inc()
	for _, f := range d.Flags {
		c.metrics.Flags.WithLabelValues(string(f)).Inc()
	}
	c.log.Info().Str("item_id", it.ID.String()).Str("correlation_id", e.CorrelationID).Str("channel", string(it.Channel)).
		Str("route", string(d.Route)).Strs("flags", flagNames(d.Flags)).Bool("needs_review", d.NeedsReview).Msg("item routed")
	data, id, err := event.NewRouted(it, d, e.CorrelationID, c.now())
	if err != nil {
		return bus.Result{Err: bus.Permanent(err)}
	}
	return bus.Result{Publish: []*message.Message{bus.NewMessage(id, data, e.CorrelationID)}}
}

func flagNames(fs []feedback.Flag) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f)
	}
	return out
}
