// Package postgres stores what the notifier's plan says should happen: inbox entries, messages to
// patients (the outbox), complaint cases and moderation requests.
package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/signpost/signpost/services/notifier/internal/plan"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/store"
)

const (
	reasonRemoved   = "the author removed the post before the message was sent"
	reasonEdited    = "the author edited the post and it no longer calls for this message"
	reasonCorrected = "a Practice Manager corrected the decision and it no longer calls for this message"

	reasonConductEdited    = "the author edited the post and it no longer breaks the code of conduct"
	reasonConductCorrected = "a Practice Manager corrected the decision: the post does not break the code of conduct"
)

// Removed records that the author removed the item and cancels its messages not yet sent. It may
// come before the item's plan is stored; SaveBatch then stores those messages cancelled.
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
			WHERE item_id = $1 AND state IN ('held', 'pending', 'claimed')`, itemID, reasonRemoved)
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

// Planned is an item with the plan for it.
type Planned struct {
	Item feedback.Item
	Plan plan.Plan
	// DecidedByPerson says a Practice Manager made the decision (a correction), not the classifier.
	DecidedByPerson bool
}

// SaveBatch stores the plans of several items in one transaction, six statements whatever the
// batch's size. Every row is keyed on the item and what it is (inbox kind, message medium), so
// saving the same plan again changes nothing: a redelivered event never makes a second message to
// the patient. Inbox entries, complaint cases and moderation requests are stored
// only for an item's newest revision (a late redelivery of an older one brings nothing back);
// messages are stored for every revision, cancelled when superseded. An item with two revisions
// in one batch is stored revision after revision, in the batch's order.
func (s *Actions) SaveBatch(ctx context.Context, batch []Planned) error {
	if len(batch) == 0 {
		return nil
	}
	return store.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		for _, round := range rounds(batch) {
			if err := saveRound(ctx, tx, round); err != nil {
				return err
			}
		}
		return nil
	})
}

// rounds splits a batch so that no item is twice in one round, keeping each item's order.
func rounds(batch []Planned) [][]Planned {
	var out [][]Planned
	seen := map[uuid.UUID]int{} // the round after the last that holds the item
	for _, p := range batch {
		r := seen[p.Item.ID]
		if r == len(out) {
			out = append(out, nil)
		}
		out[r] = append(out[r], p)
		seen[p.Item.ID] = r + 1
	}
	return out
}

// saveRound stores plans of distinct items.
func saveRound(ctx context.Context, tx *sqlx.Tx, round []Planned) error {
	r, err := encodeRound(round)
	if err != nil {
		return err
	}
	statements := []struct {
		what, sql string
		rows      []byte
		more      []any
	}{
		{"inbox entries", `
			INSERT INTO inbox_entries (id, item_id, organisation, practice, kind, priority, suggested_reply)
			SELECT x.id, x.item_id, x.organisation, x.practice, x.kind, x.priority, x.suggested_reply
			FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, item_id uuid, organisation text, practice text, kind text,
			     priority text, suggested_reply text, revision text)
			JOIN items i ON i.id = x.item_id AND i.revision = x.revision
			ON CONFLICT (item_id, kind) DO NOTHING`, r.inbox, nil},
		// A message is stored cancelled when the author already removed the item, or when this
		// revision is no longer the item's newest. The newest revision decides a message not yet
		// sent: it may hold it (the edit needs review), release it, or bring back one cancelled as
		// superseded (never sent). A message already sending or sent is never touched.
		{"messages", `
			INSERT INTO outbox (id, item_id, organisation, medium, recipient, purpose, body, state, state_reason)
			SELECT x.id, x.item_id, x.organisation, x.medium, x.recipient, x.purpose, x.body,
			       CASE WHEN r.item_id IS NOT NULL OR i.revision <> x.revision THEN 'cancelled' ELSE x.state END,
			       CASE WHEN r.item_id IS NOT NULL THEN $2 WHEN i.revision <> x.revision THEN $3 ELSE '' END
			FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, item_id uuid, organisation text, medium text, recipient text,
			     purpose text, body text, state text, revision text)
			JOIN items i ON i.id = x.item_id LEFT JOIN item_removals r ON r.item_id = i.id
			ON CONFLICT (item_id, medium) DO UPDATE
			SET state = EXCLUDED.state, state_reason = EXCLUDED.state_reason, body = EXCLUDED.body, updated_at = now()
			WHERE EXCLUDED.state <> 'cancelled'
			  AND (outbox.state = 'cancelled' AND outbox.state_reason = $3 OR outbox.state IN ('held', 'pending', 'claimed'))`, r.messages, []any{reasonRemoved, reasonEdited}},
		// The author edited the post, or a Practice Manager corrected the decision, and the newest
		// revision asks nothing of them any more (no longer a complaint, or now a safeguarding
		// concern): cancel what was not yet sent.
		{"cancellations of edited items", `
			UPDATE outbox o SET state = 'cancelled', state_reason = x.reason, updated_at = now()
			FROM items i, jsonb_to_recordset($1::jsonb) AS x(item_id uuid, revision text, reason text)
			WHERE o.item_id = x.item_id AND i.id = o.item_id AND i.revision = x.revision AND o.state IN ('held', 'pending', 'claimed')`,
			r.edited, nil},
		{"complaint cases", `
			INSERT INTO complaint_cases (id, item_id, organisation, practice, received_on, acknowledge_by)
			SELECT x.id, x.item_id, x.organisation, x.practice, x.received_on, x.acknowledge_by
			FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, item_id uuid, organisation text, practice text, received_on date,
			     acknowledge_by date, revision text)
			JOIN items i ON i.id = x.item_id AND i.revision = x.revision
			ON CONFLICT (item_id) DO NOTHING`, r.cases, nil},
		{"moderation requests", `
			INSERT INTO moderation_requests (id, item_id, organisation, flags, hide, legal_review)
			SELECT x.id, x.item_id, x.organisation, x.flags, x.hide, x.legal_review
			FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, item_id uuid, organisation text, flags text[], hide boolean,
			     legal_review boolean, revision text)
			JOIN items i ON i.id = x.item_id AND i.revision = x.revision
			ON CONFLICT (item_id) DO NOTHING`, r.moderation, nil},
		// The newest revision breaks no rule (an edit, or a correction): a request not yet carried
		// out is withdrawn. A post already hidden stays hidden until a person decides.
		{"withdrawn moderation requests", `
			UPDATE moderation_requests m SET state = 'withdrawn', state_reason = x.reason
			FROM items i, jsonb_to_recordset($1::jsonb) AS x(item_id uuid, revision text, reason text)
			WHERE m.item_id = x.item_id AND i.id = x.item_id AND i.revision = x.revision AND m.state IN ('pending', 'failed')`,
			r.unflagged, nil},
	}
	for _, st := range statements {
		if st.rows == nil {
			continue
		}
		if _, err := tx.ExecContext(ctx, st.sql, append([]any{st.rows}, st.more...)...); err != nil {
			return fmt.Errorf("store %s of %d items: %w", st.what, len(round), err)
		}
	}
	return nil
}
