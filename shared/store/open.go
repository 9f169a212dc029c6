// Package store opens the Postgres database (sqlx over lib/pq), creates it where it is missing,
// and applies the migrations embedded from schemas/migrations.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Open connects to the database at dsn (a postgres:// URL), creating the database first when the
// server answers but the database does not exist yet, and waits up to wait for the server.
func Open(ctx context.Context, dsn string, wait time.Duration) (*sqlx.DB, error) {
	return OpenWithPool(ctx, dsn, wait, 16)
}

// OpenWithPool is Open with at most conns connections.
func OpenWithPool(ctx context.Context, dsn string, wait time.Duration, conns int) (*sqlx.DB, error) {
	db, err := sqlx.Open("postgres", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(5 * time.Minute)

	deadline := time.Now().Add(wait)
	for {
		err = db.PingContext(ctx)
		var pqErr *pq.Error
		if errors.As(err, &pqErr) && pqErr.Code == "3D000" { // invalid_catalog_name: no such database
			if cerr := createDatabase(ctx, dsn); cerr != nil {
				db.Close()
				return nil, cerr
			}
			continue
		}
		if err == nil || time.Now().After(deadline) || ctx.Err() != nil {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("database at %s does not answer: %w", Redact(dsn), err)
	}
	return db, nil
}

func createDatabase(ctx context.Context, dsn string) error {
	name, err := DatabaseName(dsn)
	if err != nil {
		return err
	}
	err = adminExec(ctx, dsn, "CREATE DATABASE "+pq.QuoteIdentifier(name))
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "42P04" { // duplicate_database: created meanwhile
		err = nil
	}
	if err != nil {
		return fmt.Errorf("create database %q: %w", name, err)
	}
	return nil
}

// Redact hides the password of a database URL for messages.
func Redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil {
		return u.Redacted()
	}
	return "(unparseable URL)"
}
