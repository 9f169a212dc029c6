package notify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/signpost/signpost/services/notifier/platform/apierr"
)

// Notify's error types, the "error" field of each entry in an error answer.
const (
	TypeAuthError            = "AuthError"
	TypeBadRequestError      = "BadRequestError"
	TypeValidationError      = "ValidationError"
	TypeRateLimitError       = "RateLimitError"
	TypeTooManyRequestsError = "TooManyRequestsError"
	TypeException            = "Exception"
)

// Sentinel errors. An *APIError matches them with errors.Is according to its status and type.
var (
	// ErrAuth: 401 or 403, an AuthError: a wrong key, a bad signature or a clock more than 30
	// seconds out. Not retryable.
	ErrAuth = errors.New("notify: not authorised")
	// ErrBadRequest: 400, a BadRequestError or ValidationError: the request itself is wrong (an
	// unknown template, missing personalisation, an invalid address). Not retryable.
	ErrBadRequest = errors.New("notify: bad request")
	// ErrRateLimited: 429, a RateLimitError (per minute) or TooManyRequestsError (daily limit).
	// Retryable.
	ErrRateLimited = errors.New("notify: rate limited")
)

// APIError is a failure answered by Notify: a non-2xx status, with the first entry of Notify's
// errors list when the body had one.
type APIError struct {
	Status     int           // HTTP status
	Code       string        // the error type, such as "BadRequestError"; empty if the body had none
	Message    string        // Notify's messages, shortened and joined; never the address or personalisation
	RetryAfter time.Duration // from the Retry-After header; 0 if none
}

// Error describes the failure by status, type and Notify's message.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "notify: HTTP %d", e.Status)
	if e.Code != "" {
		b.WriteString(" ")
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

// Is matches the sentinel errors of this package.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrAuth:
		return e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden || e.Code == TypeAuthError
	case ErrBadRequest:
		return e.Status == http.StatusBadRequest
	case ErrRateLimited:
		return e.Status == http.StatusTooManyRequests
	}
	return false
}

// Retryable reports whether trying the same call again later may succeed: a 5xx answer, HTTP 429,
// or a network error or timeout. It is false for nil, for other 4xx answers (ErrAuth,
// ErrBadRequest), for ErrInvalidAPIKey and for context cancellation.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if e, ok := errors.AsType[*APIError](err); ok {
		return e.Status >= 500 || e.Status == http.StatusTooManyRequests
	}
	return apierr.Transient(err)
}

// RetryAfter is how long Notify asked the caller to wait, from the Retry-After header of the
// answer (seconds or an HTTP date); 0 if it gave none or err is not an *APIError.
func RetryAfter(err error) time.Duration {
	if e, ok := errors.AsType[*APIError](err); ok {
		return e.RetryAfter
	}
	return 0
}
