// Package audit records every view of an item and every action in the organisation's audit log
// (who, what, when, from where), and reads it back. The log is append-only: the inbox's role may
// insert and read, and a trigger refuses updates and deletes from anyone.
package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// Entry is one line of the audit log. Detail never holds patient text.
type Entry struct {
	ID           int64      `db:"id"`
	Organisation string     `db:"organisation"`
	At           time.Time  `db:"at"`
	UserID       uuid.UUID  `db:"user_id"`
	UserEmail    string     `db:"user_email"`
	Action       string     `db:"action"`
	ItemID       *uuid.UUID `db:"item_id"`
	Detail       string     `db:"detail"`
	Client       string     `db:"client"`
	Via          string     `db:"via"`
}

// The actions recorded.
const (
	ViewItem          = "viewed item"
	SignedIn          = "signed in"
	SignInFailed      = "sign-in failed"
	SignedOut         = "signed out"
	ApprovedReply     = "approved reply"
	ConfirmedDecision = "confirmed decision"
	CorrectedDecision = "corrected decision"
	MarkedHandled     = "marked handled"
	CaseAcknowledged  = "marked complaint acknowledged"
	CaseResponded     = "marked complaint responded"
	MarkedReported    = "marked post reported"
	Exported          = "exported"
	ViewedFFTReport   = "viewed FFT report"
	ViewedAudit       = "viewed audit log"
)

// Record adds one line.
func Record(ctx context.Context, tx sqlx.ExecerContext, e Entry) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (organisation, user_id, user_email, action, item_id, detail, client, via)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		e.Organisation, e.UserID, e.UserEmail, e.Action, e.ItemID, e.Detail, e.Client, e.Via); err != nil {
		return fmt.Errorf("record %q in the audit log: %w", e.Action, err)
	}
	return nil
}

// Filter narrows the audit log.
type Filter struct {
	ItemID *uuid.UUID
	Limit  int
}

// List returns the organisation's newest lines first.
func List(ctx context.Context, tx sqlx.QueryerContext, organisation string, f Filter) ([]Entry, error) {
	if f.Limit <= 0 {
		f.Limit = 500
	}
	var out []Entry
	err := sqlx.SelectContext(ctx, tx, &out, `SELECT id, organisation, at, user_id, user_email, action, item_id, detail, client, via
		FROM audit_log WHERE organisation = $1 AND ($2::uuid IS NULL OR item_id = $2) ORDER BY at DESC, id DESC LIMIT $3`,
		organisation, f.ItemID, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("read the audit log: %w", err)
	}
	return out, nil
}

// ViewedWithin reports whether the person has a view of the item recorded within the last d
// (by the database's clock, which stamps every line).
func ViewedWithin(ctx context.Context, tx sqlx.QueryerContext, organisation string, user, item uuid.UUID, d time.Duration) (bool, error) {
	var seen bool
	err := sqlx.GetContext(ctx, tx, &seen, `SELECT EXISTS (SELECT FROM audit_log WHERE organisation = $1 AND user_id = $2
		AND item_id = $3 AND action = $4 AND at > now() - make_interval(secs => $5))`, organisation, user, item, ViewItem, d.Seconds())
	if err != nil {
		return false, fmt.Errorf("read the item's views: %w", err)
	}
	return seen, nil
}

// History returns the actions (not the views) on one item, oldest first.
func History(ctx context.Context, tx sqlx.QueryerContext, organisation string, item uuid.UUID) ([]Entry, error) {
	var out []Entry
	err := sqlx.SelectContext(ctx, tx, &out, `SELECT id, organisation, at, user_id, user_email, action, item_id, detail, client, via
		FROM audit_log WHERE organisation = $1 AND item_id = $2 AND action <> $3 ORDER BY at, id`, organisation, item, ViewItem)
	if err != nil {
		return nil, fmt.Errorf("read the item's history: %w", err)
	}
	return out, nil
}
