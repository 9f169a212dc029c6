package google

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// Errors of Client. An *APIError for a 404 matches ErrNotFound, and one for a 401 or 403 matches
// ErrUnauthorized (errors.Is), so callers can test for those and still read the details.
var (
	// ErrNotFound: the API answered 404, the review does not exist (or was deleted).
	ErrNotFound = errors.New("google: review not found")
	// ErrUnauthorized: the API answered 401 or 403, the access token is refused or lacks access.
	ErrUnauthorized = errors.New("google: access token refused")
	// ErrInvalidName: the name is not a review resource name; nothing was sent.
	ErrInvalidName = errors.New("google: not a review resource name (accounts/{id}/locations/{id}/reviews/{id})")
	// ErrNoAccessToken: the access token is empty; nothing was sent.
	ErrNoAccessToken = errors.New("google: no access token")
	// ErrReplyTooLong: a reply is over MaxReplyBytes; nothing was sent.
	ErrReplyTooLong = errors.New("google: reply too long")
	// ErrInvalidReply: a reply is blank or not valid UTF-8; nothing was sent.
	ErrInvalidReply = errors.New("google: reply must be non-blank UTF-8 text")
	// ErrBadResponse: a successful answer could not be read (malformed, too large, inconsistent).
	ErrBadResponse = errors.New("google: malformed response")
)

// APIError is an HTTP error answer of the API.
type APIError struct {
	// Status is the HTTP status code.
	Status int
	// Code is the error status from the body, e.g. NOT_FOUND, PERMISSION_DENIED; "" if the body
	// did not have the documented {"error": {...}} shape.
	Code string
	// Message is the API's message, at most 200 bytes, or the HTTP status text.
	Message string
}

// Error describes the answer.
func (e *APIError) Error() string {
	code := e.Code
	if code == "" {
		code = http.StatusText(e.Status)
	}
	return fmt.Sprintf("google: API answered %d %s: %s", e.Status, code, e.Message)
}

// Is makes a 404 match ErrNotFound and a 401 or 403 match ErrUnauthorized.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden
	}
	return false
}

// Retryable reports whether the same request may succeed later: 5xx, 429 and 408.
func (e *APIError) Retryable() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests || e.Status == http.StatusRequestTimeout
}

// transportError is a failure to get an answer at all: connection, timeout, truncated body.
type transportError struct{ err error }

func (e *transportError) Error() string { return "google: request failed: " + e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// Retryable reports whether an error of Client is worth retrying: a 5xx, 429 or 408 answer, or a
// network failure (including a timeout). A cancelled context, 4xx answers, malformed answers and
// requests refused before sending are not.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Retryable()
	}
	var te *transportError
	return errors.As(err, &te)
}
