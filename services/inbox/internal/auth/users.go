package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// The roles a person can have in their organisation.
const (
	Administrator = "administrator" // also reads the audit log
	Manager       = "manager"
)

// User is a person who signs in to one organisation's inbox.
type User struct {
	ID           uuid.UUID  `db:"id"`
	Organisation string     `db:"organisation"`
	Email        string     `db:"email"`
	Role         string     `db:"role"`
	PasswordHash string     `db:"password_hash"`
	DisabledAt   *time.Time `db:"disabled_at"`
}

// Errors a caller branches on.
var (
	ErrNoSuchUser         = errors.New("no account has that email address")
	ErrEmailTaken         = errors.New("an account already has that email address")
	ErrNoSuchOrganisation = errors.New("no such organisation: create it first")
	ErrBadEmail           = errors.New("that is not an email address")
	ErrBadRole            = errors.New("the role must be administrator or manager")
)

// NormaliseEmail checks an email address and returns it trimmed and in lower case.
func NormaliseEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 {
		return "", ErrBadEmail
	}
	return email, nil
}

// CreateOrganisation records an organisation (one that has a policy); doing it again changes nothing.
func CreateOrganisation(ctx context.Context, db sqlx.ExecerContext, slug, name string) error {
	_, err := db.ExecContext(ctx, `INSERT INTO organisations (slug, name) VALUES ($1, $2)
		ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name`, slug, name)
	if err != nil {
		return fmt.Errorf("record organisation %s: %w", slug, err)
	}
	return nil
}

// CreateUser adds a person to an organisation with a password (already checked by the caller).
func CreateUser(ctx context.Context, db sqlx.ExtContext, hasher Argon2id, organisation, email, role, password string) (User, error) {
	email, err := NormaliseEmail(email)
	if err != nil {
		return User{}, err
	}
	if role != Administrator && role != Manager {
		return User{}, ErrBadRole
	}
	if err := CheckNewPassword(password); err != nil {
		return User{}, err
	}
	hash, err := hasher.Hash(password)
	if err != nil {
		return User{}, err
	}
	u := User{ID: uuid.New(), Organisation: organisation, Email: email, Role: role, PasswordHash: hash}
	_, err = db.ExecContext(ctx, `INSERT INTO users (id, organisation, email, role, password_hash) VALUES ($1, $2, $3, $4, $5)`,
		u.ID, u.Organisation, u.Email, u.Role, u.PasswordHash)
	var pqErr *pq.Error
	switch {
	case errors.As(err, &pqErr) && pqErr.Code == "23505":
		return User{}, ErrEmailTaken
	case errors.As(err, &pqErr) && pqErr.Code == "23503":
		return User{}, ErrNoSuchOrganisation
	case err != nil:
		return User{}, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// FindUser returns the account with the email address.
func FindUser(ctx context.Context, db sqlx.QueryerContext, email string) (User, error) {
	var u User
	err := sqlx.GetContext(ctx, db, &u, `SELECT id, organisation, email, role, password_hash, disabled_at
		FROM users WHERE lower(email) = lower($1)`, strings.TrimSpace(email))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNoSuchUser
	} else if err != nil {
		return User{}, fmt.Errorf("find user: %w", err)
	}
	return u, nil
}

// Authenticate returns the account whose email and password these are. It takes as long for an
// unknown email as for a known one hashed at cost.
func Authenticate(ctx context.Context, db sqlx.QueryerContext, cost Argon2id, email, password string) (User, bool, error) {
	u, err := FindUser(ctx, db, email)
	if errors.Is(err, ErrNoSuchUser) {
		_, _ = VerifyPassword(cost.dummyHash(), password)
		return User{}, false, nil
	} else if err != nil {
		return User{}, false, err
	}
	ok, err := VerifyPassword(u.PasswordHash, password)
	if err != nil {
		return User{}, false, fmt.Errorf("user %s: %w", u.ID, err)
	}
	if !ok || u.DisabledAt != nil {
		return User{}, false, nil
	}
	return u, true, nil
}
