package delivery_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/rs/zerolog"

	"github.com/signpost/signpost/services/notifier/internal/delivery"
	"github.com/signpost/signpost/shared/storetest"
)

var ctx = context.Background()

type script struct {
	mu    sync.Mutex
	calls int
	errs  []error // returned in turn; nil once they run out
}

func (s *script) send(context.Context, delivery.Message) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if len(s.errs) == 0 {
		return "platform-id", nil
	}
	err := s.errs[0]
	s.errs = s.errs[1:]
	return "", err
}

type fixture struct {
	db   *sqlx.DB
	w    *delivery.Worker
	now  time.Time
	item uuid.UUID
}

func setup(t *testing.T, s *script, writtenAgo time.Duration) *fixture {
	t.Helper()
	db, _ := storetest.New(t)
	f := &fixture{db: db, now: time.Now(), item: uuid.New()}
	if _, err := db.Exec(`INSERT INTO items (id, organisation, practice, channel, source_id, body, written_at, first_written_at)
		VALUES ($1, 'org', 'p', 'facebook_comment', 'c1', 't', $2, $2)`, f.item, f.now.Add(-writtenAgo)); err != nil {
		t.Fatal(err)
	}
	for _, medium := range []string{"facebook_private_reply", "email"} {
		if _, err := db.Exec(`INSERT INTO outbox (id, item_id, organisation, medium, recipient, purpose, body, state, next_attempt_at)
			VALUES ($1, $2, 'org', $3, 'r', 'delete_request', 'b', 'pending', $4)`, uuid.New(), f.item, medium, f.now); err != nil {
			t.Fatal(err)
		}
	}
	f.w = &delivery.Worker{DB: db, Senders: map[string]delivery.Sender{"facebook_private_reply": s.send, "email": s.send},
		Log: zerolog.Nop(), Now: func() time.Time { return f.now }, Batch: 10, Poll: time.Millisecond, MaxAttempts: 3,
		Interrupted: time.Minute}
	return f
}

func (f *fixture) states(t *testing.T) map[string]string {
	t.Helper()
	rows := []struct{ Medium, State, Reason string }{}
	if err := f.db.Select(&rows, `SELECT medium, state, state_reason AS reason FROM outbox`); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.Medium] = r.State
	}
	return out
}

func TestAFailureThenSuccessSendsOnce(t *testing.T) {
	s := &script{errs: []error{&delivery.RetryLater{Err: errors.New("500")}}}
	f := setup(t, s, time.Hour)
	if _, err := f.w.Pass(ctx); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(time.Minute) // past the backoff
	for range 3 {
		if _, err := f.w.Pass(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if st := f.states(t); st["facebook_private_reply"] != "sent" || st["email"] != "sent" {
		t.Errorf("states %v", st)
	}
	if s.calls != 3 { // one failure and one success for the first, one success for the second
		t.Errorf("%d sends, want 3", s.calls)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	s := &script{errs: []error{&delivery.RetryLater{After: 10 * time.Minute, Err: errors.New("429")}}}
	f := setup(t, s, time.Hour)
	_, _ = f.w.Pass(ctx)
	f.now = f.now.Add(5 * time.Minute)
	_, _ = f.w.Pass(ctx)
	if s.calls != 2 { // the rate-limited one waits; the other one went at once
		t.Fatalf("%d sends before the Retry-After passed, want 2", s.calls)
	}
	f.now = f.now.Add(6 * time.Minute)
	_, _ = f.w.Pass(ctx)
	if s.calls != 3 || f.states(t)["facebook_private_reply"] != "sent" && f.states(t)["email"] != "sent" {
		t.Errorf("after the Retry-After: %d sends, states %v", s.calls, f.states(t))
	}
}

func TestPermanentFailuresAndGivingUpAreKeptWithTheReason(t *testing.T) {
	s := &script{errs: []error{errors.New("invalid recipient"), &delivery.RetryLater{Err: errors.New("503")}}}
	f := setup(t, s, time.Hour)
	for range 5 {
		_, _ = f.w.Pass(ctx)
		f.now = f.now.Add(time.Hour)
	}
	var reasons []string
	_ = f.db.Select(&reasons, `SELECT state || ': ' || state_reason FROM outbox ORDER BY state_reason`)
	if len(reasons) != 2 || reasons[0] != "failed: invalid recipient" && reasons[1] != "failed: invalid recipient" {
		t.Errorf("reasons %v", reasons)
	}
}

func TestACommentOlderThanSevenDaysGetsNoPrivateReply(t *testing.T) {
	s := &script{}
	f := setup(t, s, 8*24*time.Hour)
	_, _ = f.w.Pass(ctx)
	var reason string
	_ = f.db.Get(&reason, `SELECT state_reason FROM outbox WHERE medium = 'facebook_private_reply' AND state = 'failed'`)
	if reason == "" || s.calls != 1 { // only the email went
		t.Errorf("reason %q, %d sends", reason, s.calls)
	}
}

func TestAlreadySentCountsAsSent(t *testing.T) {
	f := setup(t, &script{errs: []error{delivery.ErrAlreadySent, delivery.ErrAlreadySent}}, time.Hour)
	_, _ = f.w.Pass(ctx)
	if st := f.states(t); st["facebook_private_reply"] != "sent" {
		t.Errorf("states %v", st)
	}
}

func TestAWorkerKilledMidSendNeverSendsTwice(t *testing.T) {
	s := &script{}
	f := setup(t, s, time.Hour)
	// A worker claimed both and died before recording anything.
	if _, err := f.db.Exec(`UPDATE outbox SET state = 'sending', attempts = 1, updated_at = $1`, f.now.Add(-5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	_, _ = f.w.Pass(ctx)
	_, _ = f.w.Pass(ctx)
	st := f.states(t)
	if st["facebook_private_reply"] != "sent" || st["email"] != "failed" || s.calls != 1 {
		t.Errorf("states %v after %d sends: the reply is tried again (Facebook refuses a second), the email is not", st, s.calls)
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	if delivery.Backoff(0, 1) != 5*time.Second || delivery.Backoff(0, 2) != 10*time.Second || delivery.Backoff(0, 30) != time.Hour ||
		delivery.Backoff(time.Millisecond, 3) != 4*time.Millisecond {
		t.Errorf("backoff %v %v %v", delivery.Backoff(0, 1), delivery.Backoff(0, 2), delivery.Backoff(0, 30))
	}
}

func TestStoppingMidBatchLosesNoEmail(t *testing.T) {
	stop, cancel := context.WithCancel(ctx)
	s := &script{}
	f := setup(t, s, time.Hour)
	// The reply is claimed first, the email after it.
	if _, err := f.db.Exec(`UPDATE outbox SET next_attempt_at = next_attempt_at - interval '1 second' WHERE medium = 'facebook_private_reply'`); err != nil {
		t.Fatal(err)
	}
	f.w.Senders["facebook_private_reply"] = func(context.Context, delivery.Message) (string, error) {
		cancel() // the process is told to stop while the first message is being sent
		return "id", nil
	}
	_, _ = f.w.Pass(stop)
	st := f.states(t)
	if st["facebook_private_reply"] != "sent" {
		t.Errorf("the send under way was not recorded: %v", st)
	}
	if st["email"] != "pending" || s.calls != 0 {
		t.Errorf("the email not yet tried must go back to pending, unsent: %v, %d sends", st, s.calls)
	}
}

// A worker that claimed a batch and lost its database (or was killed) before trying some of them
// leaves those claimed, not sending: they are sent later, emails included.
func TestMessagesClaimedButNeverTriedAreSentLater(t *testing.T) {
	s := &script{}
	f := setup(t, s, time.Hour)
	if _, err := f.db.Exec(`UPDATE outbox SET state = 'claimed', attempts = 1, updated_at = $1`, f.now.Add(-5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	_, _ = f.w.Pass(ctx)
	st := f.states(t)
	if st["facebook_private_reply"] != "sent" || st["email"] != "sent" || s.calls != 2 {
		t.Errorf("states %v after %d sends: both were never tried, so both are sent once", st, s.calls)
	}
	var attempts []int
	if err := f.db.Select(&attempts, `SELECT attempts FROM outbox`); err != nil {
		t.Fatal(err)
	}
	for _, a := range attempts {
		if a != 1 {
			t.Errorf("attempts %v: a claim never tried is not an attempt", attempts)
		}
	}
}
