package postgres

import (
	"context"

	"github.com/signpost/signpost/services/notifier/internal/plan"
	"github.com/signpost/signpost/shared/feedback"
)

// Save stores one item's plan, as a batch of one: the tests' shorthand.
func (s *Actions) Save(ctx context.Context, it feedback.Item, pl plan.Plan) error {
	return s.SaveBatch(ctx, []Planned{{Item: it, Plan: pl}})
}
