package delivery

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// sendMessages claims the messages that are due and sends each once. Claiming marks them
// "claimed" in one statement, with SKIP LOCKED, so two workers never take the same message; each
// becomes "sending" only just before it is sent, so one never tried is never taken for one that
// may have gone out.
func (w *Worker) sendMessages(ctx context.Context) (int, error) {
	var due []Message
	err := w.DB.SelectContext(ctx, &due, `
		WITH claimed AS (
			UPDATE outbox SET state = 'claimed', attempts = attempts + 1, updated_at = now()
			WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= $1
			             ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
			RETURNING id, item_id, organisation, medium, recipient, purpose, body, attempts, next_attempt_at)
		SELECT c.*, i.practice, i.channel, i.first_written_at, i.correlation_id FROM claimed c JOIN items i ON i.id = c.item_id
		ORDER BY c.next_attempt_at, c.id`,
		w.Now(), w.Batch)
	if err != nil {
		return 0, fmt.Errorf("claim messages: %w", err)
	}
	// A send under way finishes and is recorded even when the worker is told to stop: stopping
	// half-way would leave a message whose fate nobody knows.
	keep := context.WithoutCancel(ctx)
	for i, m := range due {
		if ctx.Err() != nil {
			return i, w.release(keep, due[i:])
		}
		// Still ours? A worker that took too long may have been taken for dead and the message
		// recovered by another, or the post removed meanwhile.
		res, err := w.DB.ExecContext(keep, `UPDATE outbox SET state = 'sending', updated_at = now() WHERE id = $1 AND state = 'claimed'`, m.ID)
		if err != nil {
			return i, errors.Join(fmt.Errorf("start sending message %s: %w", m.ID, err), w.release(keep, due[i:]))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		sendCtx, cancel := context.WithTimeout(keep, time.Minute)
		o := w.attempt(sendCtx, m)
		cancel()
		if err := w.record(keep, m, o); err != nil {
			return i, errors.Join(fmt.Errorf("record delivery of message %s: %w", m.ID, err), w.release(keep, due[i+1:]))
		}
		w.Log.Info().Str("message_id", m.ID.String()).Str("item_id", m.ItemID.String()).Str("correlation_id", m.CorrelationID).
			Str("medium", m.Medium).Int("attempt", m.Attempts).Str("outcome", o.state).Msg("message delivery")
	}
	return len(due), nil
}

// record stores what became of a message just sent. The send cannot be undone, so the database is
// given a few seconds to answer before the message is left "sending" for recoverInterrupted.
func (w *Worker) record(ctx context.Context, m Message, o outcome) error {
	return persist(func() error {
		_, err := w.DB.ExecContext(ctx, `
			UPDATE outbox SET state = $2, state_reason = $3, platform_id = $4, updated_at = now(),
			       next_attempt_at = COALESCE($5, next_attempt_at), sent_at = CASE WHEN $2 = 'sent' THEN now() END
			WHERE id = $1 AND state = 'sending'`, m.ID, o.state, o.reason, o.platformID, nullTime(o.next))
		return err
	})
}

func (w *Worker) attempt(ctx context.Context, m Message) outcome {
	if m.Medium == "facebook_private_reply" && w.Now().Sub(m.FirstWrittenAt) > ReplyWindow {
		return outcome{state: "failed", reason: fmt.Sprintf(
			"not sent: the comment was written %s, and Facebook allows a private reply only within 7 days of it",
			m.FirstWrittenAt.UTC().Format("2 January 2006 15:04 MST"))}
	}
	send, ok := w.Senders[m.Medium]
	if !ok {
		return outcome{state: "failed", reason: "no way to send " + m.Medium + " is configured"}
	}
	id, err := send(ctx, m)
	o := w.judge(err, m.Attempts, id)
	w.observe(platformOf(m.Medium), o)
	return o
}

// release gives back messages this worker claimed and never sent, as if never claimed. The first
// may already be marked "sending" if the database's answer to that was lost. If the database
// cannot be reached, recoverInterrupted gives them back later.
func (w *Worker) release(ctx context.Context, ms []Message) error {
	for _, m := range ms {
		if err := persist(func() error {
			_, err := w.DB.ExecContext(ctx, `
				UPDATE outbox SET state = 'pending', attempts = attempts - 1, updated_at = now()
				WHERE id = $1 AND state IN ('claimed', 'sending')`, m.ID)
			return err
		}); err != nil {
			return fmt.Errorf("release message %s: %w", m.ID, err)
		}
	}
	return nil
}

// persist runs a statement whose outcome must be stored, trying again for a few seconds while the
// database does not answer (a connection reset, a failover).
func persist(exec func() error) error {
	err := exec()
	for pause := 50 * time.Millisecond; err != nil && pause < 4*time.Second; pause *= 2 {
		time.Sleep(pause)
		err = exec()
	}
	return err
}

// recoverInterrupted deals with messages a worker claimed and never recorded. One never tried is
// given back, as if never claimed. One interrupted while sending (the worker was killed between
// sending and recording) depends on its medium. A Facebook private reply is tried again: Facebook refuses a
// second one to the same comment, which counts as sent, so the patient never gets two. An email
// is not: GOV.UK Notify cannot tell whether it was sent, so it is failed with a reason a person
// can check, rather than risk a second email.
func (w *Worker) recoverInterrupted(ctx context.Context) error {
	now := w.Now()
	cutoff := now.Add(-w.Interrupted)
	if _, err := w.DB.ExecContext(ctx, `
		UPDATE outbox SET state = 'pending', attempts = attempts - 1, updated_at = now()
		WHERE state = 'claimed' AND updated_at < $1`, cutoff); err != nil {
		return fmt.Errorf("give back claimed messages: %w", err)
	}
	if _, err := w.DB.ExecContext(ctx, `
		UPDATE outbox SET state = 'pending', next_attempt_at = $2, updated_at = now(),
		       state_reason = 'interrupted while sending; Facebook refuses a second private reply, so it is safe to try again'
		WHERE state = 'sending' AND updated_at < $1 AND medium = 'facebook_private_reply'`, cutoff, now); err != nil {
		return fmt.Errorf("recover interrupted replies: %w", err)
	}
	if _, err := w.DB.ExecContext(ctx, `
		UPDATE outbox SET state = 'failed', updated_at = now(),
		       state_reason = 'interrupted while sending: it may have gone out, so it was not sent again; check GOV.UK Notify for reference ' || id
		WHERE state = 'sending' AND updated_at < $1 AND medium = 'email'`, cutoff); err != nil {
		return fmt.Errorf("recover interrupted emails: %w", err)
	}
	// A review reply replaces the practice's reply (PUT), so sending it again changes nothing.
	if _, err := w.DB.ExecContext(ctx, `
		UPDATE review_replies SET state = 'approved', next_attempt_at = $2, updated_at = now()
		WHERE state = 'sending' AND updated_at < $1`, cutoff, now); err != nil {
		return fmt.Errorf("recover interrupted review replies: %w", err)
	}
	return nil
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
