package inbox

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/signpost/signpost/services/inbox/internal/auth"
	"github.com/signpost/signpost/shared/policy"
	"github.com/signpost/signpost/shared/store"
)

// Roles a person can have.
const (
	RoleAdministrator = auth.Administrator
	RoleManager       = auth.Manager
)

// Credential is a generated sign-in, shown once to whoever created it and never logged.
type Credential struct {
	Organisation string
	Email        string
	Password     string
}

// Errors the command line branches on.
var (
	ErrEmailTaken          = auth.ErrEmailTaken
	ErrUnknownOrganisation = errors.New("no policy has that organisation: check POLICY_DIR and the organisation's slug")
)

// AddOrganisation records an organisation that has a policy, so people can be added to it.
func AddOrganisation(ctx context.Context, db *sqlx.DB, policies *policy.Set, slug string) error {
	for _, p := range policies.Organisations() {
		if p.Organisation.Slug == slug {
			return auth.CreateOrganisation(ctx, db, slug, p.Organisation.Name)
		}
	}
	return ErrUnknownOrganisation
}

// AddUser adds a person to an organisation. The password must have at least 12 characters.
func AddUser(ctx context.Context, db *sqlx.DB, organisation, email, role, password string) error {
	return PasswordCost{}.AddUser(ctx, db, organisation, email, role, password)
}

// AddUser adds a person whose password is hashed at this cost.
func (c PasswordCost) AddUser(ctx context.Context, db *sqlx.DB, organisation, email, role, password string) error {
	_, err := auth.CreateUser(ctx, db, c.argon2id(), organisation, email, role, password)
	return err
}

// IssueAPIToken creates an API token acting for the person with the email, in their organisation.
// Only its hash is kept: the token is returned once.
func IssueAPIToken(ctx context.Context, db *sqlx.DB, email, label string) (string, error) {
	u, err := auth.FindUser(ctx, db, email)
	if err != nil {
		return "", err
	}
	return auth.CreateAPIToken(ctx, db, u, label)
}

// Bootstrap gives a newcomer a way in: it records every organisation that has a policy and, when
// nobody can sign in yet, creates one administrator per organisation with a generated password,
// returned once (print it; never log it). Run twice, or by two processes at once, it creates each
// administrator once: only the process whose insert succeeded returns that password.
func Bootstrap(ctx context.Context, db *sqlx.DB, policies *policy.Set) ([]Credential, error) {
	var created []Credential
	err := store.InTx(ctx, db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('signpost inbox bootstrap'))`); err != nil {
			return err
		}
		for _, p := range policies.Organisations() {
			if err := auth.CreateOrganisation(ctx, tx, p.Organisation.Slug, p.Organisation.Name); err != nil {
				return err
			}
		}
		var users int
		if err := tx.GetContext(ctx, &users, `SELECT count(*) FROM users`); err != nil {
			return fmt.Errorf("count users: %w", err)
		}
		if users > 0 {
			return nil
		}
		for _, p := range policies.Organisations() {
			c := Credential{Organisation: p.Organisation.Slug, Email: "admin@" + p.Organisation.Slug + ".example", Password: auth.NewPassword()}
			if _, err := auth.CreateUser(ctx, tx, auth.DefaultArgon2id, c.Organisation, c.Email, auth.Administrator, c.Password); err != nil {
				return fmt.Errorf("create the first administrator of %s: %w", c.Organisation, err)
			}
			created = append(created, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return created, nil
}

// GeneratePassword returns a new random password (20 characters).
func GeneratePassword() string { return auth.NewPassword() }
