package actions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/signpost/signpost/shared/feedback"
)

// MaxReplyBytes is the longest reply Google accepts, applied to every channel.
const MaxReplyBytes = 4096

// Errors about a reply that say what to change.
var (
	ErrEmptyReply   = errors.New("write the reply before approving it")
	ErrLongReply    = fmt.Errorf("the reply is too long: at most %d bytes (about %d characters)", MaxReplyBytes, MaxReplyBytes)
	ErrNoReply      = errors.New("this item has no reply to approve: only reviews to respond to and complaints to signpost have one")
	ErrReplySending = errors.New("the approved reply is being posted right now; wait a minute and try again")
)

// Destination is where an approved reply goes: Google reviews are posted by the notifier; other
// channels have no way to post, so the Practice Manager copies it to where the review appears.
func Destination(c feedback.Channel) string {
	if c == feedback.GoogleReview {
		return "google"
	}
	return "by_hand"
}

// ApproveReply records the reply a person approved (possibly edited) and closes the entry it
// answers. A reply to a Google review is queued for the notifier, which posts it; approving again
// replaces it (Google keeps one reply per review).
func ApproveReply(ctx context.Context, tx *sqlx.Tx, organisation string, itemID uuid.UUID, by uuid.UUID, byEmail, body string) (string, error) {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	switch {
	case body == "":
		return "", ErrEmptyReply
	case len(body) > MaxReplyBytes:
		return "", ErrLongReply
	}
	var it itemRow
	err := tx.GetContext(ctx, &it, selectItem, itemID, organisation)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	} else if err != nil {
		return "", fmt.Errorf("read item %s: %w", itemID, err)
	}
	var kinds []string
	if err := tx.SelectContext(ctx, &kinds, `SELECT kind FROM inbox_entries WHERE item_id = $1 AND organisation = $2
		AND suggested_reply <> ''`, itemID, organisation); err != nil {
		return "", fmt.Errorf("read entries of %s: %w", itemID, err)
	}
	if len(kinds) == 0 {
		return "", ErrNoReply
	}
	dest := Destination(feedback.Channel(it.Channel))
	if _, err := tx.ExecContext(ctx, `INSERT INTO reply_approvals (item_id, organisation, body, destination, approved_by)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (item_id) DO UPDATE
		SET body = EXCLUDED.body, destination = EXCLUDED.destination, approved_by = EXCLUDED.approved_by, approved_at = now()`,
		itemID, organisation, body, dest, by); err != nil {
		return "", fmt.Errorf("record the reply to %s: %w", itemID, err)
	}
	if dest == "google" {
		res, err := tx.ExecContext(ctx, `INSERT INTO review_replies (id, item_id, organisation, review_name, body, approved_by)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (item_id) DO UPDATE
			SET body = EXCLUDED.body, approved_by = EXCLUDED.approved_by, state = 'approved', state_reason = '', attempts = 0,
			    next_attempt_at = now(), updated_at = now()
			WHERE review_replies.state <> 'sending'`,
			feedback.DeriveID("review-reply", itemID.String()), itemID, organisation, it.SourceID, body, byEmail)
		if err != nil {
			return "", fmt.Errorf("queue the reply to %s: %w", itemID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return "", ErrReplySending
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE inbox_entries SET state = 'handled' WHERE item_id = $1 AND organisation = $2
		AND suggested_reply <> '' AND state = 'open'`, itemID, organisation); err != nil {
		return "", fmt.Errorf("close the entry of %s: %w", itemID, err)
	}
	return dest, nil
}
