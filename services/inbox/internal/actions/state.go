package actions

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// ErrNotApplicable means the action does not fit where the item stands (already done, or no such
// entry); the message says what the page should show instead.
type ErrNotApplicable struct{ Reason string }

func (e *ErrNotApplicable) Error() string { return e.Reason }

// IsNotApplicable reports whether err is an ErrNotApplicable.
func IsNotApplicable(err error) bool {
	var na *ErrNotApplicable
	return errors.As(err, &na)
}

// exists tells a missing item (404) from an action that does not fit (409).
func exists(ctx context.Context, tx *sqlx.Tx, organisation string, itemID uuid.UUID) error {
	var n int
	if err := tx.GetContext(ctx, &n, `SELECT count(*) FROM items WHERE id = $1 AND organisation = $2`, itemID, organisation); err != nil {
		return fmt.Errorf("read item %s: %w", itemID, err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// MarkHandled closes the item's open entry of the kind.
func MarkHandled(ctx context.Context, tx *sqlx.Tx, organisation string, itemID uuid.UUID, kind string) error {
	if err := exists(ctx, tx, organisation, itemID); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE inbox_entries SET state = 'handled'
		WHERE item_id = $1 AND organisation = $2 AND kind = $3 AND state = 'open'`, itemID, organisation, kind)
	if err != nil {
		return fmt.Errorf("mark entry of %s handled: %w", itemID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &ErrNotApplicable{"That entry is not open any more: someone may already have handled it."}
	}
	return nil
}

// MoveCase moves the item's complaint case to acknowledged or responded. Responding also closes
// the case's inbox entry.
func MoveCase(ctx context.Context, tx *sqlx.Tx, organisation string, itemID uuid.UUID, to string) error {
	if err := exists(ctx, tx, organisation, itemID); err != nil {
		return err
	}
	from := map[string][]string{"acknowledged": {"open"}, "responded": {"open", "acknowledged"}}[to]
	if from == nil {
		return &ErrNotApplicable{"A complaint case can be marked acknowledged or responded."}
	}
	res, err := tx.ExecContext(ctx, `UPDATE complaint_cases SET state = $3
		WHERE item_id = $1 AND organisation = $2 AND state = ANY($4)`, itemID, organisation, to, from)
	if err != nil {
		return fmt.Errorf("move the complaint case of %s: %w", itemID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &ErrNotApplicable{"This complaint case cannot be marked " + to + ": it has no case, or it is already past that."}
	}
	if to == "responded" {
		if _, err := tx.ExecContext(ctx, `UPDATE inbox_entries SET state = 'handled'
			WHERE item_id = $1 AND organisation = $2 AND kind = 'complaint_case' AND state = 'open'`, itemID, organisation); err != nil {
			return fmt.Errorf("close the case entry of %s: %w", itemID, err)
		}
	}
	return nil
}

// MarkReported records that the post was reported to the platform. A post the policy hides is
// reported once it is hidden; otherwise it can be reported at any time.
func MarkReported(ctx context.Context, tx *sqlx.Tx, organisation string, itemID uuid.UUID) error {
	if err := exists(ctx, tx, organisation, itemID); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE moderation_requests SET state = 'reported'
		WHERE item_id = $1 AND organisation = $2 AND (state = 'hidden' OR (NOT hide AND state IN ('pending', 'failed')))`,
		itemID, organisation)
	if err != nil {
		return fmt.Errorf("mark the post of %s reported: %w", itemID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &ErrNotApplicable{"This post cannot be marked reported yet: it is not hidden yet, or it is already reported."}
	}
	return nil
}
