// Package postgres stores what the notifier's plan says should happen: inbox entries, messages to
// patients (the outbox), complaint cases and moderation requests.
package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/signpost/signpost/services/notifier/internal/plan"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/store"
)

const (
	reasonRemoved = "the author removed the post before the message was sent"
	reasonEdited  = "the author edited the post and it no longer calls for this message"
)

// Removed records that the author removed the item and cancels its messages not yet sent. It may
// come before the item's plan is stored; Save then stores those messages cancelled.
func (s *Actions) Removed(ctx context.Context, organisation string, itemID uuid.UUID, at time.Time) (cancelled int64, err error) {
	err = store.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO item_removals (item_id, organisation, removed_at) VALUES ($1, $2, $3)
			ON CONFLICT (item_id) DO NOTHING`, itemID, organisation, at); err != nil {
			return fmt.Errorf("record removal of item %s: %w", itemID, err)
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE items SET removed_at = $2 WHERE id = $1 AND removed_at IS NULL`, itemID, at); err != nil {
			return fmt.Errorf("mark item %s removed: %w", itemID, err)
		}
		res, err := tx.ExecContext(ctx, `
			UPDATE outbox SET state = 'cancelled', state_reason = $2, updated_at = now()
			WHERE item_id = $1 AND state IN ('held', 'pending')`, itemID, reasonRemoved)
		if err != nil {
			return fmt.Errorf("cancel messages of item %s: %w", itemID, err)
		}
		cancelled, err = res.RowsAffected()
		return err
	})
	return cancelled, err
}

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
	return s.SaveBatch(ctx, []Planned{{Item: it, Plan: pl}})
}

// Planned is an item with the plan for it.
type Planned struct {
	Item feedback.Item
	Plan plan.Plan
}

// SaveBatch stores the plans of several items in one transaction (see Save).
func (s *Actions) SaveBatch(ctx context.Context, batch []Planned) error {
	if len(batch) == 0 {
		return nil
	}
	return store.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		for _, p := range batch {
			if err := save(ctx, tx, p.Item, p.Plan); err != nil {
				return err
			}
		}
		return nil
	})
}

// save stores one item's plan within tx.
func save(ctx context.Context, tx *sqlx.Tx, it feedback.Item, pl plan.Plan) error {
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
		// A message is stored cancelled when the author already removed the item, or when this
		// revision is no longer the item's newest. The newest revision decides a message not yet
		// sent: it may hold it (the edit needs review), release it, or bring back one cancelled
		// as superseded (never sent). A message already sending or sent is never touched.
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO outbox (id, item_id, organisation, medium, recipient, purpose, body, state, state_reason)
			SELECT $1, $2, $3, $4, $5, $6, $7,
			       CASE WHEN r.item_id IS NOT NULL OR i.revision <> $10 THEN 'cancelled' ELSE $8 END,
			       CASE WHEN r.item_id IS NOT NULL THEN $9 WHEN i.revision <> $10 THEN $11 ELSE '' END
			FROM items i LEFT JOIN item_removals r ON r.item_id = i.id
			WHERE i.id = $2
			ON CONFLICT (item_id, medium) DO UPDATE
			SET state = EXCLUDED.state, state_reason = EXCLUDED.state_reason, body = EXCLUDED.body, updated_at = now()
			WHERE EXCLUDED.state <> 'cancelled'
			  AND (outbox.state = 'cancelled' AND outbox.state_reason = $11 OR outbox.state IN ('held', 'pending'))`,
			feedback.DeriveID("outbox", id, string(m.Medium)), it.ID, it.Organisation, m.Medium, m.Recipient, m.Purpose,
			m.Body, m.State, reasonRemoved, it.Revision, reasonEdited); err != nil {
			return fmt.Errorf("store message for item %s: %w", id, err)
		}
	}
	if it.Revision != "" && len(pl.Messages) == 0 {
		// The author edited the post and its newest revision asks nothing of them any more (no
		// longer a complaint, or now a safeguarding concern): cancel what was not yet sent.
		if _, err := tx.ExecContext(ctx, `
			UPDATE outbox o SET state = 'cancelled', state_reason = $3, updated_at = now()
			FROM items i
			WHERE o.item_id = $1 AND i.id = o.item_id AND i.revision = $2 AND o.state IN ('held', 'pending')`,
			it.ID, it.Revision, reasonEdited); err != nil {
			return fmt.Errorf("cancel messages of edited item %s: %w", id, err)
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
}
