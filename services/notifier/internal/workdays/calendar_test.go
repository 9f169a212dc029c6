package workdays_test

import (
	"testing"
	"time"

	"github.com/signpost/signpost/services/notifier/internal/workdays"
)

func TestAcknowledgementDueInThreeWorkingDays(t *testing.T) {
	cal, err := workdays.EnglandAndWales()
	if err != nil {
		t.Fatal(err)
	}
	for received, due := range map[string]string{
		"2026-11-16T10:00:00Z": "2026-11-19", // Monday -> Thursday
		"2026-11-20T10:00:00Z": "2026-11-25", // Friday -> Wednesday
		"2026-11-21T10:00:00Z": "2026-11-25", // Saturday -> Wednesday
		"2026-12-23T10:00:00Z": "2026-12-30", // Christmas and the Boxing Day substitute skipped
		"2026-04-02T10:00:00Z": "2026-04-09", // Good Friday and Easter Monday skipped
		"2026-08-27T23:30:00Z": "2026-09-03", // 23:30 UTC is already Friday in London (BST); bank holiday Monday skipped
	} {
		at, _ := time.Parse(time.RFC3339, received)
		got, err := cal.AddWorkingDays(at, 3)
		if err != nil {
			t.Fatal(err)
		}
		if got.Format(time.DateOnly) != due {
			t.Errorf("received %s: due %s, want %s", received, got.Format(time.DateOnly), due)
		}
	}
	if _, err := cal.AddWorkingDays(time.Date(2028, 12, 29, 12, 0, 0, 0, time.UTC), 3); err == nil {
		t.Error("a due date past the end of the bank holiday list must fail, not guess")
	}
}
