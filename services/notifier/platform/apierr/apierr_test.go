package apierr

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"": 0, "3": 3 * time.Second, " 120 ": 2 * time.Minute, "0": 0, "-5": 0, "soon": 0,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
	} {
		if got := ParseRetryAfter(in, now); got != want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestCleanMessageTakesOutWhatWasSent(t *testing.T) {
	got := CleanMessage("bad text: Dear Mrs Smith\nline two", "Dear Mrs Smith", "ab")
	if strings.Contains(got, "Smith") || strings.Contains(got, "\n") {
		t.Errorf("CleanMessage = %q", got)
	}
	long := CleanMessage(strings.Repeat("é", 400))
	if len(long) > 304 || !strings.HasSuffix(long, "…") || !strings.HasPrefix(long, "é") {
		t.Errorf("long message cut badly: %d bytes", len(long))
	}
}

func TestTransient(t *testing.T) {
	if !Transient(fmt.Errorf("x: %w", context.DeadlineExceeded)) || !Transient(fmt.Errorf("read: %w", ErrTransport)) {
		t.Error("timeouts and cut connections are transient")
	}
	if Transient(nil) || Transient(context.Canceled) || Transient(errors.New("plain")) {
		t.Error("nil, cancelled and plain errors are not transient")
	}
}
