package fftcsv

import (
	"strings"
	"testing"
	"time"
)

func TestCardDate(t *testing.T) {
	bst := time.FixedZone("BST", 3600)
	now := time.Date(2025, 6, 15, 0, 30, 0, 0, bst) // still 14 June in UTC: now's own date counts
	good := map[string]string{
		"2025-06-15": "2025-06-15", "15/06/2025": "2025-06-15", "1/6/2025": "2025-06-01", "2025-6-1": "2025-06-01",
		"2024-06-15": "2024-06-15", "15/06/2024": "2024-06-15", "29/02/2025": "", "2024-02-29": "",
	}
	for typed, want := range good {
		got, problem := cardDate(typed, now)
		switch {
		case want == "" && problem == "":
			t.Errorf("cardDate(%q) = %v; want a problem", typed, got)
		case want != "" && (problem != "" || got.Format(time.DateOnly) != want || got.Location() != time.UTC || got.Hour() != 0):
			t.Errorf("cardDate(%q) = %v, %q; want %s", typed, got, problem, want)
		}
	}
	for typed, want := range map[string]string{
		"":                      "is required",
		"2025-06-16":            "after today (2025-06-15)",
		"16/06/2025":            "day/month/year",
		"2024-06-14":            "only cards dated 2024-06-15 or later",
		"31/02/2025":            "February 2025 has 28 days",
		"2025-04-31":            "April 2025 has 30 days",
		"06/13/2025":            "no month 13 (dates with / are day/month/year)",
		"2025-00-10":            "no month 0",
		"15/06/25":              "4 digits",
		"15.06.2025":            "is not a date",
		"yesterday":             "is not a date",
		"2025-06-01T10:00:00Z":  "is not a date",
		strings.Repeat("9", 50): "the 50-character value is not a date",
	} {
		if _, problem := cardDate(typed, now); !strings.Contains(problem, want) {
			t.Errorf("cardDate(%q) problem = %q; want it to say %q", typed, problem, want)
		}
	}
}
