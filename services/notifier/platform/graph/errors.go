package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/signpost/signpost/services/notifier/platform/apierr"
)

// Graph error codes and subcodes this package gives a meaning to.
const (
	// CodeUnknown (1) and CodeService (2) are temporary failures on Facebook's side.
	CodeUnknown = 1
	CodeService = 2
	// CodeTooManyCalls (4) is the application-level rate limit.
	CodeTooManyCalls = 4
	// CodePermission (10) is a permission error; with SubcodeOutsideWindow it is the closed
	// private-reply window.
	CodePermission = 10
	// CodeUserTooManyCalls (17) is the account-level rate limit.
	CodeUserTooManyCalls = 17
	// CodePageTooManyCalls (32) is the Page-level rate limit.
	CodePageTooManyCalls = 32
	// CodeInvalidParameter (100) is an invalid parameter; with SubcodeObjectNotFound the object
	// does not exist or cannot be reached with this token.
	CodeInvalidParameter = 100
	// CodeNoAccessToken (104) means the request carried no access token.
	CodeNoAccessToken = 104
	// CodeInvalidToken (190) is an invalid or expired access token.
	CodeInvalidToken = 190
	// CodeCustomRateLimit (613) is a custom-level rate limit ("Calls to this api have exceeded
	// the rate limit").
	CodeCustomRateLimit = 613
	// CodePagesBUCRateLimit (80001) and CodeMessengerBUCRateLimit (80006) are the business use
	// case rate limits that apply to calls made with Page access tokens.
	CodePagesBUCRateLimit     = 80001
	CodeMessengerBUCRateLimit = 80006
	// CodeAlreadyReplied (10900) is "Activity already replied to": a second private reply.
	CodeAlreadyReplied = 10900

	// SubcodeObjectNotFound (33) goes with CodeInvalidParameter for a missing object.
	SubcodeObjectNotFound = 33
	// SubcodeOutsideWindow (2018278) goes with CodePermission: "This message is sent outside of
	// allowed window".
	SubcodeOutsideWindow = 2018278
)

// Sentinel errors. An *APIError matches them with errors.Is according to its status and code.
var (
	// ErrRateLimited: HTTP 429 or a Graph rate-limit code (4, 17, 32, 613, 80001, 80006).
	// Retryable.
	ErrRateLimited = errors.New("graph: rate limited")
	// ErrInvalidToken: code 190, or HTTP 401; the Page access token is wrong, expired or revoked.
	ErrInvalidToken = errors.New("graph: invalid access token")
	// ErrAlreadyReplied: code 10900; the comment or post already has a private reply. Callers
	// treat this as "the message was already sent".
	ErrAlreadyReplied = errors.New("graph: already replied privately")
	// ErrReplyWindowClosed: code 10 subcode 2018278; the comment or post is older than 7 days.
	ErrReplyWindowClosed = errors.New("graph: private reply window closed")
	// ErrNotFound: code 100 subcode 33; the object does not exist (for example the comment was
	// deleted) or the token cannot see it.
	ErrNotFound = errors.New("graph: object does not exist")
)

// APIError is a failure answered by the Graph API: a non-2xx status, with Graph's error object
// when the body had one.
type APIError struct {
	Status     int           // HTTP status
	Code       int           // Graph error code, 0 if the body had none
	Subcode    int           // Graph error_subcode, 0 if none
	Type       string        // Graph error type, such as "OAuthException"
	Message    string        // Graph's message, shortened; never the text that was sent
	Transient  bool          // Graph's is_transient flag
	TraceID    string        // fbtrace_id, for Meta support
	RetryAfter time.Duration // from the Retry-After header; 0 if none
}

// Error describes the failure by status, code and Graph's message.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "graph: HTTP %d", e.Status)
	if e.Code != 0 {
		fmt.Fprintf(&b, " code %d", e.Code)
		if e.Subcode != 0 {
			fmt.Fprintf(&b, "/%d", e.Subcode)
		}
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.TraceID != "" {
		fmt.Fprintf(&b, " (fbtrace_id %s)", e.TraceID)
	}
	return b.String()
}

// Is matches the sentinel errors of this package.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrRateLimited:
		return e.rateLimited()
	case ErrInvalidToken:
		return e.Code == CodeInvalidToken || (e.Code == 0 && e.Status == http.StatusUnauthorized)
	case ErrAlreadyReplied:
		return e.Code == CodeAlreadyReplied
	case ErrReplyWindowClosed:
		return e.Code == CodePermission && e.Subcode == SubcodeOutsideWindow
	case ErrNotFound:
		return e.Code == CodeInvalidParameter && e.Subcode == SubcodeObjectNotFound
	}
	return false
}

func (e *APIError) rateLimited() bool {
	if e.Status == http.StatusTooManyRequests {
		return true
	}
	switch e.Code {
	case CodeTooManyCalls, CodeUserTooManyCalls, CodePageTooManyCalls, CodeCustomRateLimit,
		CodePagesBUCRateLimit, CodeMessengerBUCRateLimit:
		return true
	}
	return false
}

func (e *APIError) retryable() bool {
	switch {
	case e.Code == CodeAlreadyReplied, e.Code == CodeInvalidToken,
		e.Code == CodePermission && e.Subcode == SubcodeOutsideWindow:
		return false // settled answers, even if a proxy dressed them as 5xx
	case e.rateLimited(), e.Transient, e.Status >= 500:
		return true
	}
	return false
}

// Retryable reports whether trying the same call again later may succeed: a 5xx answer, HTTP 429,
// a Graph rate-limit code, an error Graph marks transient, or a network error or timeout. It is
// false for nil, for other 4xx answers (among them ErrAlreadyReplied, ErrReplyWindowClosed,
// ErrInvalidToken and ErrNotFound), for invalid arguments and for context cancellation.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if e, ok := errors.AsType[*APIError](err); ok {
		return e.retryable()
	}
	return apierr.Transient(err)
}

// RetryAfter is how long the API asked the caller to wait, from the Retry-After header of the
// answer (seconds or an HTTP date); 0 if it gave none or err is not an *APIError.
func RetryAfter(err error) time.Duration {
	if e, ok := errors.AsType[*APIError](err); ok {
		return e.RetryAfter
	}
	return 0
}
