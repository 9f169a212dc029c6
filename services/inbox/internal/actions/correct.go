package actions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/signpost/signpost/shared/event"
	"github.com/signpost/signpost/shared/feedback"
)

// ErrNotFound means no such item in the organisation.
var ErrNotFound = errors.New("no such item in this organisation")

// Revision is a person's decision on an item, to publish as feedback.routed so the notifier plans
// the item's actions again, exactly as it does for an edited post.
type Revision struct {
	ID            uuid.UUID
	Kind          string // confirmed or corrected
	Item          feedback.Item
	Decision      feedback.Decision
	CorrelationID string
}

// Event is the feedback.routed envelope of the revision and its message id.
func (r Revision) Event(now time.Time) ([]byte, uuid.UUID, error) {
	return event.NewRouted(r.Item, r.Decision, r.CorrelationID, now)
}

type itemRow struct {
	ID            uuid.UUID `db:"id"`
	Organisation  string    `db:"organisation"`
	Practice      string    `db:"practice"`
	Channel       string    `db:"channel"`
	SourceID      string    `db:"source_id"`
	Author        string    `db:"author"`
	Email         string    `db:"email"`
	Body          string    `db:"body"`
	Rating        string    `db:"rating"`
	Revision      string    `db:"revision"`
	WrittenAt     time.Time `db:"written_at"`
	CorrelationID string    `db:"correlation_id"`
}

func (r itemRow) item() feedback.Item {
	return feedback.Item{ID: r.ID, Organisation: r.Organisation, Practice: r.Practice, Channel: feedback.Channel(r.Channel),
		SourceID: r.SourceID, Author: r.Author, Email: r.Email, Text: r.Body, Rating: r.Rating, Revision: r.Revision,
		WrittenAt: r.WrittenAt}
}

const selectItem = `SELECT id, organisation, practice, channel, source_id, author, email, body, rating, revision, written_at,
	correlation_id FROM items WHERE id = $1 AND organisation = $2`

type decisionRow struct {
	Route        string         `db:"route"`
	Flags        pq.StringArray `db:"flags"`
	Confidence   float64        `db:"confidence"`
	NeedsReview  bool           `db:"needs_review"`
	Reasons      pq.StringArray `db:"reasons"`
	ModelVersion string         `db:"model_version"`
}

func (d decisionRow) decision() feedback.Decision {
	flags := make([]feedback.Flag, len(d.Flags))
	for i, f := range d.Flags {
		flags[i] = feedback.Flag(f)
	}
	return feedback.Decision{Route: feedback.Route(d.Route), Flags: flags, Confidence: d.Confidence, NeedsReview: d.NeedsReview,
		Reasons: []string(d.Reasons), ModelVersion: d.ModelVersion}
}

// Decide records a person's confirmation or correction of the item's current decision: a new
// decision revision, the labelled example, and the item's open entries withdrawn so the notifier
// can plan them again from the new decision (handled entries stay as they are). The caller
// publishes the returned revision once the transaction has committed, then calls MarkPublished.
func Decide(ctx context.Context, tx *sqlx.Tx, organisation string, itemID uuid.UUID, by uuid.UUID,
	confirm bool, route feedback.Route, flags []feedback.Flag) (Revision, error) {
	var it itemRow
	err := tx.GetContext(ctx, &it, selectItem+` FOR UPDATE`, itemID, organisation)
	if errors.Is(err, sql.ErrNoRows) {
		return Revision{}, ErrNotFound
	} else if err != nil {
		return Revision{}, fmt.Errorf("read item %s: %w", itemID, err)
	}
	var cur decisionRow
	err = tx.GetContext(ctx, &cur, `SELECT route, flags, confidence, needs_review, reasons, model_version FROM decisions
		WHERE item_id = $1 AND organisation = $2 AND revision = $3`, itemID, organisation, it.Revision)
	if errors.Is(err, sql.ErrNoRows) {
		return Revision{}, ErrNoDecision
	} else if err != nil {
		return Revision{}, fmt.Errorf("read decision of %s: %w", itemID, err)
	}
	d, kind, err := Revise(cur.decision(), confirm, route, flags)
	if err != nil {
		return Revision{}, err
	}
	id := uuid.New()
	rev := Revision{ID: id, Kind: kind, Item: it.item(), Decision: d, CorrelationID: it.CorrelationID}
	rev.Item.Revision = "pm-" + id.String()
	flagNames := make([]string, len(d.Flags))
	for i, f := range d.Flags {
		flagNames[i] = string(f)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO decisions (item_id, revision, organisation, route, flags, confidence,
		needs_review, reasons, model_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		itemID, rev.Item.Revision, organisation, d.Route, pq.Array(flagNames), d.Confidence, d.NeedsReview, pq.Array(d.Reasons),
		d.ModelVersion); err != nil {
		return Revision{}, fmt.Errorf("store the new decision of %s: %w", itemID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE items SET revision = $3 WHERE id = $1 AND organisation = $2`,
		itemID, organisation, rev.Item.Revision); err != nil {
		return Revision{}, fmt.Errorf("move item %s to the new decision: %w", itemID, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO decision_corrections (id, item_id, organisation, practice, channel, body, kind,
		from_revision, from_route, from_flags, revision, route, flags, corrected_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		id, itemID, organisation, it.Practice, it.Channel, it.Body, kind, it.Revision, cur.Route, cur.Flags,
		rev.Item.Revision, d.Route, pq.Array(flagNames), by); err != nil {
		return Revision{}, fmt.Errorf("keep the labelled example of %s: %w", itemID, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM inbox_entries WHERE item_id = $1 AND organisation = $2 AND state = 'open'`,
		itemID, organisation); err != nil {
		return Revision{}, fmt.Errorf("withdraw the open entries of %s: %w", itemID, err)
	}
	return rev, nil
}

// MarkPublished records that JetStream has the revision's event.
func MarkPublished(ctx context.Context, db sqlx.ExecerContext, id uuid.UUID) error {
	if _, err := db.ExecContext(ctx, `UPDATE decision_corrections SET published_at = now() WHERE id = $1`, id); err != nil {
		return fmt.Errorf("mark revision %s published: %w", id, err)
	}
	return nil
}

// Unpublished returns revisions recorded more than olderThan ago whose event JetStream never acknowledged
// (the process stopped, or NATS was away, between commit and publish), to publish again. It reads
// across organisations: it is the pipeline's sweep, not a person's request.
func Unpublished(ctx context.Context, db sqlx.QueryerContext, olderThan time.Duration, limit int) ([]Revision, error) {
	var rows []struct {
		itemRow
		decisionRow
		CorrectionID uuid.UUID `db:"correction_id"`
		Kind         string    `db:"kind"`
		NewRevision  string    `db:"new_revision"`
	}
	if err := sqlx.SelectContext(ctx, db, &rows, `
		SELECT c.id AS correction_id, c.kind, c.revision AS new_revision,
		       i.id, i.organisation, i.practice, i.channel, i.source_id, i.author, i.email, i.body, i.rating, i.revision,
		       i.written_at, i.correlation_id,
		       d.route, d.flags, d.confidence, d.needs_review, d.reasons, d.model_version
		FROM decision_corrections c
		JOIN items i ON i.id = c.item_id
		JOIN decisions d ON d.item_id = c.item_id AND d.revision = c.revision
		WHERE c.published_at IS NULL AND c.corrected_at < now() - make_interval(secs => $1)
		ORDER BY c.corrected_at LIMIT $2`, olderThan.Seconds(), limit); err != nil {
		return nil, fmt.Errorf("find unpublished revisions: %w", err)
	}
	out := make([]Revision, len(rows))
	for i, r := range rows {
		out[i] = Revision{ID: r.CorrectionID, Kind: r.Kind, Item: r.item(), Decision: r.decision(), CorrelationID: r.CorrelationID}
		out[i].Item.Revision = r.NewRevision
	}
	return out, nil
}
