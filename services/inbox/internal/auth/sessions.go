package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// Principal is who a request acts for, and in which organisation.
type Principal struct {
	UserID       uuid.UUID `db:"user_id"`
	Organisation string    `db:"organisation"`
	Email        string    `db:"email"`
	Role         string    `db:"role"`
	// Token is the session token (pages) or API token the request carried.
	Token string `db:"-"`
	Via   string `db:"-"` // page or api
}

// Administrator reports whether the person administers their organisation.
func (p Principal) Administrator() bool { return p.Role == Administrator }

// ErrSignedOut means the token names no live session or API token.
var ErrSignedOut = errors.New("not signed in, or the session has ended")

// Sessions are browser sign-ins: a random token in the cookie, its hash in Postgres. A session
// ends when the person signs out, after Idle without a request, or at Max after it began.
type Sessions struct {
	DB   *sqlx.DB
	Idle time.Duration
	Max  time.Duration
	Now  func() time.Time
}

// Start signs the user in and returns the session token for the cookie.
func (s *Sessions) Start(ctx context.Context, u User, client string) (string, error) {
	token, now := NewToken(""), s.Now()
	if _, err := s.DB.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, organisation, created_at, last_seen_at,
		idle_until, expires_at, client) VALUES ($1, $2, $3, $4, $4, $5, $6, $7)`,
		HashToken(token), u.ID, u.Organisation, now, now.Add(s.Idle), now.Add(s.Max), client); err != nil {
		return "", fmt.Errorf("start session: %w", err)
	}
	return token, nil
}

// Touch returns the session's person and restarts its idle timer.
func (s *Sessions) Touch(ctx context.Context, token string) (Principal, error) {
	now := s.Now()
	return s.find(ctx, token, `
		WITH live AS (
			UPDATE sessions SET last_seen_at = $2, idle_until = $3
			WHERE token_hash = $1 AND ended_at IS NULL AND idle_until > $2 AND expires_at > $2
			RETURNING user_id, organisation)
		SELECT l.user_id, l.organisation, u.email, u.role FROM live l JOIN users u ON u.id = l.user_id
		WHERE u.disabled_at IS NULL AND u.organisation = l.organisation`, HashToken(token), now, now.Add(s.Idle))
}

// Peek returns the session's person without counting the request as activity (live updates
// arrive on their own and must not keep an unattended session open).
func (s *Sessions) Peek(ctx context.Context, token string) (Principal, error) {
	return s.find(ctx, token, `
		SELECT s.user_id, s.organisation, u.email, u.role FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.ended_at IS NULL AND s.idle_until > $2 AND s.expires_at > $2
		  AND u.disabled_at IS NULL AND u.organisation = s.organisation`, HashToken(token), s.Now())
}

func (s *Sessions) find(ctx context.Context, token, query string, args ...any) (Principal, error) {
	var p Principal
	if token == "" {
		return p, ErrSignedOut
	}
	err := s.DB.GetContext(ctx, &p, query, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrSignedOut
	} else if err != nil {
		return p, fmt.Errorf("read session: %w", err)
	}
	p.Token, p.Via = token, "page"
	return p, nil
}

// End signs the session out on the server: its token stops working at once, wherever it is kept.
func (s *Sessions) End(ctx context.Context, token string) error {
	if _, err := s.DB.ExecContext(ctx, `UPDATE sessions SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL`,
		HashToken(token), s.Now()); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// APITokenPrefix starts every API token, so a leaked one is easy to recognise.
const APITokenPrefix = "spi_"

// CreateAPIToken issues an API token for the user; only its hash is kept, so it is shown once.
func CreateAPIToken(ctx context.Context, db sqlx.ExecerContext, u User, label string) (string, error) {
	token := NewToken(APITokenPrefix)
	if _, err := db.ExecContext(ctx, `INSERT INTO api_tokens (token_hash, id, user_id, organisation, label) VALUES ($1, $2, $3, $4, $5)`,
		HashToken(token), uuid.New(), u.ID, u.Organisation, label); err != nil {
		return "", fmt.Errorf("create API token: %w", err)
	}
	return token, nil
}

// APIPrincipal returns the person an API token acts for.
func APIPrincipal(ctx context.Context, db *sqlx.DB, token string, now time.Time) (Principal, error) {
	var p Principal
	if token == "" {
		return p, ErrSignedOut
	}
	err := db.GetContext(ctx, &p, `
		WITH used AS (
			UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL
			RETURNING user_id, organisation)
		SELECT t.user_id, t.organisation, u.email, u.role FROM used t JOIN users u ON u.id = t.user_id
		WHERE u.disabled_at IS NULL AND u.organisation = t.organisation`, HashToken(token), now)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrSignedOut
	} else if err != nil {
		return p, fmt.Errorf("read API token: %w", err)
	}
	p.Token, p.Via = token, "api"
	return p, nil
}
