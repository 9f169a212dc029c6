package store

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"strings"

	"github.com/lib/pq"
)

// errUnparsable never repeats the URL: it may hold a password.
var errUnparsable = errors.New("the database URL cannot be parsed")

// WithDatabase returns the URL dsn with its database name replaced by name.
func WithDatabase(dsn, name string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", errUnparsable
	}
	u.Path = "/" + name
	return u.String(), nil
}

// DatabaseName is the database a URL names.
func DatabaseName(dsn string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", errUnparsable
	}
	return strings.TrimPrefix(u.Path, "/"), nil
}

// adminExec runs one statement on the server's "postgres" database (to create or drop another).
func adminExec(ctx context.Context, dsn, statement string) error {
	adminURL, err := WithDatabase(dsn, "postgres")
	if err != nil {
		return err
	}
	admin, err := sql.Open("postgres", adminURL)
	if err != nil {
		return err
	}
	defer admin.Close()
	_, err = admin.ExecContext(ctx, statement)
	return err
}

// DropDatabase drops the database name on the server of dsn, disconnecting its sessions.
func DropDatabase(ctx context.Context, dsn, name string) error {
	return adminExec(ctx, dsn, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(name)+" WITH (FORCE)")
}
