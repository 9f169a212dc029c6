package google

import (
	"testing"
	"time"
)

func TestReviewRevisionAndLocation(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	cases := []struct {
		r        Review
		revision string
	}{
		{Review{Name: testReview, CreatedAt: created, UpdatedAt: updated}, "2026-03-01T08:00:00Z"},
		{Review{Name: testReview, CreatedAt: created}, "2026-02-27T18:04:05.123456Z"},
		{Review{Name: testReview, UpdatedAt: time.Date(2026, 3, 1, 9, 0, 0, 1, paris)}, "2026-03-01T08:00:00.000000001Z"},
		{Review{Name: testReview}, ""},
	}
	for _, c := range cases {
		if got := c.r.Revision(); got != c.revision {
			t.Errorf("Revision() = %q, want %q", got, c.revision)
		}
	}
	if got := (Review{Name: "not a name"}).Location(); got != "" {
		t.Errorf("Location() of a bad name = %q", got)
	}
	if got := (Review{Name: testReview}).Location(); got != testLocation {
		t.Errorf("Location() = %q", got)
	}
}
