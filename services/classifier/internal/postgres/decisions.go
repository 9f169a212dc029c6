// Package postgres stores items and the classifier's decisions.
package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/store"
)

// Decisions stores items with their decisions.
type Decisions struct {
	db *sqlx.DB
}

// NewDecisions returns a store over db.
func NewDecisions(db *sqlx.DB) *Decisions { return &Decisions{db: db} }

// Decided is one item revision with the decision taken on it.
type Decided struct {
	Item          feedback.Item
	CorrelationID string
	Decision      feedback.Decision
}

// SaveBatch stores the item revisions and their decisions in one transaction, two statements
// whatever the batch's size, and a third to read back decisions stored before (redeliveries).
// Each revision and decision is stored once, keyed on the source's own ids and the revision; the
// item row shows its newest revision. It returns, in order, the decisions that are stored: on a
// redelivery that is the first decision taken, so what is published next is the same every time.
func (s *Decisions) SaveBatch(ctx context.Context, batch []Decided) ([]feedback.Decision, error) {
	if len(batch) == 0 {
		return nil, nil
	}
	items, decisions, keys, err := rows(batch)
	if err != nil {
		return nil, err
	}
	stored := map[revisionKey]feedback.Decision{}
	err = store.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO items (id, organisation, practice, channel, source_id, author, email, body, rating, revision, written_at,
			                   first_written_at, correlation_id)
			SELECT id, organisation, practice, channel, source_id, author, email, body, rating, revision, written_at,
			       written_at, correlation_id
			FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, organisation text, practice text, channel text, source_id text,
			     author text, email text, body text, rating text, revision text, written_at timestamptz, correlation_id text)
			ON CONFLICT (organisation, channel, source_id) DO UPDATE
			SET body = EXCLUDED.body, rating = EXCLUDED.rating, revision = EXCLUDED.revision, written_at = EXCLUDED.written_at
			WHERE items.written_at < EXCLUDED.written_at`, items); err != nil {
			return fmt.Errorf("store %d items: %w", len(batch), err)
		}
		rs, err := tx.QueryxContext(ctx, `
			INSERT INTO decisions (item_id, revision, organisation, route, flags, confidence, needs_review, reasons, model_version)
			SELECT item_id, revision, organisation, route, flags, confidence, needs_review, reasons, model_version
			FROM jsonb_to_recordset($1::jsonb) AS x(item_id uuid, revision text, organisation text, route text, flags text[],
			     confidence double precision, needs_review boolean, reasons text[], model_version text)
			ON CONFLICT (item_id, revision) DO NOTHING
			RETURNING item_id, revision`, decisions)
		if err != nil {
			return fmt.Errorf("store %d decisions: %w", len(batch), err)
		}
		inserted := map[revisionKey]bool{}
		for rs.Next() {
			var k revisionKey
			if err := rs.Scan(&k.ItemID, &k.Revision); err != nil {
				rs.Close()
				return fmt.Errorf("read stored decision: %w", err)
			}
			inserted[k] = true
		}
		if err := rs.Err(); err != nil {
			return err
		}
		// A decision stored just now is the one in hand. One stored before (a redelivery) is read
		// back, as is any revision the batch holds twice, so that the first decision taken stands.
		var earlier []revisionKey
		for k, n := range keys {
			if n > 1 || !inserted[k] {
				earlier = append(earlier, k)
			}
		}
		for _, b := range batch {
			if k := (revisionKey{b.Item.ID, b.Item.Revision}); keys[k] == 1 && inserted[k] {
				stored[k] = asStored(b.Decision)
			}
		}
		return readBack(ctx, tx, earlier, stored)
	})
	if err != nil {
		return nil, err
	}
	out := make([]feedback.Decision, len(batch))
	for i, b := range batch {
		d, ok := stored[revisionKey{b.Item.ID, b.Item.Revision}]
		if !ok {
			return nil, fmt.Errorf("decision for item %s was not stored", b.Item.ID)
		}
		out[i] = d
	}
	return out, nil
}

type revisionKey struct {
	ItemID   uuid.UUID `json:"item_id"`
	Revision string    `json:"revision"`
}

// asStored is d as reading it back from its row gives it: lists empty rather than absent.
func asStored(d feedback.Decision) feedback.Decision {
	if d.Flags == nil {
		d.Flags = []feedback.Flag{}
	}
	d.Reasons = nonNil(d.Reasons)
	return d
}

// readBack reads the stored decisions of keys into stored.
func readBack(ctx context.Context, tx *sqlx.Tx, keys []revisionKey, stored map[revisionKey]feedback.Decision) error {
	if len(keys) == 0 {
		return nil
	}
	ks, err := json.Marshal(keys)
	if err != nil {
		return err
	}
	rs, err := tx.QueryxContext(ctx, `
		SELECT d.item_id, d.revision, d.route, d.flags, d.confidence, d.needs_review, d.reasons, d.model_version
		FROM decisions d JOIN jsonb_to_recordset($1::jsonb) AS k(item_id uuid, revision text) USING (item_id, revision)`, ks)
	if err != nil {
		return fmt.Errorf("read %d decisions: %w", len(keys), err)
	}
	defer rs.Close()
	for rs.Next() {
		var k revisionKey
		var d feedback.Decision
		var flags, reasons pq.StringArray
		if err := rs.Scan(&k.ItemID, &k.Revision, &d.Route, &flags, &d.Confidence, &d.NeedsReview, &reasons, &d.ModelVersion); err != nil {
			return fmt.Errorf("read decision: %w", err)
		}
		d.Flags = make([]feedback.Flag, len(flags))
		for i, f := range flags {
			d.Flags[i] = feedback.Flag(f)
		}
		d.Reasons = nonNil(reasons)
		stored[k] = d
	}
	return rs.Err()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
