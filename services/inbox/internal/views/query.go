package views

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Row is one entry in a view.
type Row struct {
	ItemID          uuid.UUID      `db:"item_id"`
	Kind            string         `db:"kind"`
	Priority        string         `db:"priority"`
	State           string         `db:"state"`
	Practice        string         `db:"practice"`
	Channel         string         `db:"channel"`
	Text            string         `db:"body"`
	Rating          string         `db:"rating"`
	ReceivedAt      time.Time      `db:"received_at"`
	RemovedAt       *time.Time     `db:"removed_at"`
	Route           *string        `db:"route"`
	Flags           pq.StringArray `db:"flags"`
	NeedsReview     *bool          `db:"needs_review"`
	AcknowledgeBy   *string        `db:"acknowledge_by"`
	CaseState       *string        `db:"case_state"`
	ModerationState *string        `db:"moderation_state"`
	Hide            *bool          `db:"hide"`
}

// Overdue reports whether the row's complaint case is past its acknowledgement date on today.
func (r Row) Overdue(today string) bool {
	return r.AcknowledgeBy != nil && r.CaseState != nil && *r.CaseState == "open" && *r.AcknowledgeBy < today
}

// Limit is how many rows a page of a view shows; an export has no such limit.
const Limit = 200

// List returns the view's entries of the organisation that pass the filter, urgent first, then
// the newest. limit 0 means all.
func List(ctx context.Context, tx sqlx.QueryerContext, organisation string, v View, f Filter, limit int) ([]Row, error) {
	q := `
		SELECT e.item_id, e.kind, e.priority, e.state, i.practice, i.channel, i.body, i.rating, i.received_at, i.removed_at,
		       d.route, d.flags, d.needs_review,
		       to_char(c.acknowledge_by, 'YYYY-MM-DD') AS acknowledge_by, c.state AS case_state,
		       m.state AS moderation_state, m.hide
		FROM inbox_entries e
		JOIN items i ON i.id = e.item_id AND i.organisation = e.organisation
		LEFT JOIN decisions d ON d.item_id = i.id AND d.revision = i.revision AND d.organisation = i.organisation
		LEFT JOIN complaint_cases c ON c.item_id = i.id AND c.organisation = i.organisation
		LEFT JOIN moderation_requests m ON m.item_id = i.id AND m.organisation = i.organisation
		WHERE e.organisation = $1 AND e.kind = ANY($2)`
	args := []any{organisation, pq.Array(v.Kinds)}
	add := func(cond string, arg any) {
		args = append(args, arg)
		q += " AND " + strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args)))
	}
	if f.State != "all" {
		add("e.state = ?", f.State)
	}
	if f.Search != "" {
		add("(i.body ILIKE ? OR i.author ILIKE ?)", likePattern(f.Search))
	}
	if f.Channel != "" {
		add("i.channel = ?", f.Channel)
	}
	if f.Practice != "" {
		add("i.practice = ?", f.Practice)
	}
	if f.From != "" {
		add("(i.received_at AT TIME ZONE 'Europe/London')::date >= ?::date", f.From)
	}
	if f.To != "" {
		add("(i.received_at AT TIME ZONE 'Europe/London')::date <= ?::date", f.To)
	}
	if f.Flag != "" {
		add("? = ANY(d.flags)", f.Flag)
	}
	q += " ORDER BY e.priority = 'urgent' DESC, i.received_at DESC, e.item_id"
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows := []Row{}
	if err := sqlx.SelectContext(ctx, tx, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("list %s: %w", v.Slug, err)
	}
	return rows, nil
}

// Counts returns how many open entries each view holds for the organisation.
func Counts(ctx context.Context, tx sqlx.QueryerContext, organisation string) (map[string]int, error) {
	var byKind []struct {
		Kind  string `db:"kind"`
		Count int    `db:"n"`
	}
	if err := sqlx.SelectContext(ctx, tx, &byKind, `SELECT kind, count(*) AS n FROM inbox_entries
		WHERE organisation = $1 AND state = 'open' GROUP BY kind`, organisation); err != nil {
		return nil, fmt.Errorf("count the views: %w", err)
	}
	out := map[string]int{}
	for _, v := range All {
		out[v.Slug] = 0
		for _, k := range byKind {
			for _, kind := range v.Kinds {
				if k.Kind == kind {
					out[v.Slug] += k.Count
				}
			}
		}
	}
	return out, nil
}
