package delivery

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// hidePosts hides posts whose moderation request says to hide without waiting for a person.
func (w *Worker) hidePosts(ctx context.Context) (int, error) {
	var due []struct {
		ID           uuid.UUID `db:"id"`
		Organisation string    `db:"organisation"`
		SourceID     string    `db:"source_id"`
		Attempts     int       `db:"attempts"`
	}
	if err := w.DB.SelectContext(ctx, &due, `
		UPDATE moderation_requests m SET attempts = attempts + 1, next_attempt_at = $1 + interval '1 hour'
		FROM items i
		WHERE m.id IN (SELECT id FROM moderation_requests WHERE hide AND state = 'pending' AND next_attempt_at <= $1
		               LIMIT $2 FOR UPDATE SKIP LOCKED)
		  AND i.id = m.item_id
		RETURNING m.id, m.organisation, i.source_id, m.attempts`, w.Now(), w.Batch); err != nil {
		return 0, fmt.Errorf("claim hide requests: %w", err)
	}
	for _, d := range due {
		o := w.judge(w.Hide(ctx, d.Organisation, d.SourceID), d.Attempts, "")
		w.observe("facebook", o)
		state := map[string]string{"sent": "hidden", "pending": "pending", "failed": "failed"}[o.state]
		if _, err := w.DB.ExecContext(ctx, `
			UPDATE moderation_requests SET state = $2, state_reason = $3, next_attempt_at = COALESCE($4, next_attempt_at)
			WHERE id = $1`, d.ID, state, o.reason, nullTime(o.next)); err != nil {
			return len(due), fmt.Errorf("record hide request %s: %w", d.ID, err)
		}
		w.Log.Info().Str("moderation_id", d.ID.String()).Str("outcome", state).Msg("hide request")
	}
	return len(due), nil
}

// sendReplies posts the review replies a Practice Manager approved.
func (w *Worker) sendReplies(ctx context.Context) (int, error) {
	var due []struct {
		ID           uuid.UUID `db:"id"`
		Organisation string    `db:"organisation"`
		ReviewName   string    `db:"review_name"`
		Body         string    `db:"body"`
		Attempts     int       `db:"attempts"`
	}
	if err := w.DB.SelectContext(ctx, &due, `
		UPDATE review_replies SET state = 'sending', attempts = attempts + 1, updated_at = now()
		WHERE id IN (SELECT id FROM review_replies WHERE state = 'approved' AND next_attempt_at <= $1
		             LIMIT $2 FOR UPDATE SKIP LOCKED)
		RETURNING id, organisation, review_name, body, attempts`, w.Now(), w.Batch); err != nil {
		return 0, fmt.Errorf("claim review replies: %w", err)
	}
	for _, d := range due {
		o := w.judge(w.Reply(ctx, d.Organisation, d.ReviewName, d.Body), d.Attempts, "")
		w.observe("google", o)
		state := map[string]string{"sent": "sent", "pending": "approved", "failed": "failed"}[o.state]
		if _, err := w.DB.ExecContext(ctx, `
			UPDATE review_replies SET state = $2, state_reason = $3, updated_at = now(), next_attempt_at = COALESCE($4, next_attempt_at)
			WHERE id = $1`, d.ID, state, o.reason, nullTime(o.next)); err != nil {
			return len(due), fmt.Errorf("record review reply %s: %w", d.ID, err)
		}
		w.Log.Info().Str("reply_id", d.ID.String()).Str("outcome", state).Msg("review reply")
	}
	return len(due), nil
}
