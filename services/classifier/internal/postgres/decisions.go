// Package postgres stores items and the classifier's decisions.
package postgres

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/store"
)

// Decisions stores an item with its decision.
type Decisions struct {
	db *sqlx.DB
}

// NewDecisions returns a store over db.
func NewDecisions(db *sqlx.DB) *Decisions { return &Decisions{db: db} }

// Save stores the item revision and its decision once, keyed on the source's own ids and the
// revision, and returns the decision that is stored: on a redelivery that is the first decision,
// so what is published next is the same every time. The item row shows the newest revision.
func (s *Decisions) Save(ctx context.Context, it feedback.Item, correlationID string, d feedback.Decision) (feedback.Decision, error) {
	var stored feedback.Decision
	err := store.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO items (id, organisation, practice, channel, source_id, author, email, body, rating, revision, written_at,
			                   first_written_at, correlation_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12)
			ON CONFLICT (organisation, channel, source_id) DO UPDATE
			SET body = EXCLUDED.body, rating = EXCLUDED.rating, revision = EXCLUDED.revision, written_at = EXCLUDED.written_at
			WHERE items.written_at < EXCLUDED.written_at`,
			it.ID, it.Organisation, it.Practice, it.Channel, it.SourceID, it.Author, it.Email, it.Text, it.Rating,
			it.Revision, it.WrittenAt, correlationID); err != nil {
			return fmt.Errorf("store item %s: %w", it.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO decisions (item_id, revision, organisation, route, flags, confidence, needs_review, reasons, model_version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (item_id, revision) DO NOTHING`,
			it.ID, it.Revision, it.Organisation, d.Route, flagArray(d.Flags), d.Confidence, d.NeedsReview, pq.Array(d.Reasons),
			d.ModelVersion); err != nil {
			return fmt.Errorf("store decision for item %s: %w", it.ID, err)
		}
		row := tx.QueryRowxContext(ctx, `
			SELECT route, flags, confidence, needs_review, reasons, model_version FROM decisions
			WHERE item_id = $1 AND revision = $2`, it.ID, it.Revision)
		var flags, reasons pq.StringArray
		if err := row.Scan(&stored.Route, &flags, &stored.Confidence, &stored.NeedsReview, &reasons, &stored.ModelVersion); err != nil {
			return fmt.Errorf("read decision for item %s: %w", it.ID, err)
		}
		stored.Flags = make([]feedback.Flag, len(flags))
		for i, f := range flags {
			stored.Flags[i] = feedback.Flag(f)
		}
		stored.Reasons = []string(reasons)
		return nil
	})
	return stored, err
}

func flagArray(flags []feedback.Flag) any {
	s := make([]string, len(flags))
	for i, f := range flags {
		s[i] = string(f)
	}
	return pq.Array(s)
}
