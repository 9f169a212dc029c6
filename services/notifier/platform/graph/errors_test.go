package graph

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestSentinelsAndRetryable(t *testing.T) {
	cases := []struct {
		err       *APIError
		sentinel  error
		retryable bool
	}{
		{&APIError{Status: 400, Code: 4}, ErrRateLimited, true},
		{&APIError{Status: 400, Code: 17}, ErrRateLimited, true},
		{&APIError{Status: 400, Code: 32}, ErrRateLimited, true},
		{&APIError{Status: 400, Code: 613}, ErrRateLimited, true},
		{&APIError{Status: 429}, ErrRateLimited, true},
		{&APIError{Status: 400, Code: 190}, ErrInvalidToken, false},
		{&APIError{Status: 401}, ErrInvalidToken, false},
		{&APIError{Status: 400, Code: 10900}, ErrAlreadyReplied, false},
		{&APIError{Status: 500, Code: 10900}, ErrAlreadyReplied, false},
		{&APIError{Status: 400, Code: 10, Subcode: 2018278}, ErrReplyWindowClosed, false},
		{&APIError{Status: 400, Code: 100, Subcode: 33}, ErrNotFound, false},
		{&APIError{Status: 503}, nil, true},
		{&APIError{Status: 400, Code: 2, Transient: true}, nil, true},
		{&APIError{Status: 400, Code: 10}, nil, false},
		{&APIError{Status: 403, Code: 200}, nil, false},
	}
	all := []error{ErrRateLimited, ErrInvalidToken, ErrAlreadyReplied, ErrReplyWindowClosed, ErrNotFound}
	for _, tc := range cases {
		wrapped := fmt.Errorf("sending: %w", tc.err)
		for _, s := range all {
			if got := errors.Is(wrapped, s); got != (s == tc.sentinel) {
				t.Errorf("%v: errors.Is(%v) = %v", tc.err, s, got)
			}
		}
		if got := Retryable(wrapped); got != tc.retryable {
			t.Errorf("%v: Retryable = %v, want %v", tc.err, got, tc.retryable)
		}
	}
	if Retryable(nil) || Retryable(errors.New("plain")) || Retryable(context.Canceled) {
		t.Error("nil, plain or cancelled error is retryable")
	}
	if !Retryable(fmt.Errorf("x: %w", context.DeadlineExceeded)) {
		t.Error("deadline exceeded is not retryable")
	}
	if RetryAfter(errors.New("plain")) != 0 || RetryAfter(nil) != 0 {
		t.Error("RetryAfter of a non-API error is not 0")
	}
}

func TestErrorText(t *testing.T) {
	e := &APIError{Status: 400, Code: 10, Subcode: 2018278, Message: "(#10) outside window", TraceID: "Abc"}
	if s := e.Error(); s != "graph: HTTP 400 code 10/2018278: (#10) outside window (fbtrace_id Abc)" {
		t.Errorf("Error() = %q", s)
	}
}
