// Package postgres stores what the notifier's plan says should happen: inbox entries, messages to
// patients (the outbox), complaint cases and moderation requests.
package postgres

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/signpost/signpost/services/notifier/internal/plan"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/store"
)

// Actions stores plans.
type Actions struct {
	db *sqlx.DB
}

// NewActions returns a store over db.
func NewActions(db *sqlx.DB) *Actions { return &Actions{db: db} }

// Save stores the plan for an item in one transaction. Every row is keyed on the item and what
// it is (inbox kind, message medium), so saving the same plan again changes nothing: a
// redelivered event never makes a second message to the patient.
func (s *Actions) Save(ctx context.Context, it feedback.Item, pl plan.Plan) error {
	return store.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		id := it.ID.String()
		for _, e := range pl.Inbox {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO inbox_entries (id, item_id, organisation, practice, kind, priority, suggested_reply)
				VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (item_id, kind) DO NOTHING`,
				feedback.DeriveID("inbox", id, string(e.Kind)), it.ID, it.Organisation, it.Practice, e.Kind, e.Priority,
				e.SuggestedReply); err != nil {
				return fmt.Errorf("store inbox entry for item %s: %w", id, err)
			}
		}
		for _, m := range pl.Messages {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO outbox (id, item_id, organisation, medium, recipient, purpose, body, state)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (item_id, medium) DO NOTHING`,
				feedback.DeriveID("outbox", id, string(m.Medium)), it.ID, it.Organisation, m.Medium, m.Recipient, m.Purpose,
				m.Body, m.State); err != nil {
				return fmt.Errorf("store message for item %s: %w", id, err)
			}
		}
		if c := pl.Case; c != nil {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO complaint_cases (id, item_id, organisation, practice, received_on, acknowledge_by)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (item_id) DO NOTHING`,
				feedback.DeriveID("case", id), it.ID, it.Organisation, it.Practice, c.ReceivedOn.Format("2006-01-02"),
				c.AcknowledgeBy.Format("2006-01-02")); err != nil {
				return fmt.Errorf("store complaint case for item %s: %w", id, err)
			}
		}
		if m := pl.Moderation; m != nil {
			flags := make([]string, len(m.Flags))
			for i, f := range m.Flags {
				flags[i] = string(f)
			}
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO moderation_requests (id, item_id, organisation, flags, hide, legal_review)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (item_id) DO NOTHING`,
				feedback.DeriveID("moderation", id), it.ID, it.Organisation, pq.Array(flags), m.Hide, m.LegalReview); err != nil {
				return fmt.Errorf("store moderation request for item %s: %w", id, err)
			}
		}
		return nil
	})
}
