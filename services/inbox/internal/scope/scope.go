// Package scope runs a request's queries as the organisation it belongs to: in one transaction
// under the signpost_inbox role, which row-level security confines to the organisation set in
// signpost.organisation. Queries still name the organisation themselves; this is the second wall.
package scope

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/signpost/signpost/shared/store"
)

// Role is the database role every inbox request runs under.
const Role = "signpost_inbox"

// InOrganisation runs fn in a transaction confined to the organisation.
func InOrganisation(ctx context.Context, db *sqlx.DB, organisation string, fn func(*sqlx.Tx) error) error {
	if organisation == "" {
		return errors.New("no organisation to scope the request to")
	}
	return store.InTx(ctx, db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `SET LOCAL ROLE `+Role); err != nil {
			return fmt.Errorf("take the inbox role: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `SELECT set_config('signpost.organisation', $1, true)`, organisation); err != nil {
			return fmt.Errorf("scope to the organisation: %w", err)
		}
		return fn(tx)
	})
}
