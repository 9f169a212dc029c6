// Package delivery sends what the notifier stored: private replies and emails to patients, hide
// requests for posts that break the code of conduct, and approved replies to Google reviews. Each
// is claimed from Postgres by one worker at a time, sent through a platform adapter, and its
// outcome kept: sent, retried later with backoff (honouring the platform's Retry-After), or
// failed with the platform's reason.
package delivery

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/rs/zerolog"
)

// Message is a message to a patient, as the outbox holds it.
type Message struct {
	ID             uuid.UUID `db:"id"`
	ItemID         uuid.UUID `db:"item_id"`
	Organisation   string    `db:"organisation"`
	Practice       string    `db:"practice"`
	Medium         string    `db:"medium"`
	Recipient      string    `db:"recipient"`
	Purpose        string    `db:"purpose"`
	Body           string    `db:"body"`
	Attempts       int       `db:"attempts"`
	Channel        string    `db:"channel"`
	FirstWrittenAt time.Time `db:"first_written_at"`
	CorrelationID  string    `db:"correlation_id"`
	NextAttemptAt  time.Time `db:"next_attempt_at"`
}

// Sender sends a message through one platform and returns the platform's id for it.
type Sender func(ctx context.Context, m Message) (platformID string, err error)

// Hider hides a post on the organisation's own page.
type Hider func(ctx context.Context, organisation, postID string) error

// Replier posts a public reply to a review.
type Replier func(ctx context.Context, organisation, reviewName, body string) error

// RetryLater wraps a failure worth trying again (a 5xx, a rate limit, the network), with how long
// the platform asked to wait.
type RetryLater struct {
	After time.Duration
	Err   error
}

func (r *RetryLater) Error() string { return r.Err.Error() }
func (r *RetryLater) Unwrap() error { return r.Err }

// ErrAlreadySent means the platform says this message was sent before (Facebook allows one
// private reply per comment): the message counts as sent.
var ErrAlreadySent = errors.New("the platform says this message was already sent")

// ReplyWindow is how long after a comment Facebook allows a private reply to it.
const ReplyWindow = 7 * 24 * time.Hour

// Worker delivers.
type Worker struct {
	DB          *sqlx.DB
	Senders     map[string]Sender // by medium: email, facebook_private_reply
	Hide        Hider
	Reply       Replier
	Log         zerolog.Logger
	Now         func() time.Time
	Batch       int
	Poll        time.Duration
	MaxAttempts int
	// Interrupted is how long a message may stay "sending" before the worker that claimed it is
	// taken to have died.
	Interrupted time.Duration
	// BackoffBase is the first wait before a retry (it doubles, up to an hour); 0 means 5 s.
	BackoffBase time.Duration
	// Observe hears each platform call's outcome (sent, retry, failed), for metrics; may be nil.
	Observe func(platform, outcome string)
}

// observe reports an attempt's outcome for a platform.
func (w *Worker) observe(platform string, o outcome) {
	if w.Observe == nil {
		return
	}
	w.Observe(platform, map[string]string{"sent": "sent", "pending": "retry", "approved": "retry", "failed": "failed"}[o.state])
}

// platformOf names the platform a medium goes through.
func platformOf(medium string) string {
	if medium == "email" {
		return "notify"
	}
	return "facebook"
}

// Backoff is the wait before attempt n+1: base doubling to at most an hour.
func Backoff(base time.Duration, attempts int) time.Duration {
	if base <= 0 {
		base = 5 * time.Second
	}
	d := base
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// Run delivers until ctx ends.
func (w *Worker) Run(ctx context.Context) error {
	for {
		n, err := w.Pass(ctx)
		if err != nil && ctx.Err() == nil {
			w.Log.Error().Err(err).Msg("delivery pass failed")
		}
		if n > 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(w.Poll):
		}
	}
}

// Pass recovers interrupted sends, then delivers what is due, and returns how much it handled.
func (w *Worker) Pass(ctx context.Context) (int, error) {
	if err := w.recoverInterrupted(ctx); err != nil {
		return 0, err
	}
	n, err := w.sendMessages(ctx)
	if err != nil {
		return n, err
	}
	h, err := w.hidePosts(ctx)
	if err != nil {
		return n + h, err
	}
	r, err := w.sendReplies(ctx)
	return n + h + r, err
}

// outcome says what to store after an attempt.
type outcome struct {
	state, reason, platformID string
	next                      time.Time
}

func (w *Worker) judge(err error, attempts int, platformID string) outcome {
	now := w.Now()
	var retry *RetryLater
	switch {
	case err == nil:
		return outcome{state: "sent", platformID: platformID}
	case errors.Is(err, ErrAlreadySent):
		return outcome{state: "sent", reason: err.Error()}
	case errors.As(err, &retry) && attempts < w.MaxAttempts:
		return outcome{state: "pending", reason: fmt.Sprintf("attempt %d failed, will try again: %v", attempts, err),
			next: now.Add(max(retry.After, Backoff(w.BackoffBase, attempts)))}
	case errors.As(err, &retry):
		return outcome{state: "failed", reason: fmt.Sprintf("gave up after %d attempts: %v", attempts, err)}
	}
	return outcome{state: "failed", reason: err.Error()}
}
