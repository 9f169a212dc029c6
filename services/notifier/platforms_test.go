package notifier

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/signpost/signpost/services/notifier/internal/delivery"
	"github.com/signpost/signpost/services/notifier/platform/notify"
)

func TestAnEmailIsRetriedOnlyWhenItSurelyDidNotGoOut(t *testing.T) {
	var retry *delivery.RetryLater
	for name, c := range map[string]struct {
		err   error
		retry bool
	}{
		"Notify said 429":           {&notify.APIError{Status: 429}, true},
		"Notify said 500":           {&notify.APIError{Status: 500}, true},
		"never connected":           {fmt.Errorf("post: %w", &net.OpError{Op: "dial", Err: errors.New("refused")}), true},
		"timed out after sending":   {fmt.Errorf("post: %w", context.DeadlineExceeded), false},
		"connection cut mid-answer": {fmt.Errorf("read: %w", &net.OpError{Op: "read", Err: errors.New("reset")}), false},
		"Notify refused the email":  {&notify.APIError{Status: 400}, false},
	} {
		got := emailOutcome(c.err, "ref-1")
		if errors.As(got, &retry) != c.retry {
			t.Errorf("%s: retried = %v, want %v", name, !c.retry, c.retry)
		}
		if !c.retry && c.err != nil && errors.Is(c.err, context.DeadlineExceeded) && !strings.Contains(got.Error(), "ref-1") {
			t.Errorf("%s: the reason must name the reference to check: %v", name, got)
		}
	}
}
