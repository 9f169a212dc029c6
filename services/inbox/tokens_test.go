package inbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/signpost/signpost/services/inbox"
)

func issueToken(e *env, email string) (string, error) {
	return inbox.IssueAPIToken(context.Background(), e.db, email, "test")
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
