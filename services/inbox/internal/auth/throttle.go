package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/signpost/signpost/shared/httpx"
	"github.com/signpost/signpost/shared/store"
)

// Limit is how many failed sign-ins a key may have within Window before it is locked for Lockout.
type Limit struct {
	Failures int
	Window   time.Duration
	Lockout  time.Duration
}

// Count is a key's failed sign-ins in its current window.
type Count struct {
	Failures      int       `db:"failures"`
	WindowStarted time.Time `db:"window_started"`
	LockedUntil   time.Time `db:"locked_until"`
}

// Fail is the count after one more failure at now: a window that has passed starts again, and
// reaching the limit locks the key.
func (l Limit) Fail(c Count, now time.Time) Count {
	if c.WindowStarted.IsZero() || !now.Before(c.WindowStarted.Add(l.Window)) {
		c = Count{WindowStarted: now}
	}
	c.Failures++
	if c.Failures >= l.Failures {
		c.LockedUntil = now.Add(l.Lockout)
	}
	return c
}

// LockedAt reports whether the key is locked at now.
func (c Count) LockedAt(now time.Time) bool { return now.Before(c.LockedUntil) }

// Throttle counts failed sign-ins per account and per client address, in Postgres so that every
// process sees the same counts.
type Throttle struct {
	DB      *sqlx.DB
	Account Limit // per email address, whether or not an account has it
	Client  Limit // per client address
	Now     func() time.Time
}

// DefaultAccountLimit and DefaultClientLimit: 5 failures for one email, or 20 from one address,
// within 15 minutes pause sign-in for 15 minutes.
var (
	DefaultAccountLimit = Limit{Failures: 5, Window: 15 * time.Minute, Lockout: 15 * time.Minute}
	DefaultClientLimit  = Limit{Failures: 20, Window: 15 * time.Minute, Lockout: 15 * time.Minute}
)

func accountKey(email string) string {
	h := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return "account:" + hex.EncodeToString(h[:])
}

// clientKey is the client's throttling key (an IPv6 client by its /64).
func clientKey(client string) string { return "client:" + httpx.ClientKey(client) }

// Attempt counts a sign-in attempt against the email and the client before the password is
// checked, and says until when sign-in is paused if either is locked (a locked attempt is not
// counted). Both keys' rows are held while they are read and counted, so attempts made at the
// same moment are counted one after another and cannot all slip in under the limit. A correct
// password is then reported with Succeeded, which takes the attempt back.
func (t *Throttle) Attempt(ctx context.Context, email, client string) (time.Time, bool, error) {
	now := t.Now()
	var until time.Time
	err := store.InTx(ctx, t.DB, func(tx *sqlx.Tx) error {
		keys := []struct {
			key   string
			limit Limit
			count Count
		}{{key: accountKey(email), limit: t.Account}, {key: clientKey(client), limit: t.Client}} // always in this order: no deadlock
		for i := range keys {
			if _, err := tx.ExecContext(ctx, `INSERT INTO signin_throttle (key, failures, window_started) VALUES ($1, 0, $2)
				ON CONFLICT (key) DO NOTHING`, keys[i].key, now); err != nil {
				return fmt.Errorf("count sign-in attempt: %w", err)
			}
			if err := tx.GetContext(ctx, &keys[i].count, `SELECT failures, window_started, COALESCE(locked_until, 'epoch') AS locked_until
				FROM signin_throttle WHERE key = $1 FOR UPDATE`, keys[i].key); err != nil {
				return fmt.Errorf("count sign-in attempt: %w", err)
			}
			if c := keys[i].count; c.LockedAt(now) && c.LockedUntil.After(until) {
				until = c.LockedUntil
			}
		}
		if !until.IsZero() {
			return nil
		}
		for _, k := range keys {
			c := k.count
			if c.Failures == 0 {
				c.WindowStarted = time.Time{}
			}
			c = k.limit.Fail(c, now)
			if _, err := tx.ExecContext(ctx, `UPDATE signin_throttle SET failures = $2, window_started = $3, locked_until = $4
				WHERE key = $1`, k.key, c.Failures, c.WindowStarted, nullTime(c.LockedUntil)); err != nil {
				return fmt.Errorf("count sign-in attempt: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return time.Time{}, false, err
	}
	return until, !until.IsZero(), nil
}

// Succeeded takes back the attempt of a correct password: the account's failures are cleared,
// and the client's count loses this attempt (and the lock it may have brought on).
func (t *Throttle) Succeeded(ctx context.Context, email, client string) error {
	return store.InTx(ctx, t.DB, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM signin_throttle WHERE key = $1`, accountKey(email)); err != nil {
			return fmt.Errorf("clear sign-in failures: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE signin_throttle SET failures = greatest(failures - 1, 0),
			locked_until = CASE WHEN failures - 1 < $2 THEN NULL ELSE locked_until END WHERE key = $1`,
			clientKey(client), t.Client.Failures); err != nil {
			return fmt.Errorf("clear sign-in failures: %w", err)
		}
		return nil
	})
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
