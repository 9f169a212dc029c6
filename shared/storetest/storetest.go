// Package storetest gives each test its own, freshly migrated Postgres database on the server at
// DATABASE_URL, so packages and tests can run in parallel. `make test` makes sure a server answers.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/signpost/signpost/shared/store"
)

// DefaultURL is used when DATABASE_URL is unset: the machine's own Postgres.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// New creates an empty database with every migration applied, and drops it when the test ends.
// It returns the database and its URL (for code under test that opens its own connections).
func New(t testing.TB) (*sqlx.DB, string) {
	t.Helper()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		base = DefaultURL
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "signpost_test_" + hex.EncodeToString(b)
	dsn, err := store.WithDatabase(base, name)
	if err != nil {
		t.Fatalf("DATABASE_URL: %v", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := store.Open(ctx, dsn, 5*time.Second) // creates the database
	if err != nil {
		t.Fatalf("test database (is Postgres running? `make test` starts one): %v", err)
	}
	if err := store.Migrate(ctx, db); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	t.Cleanup(func() {
		db.Close()
		_ = store.DropDatabase(context.Background(), dsn, name)
	})
	return db, dsn
}
