// Package graph is a small client for the parts of the Meta Graph API that the notifier uses on a
// practice's Facebook Page: a Messenger private reply to the author of a comment or visitor post,
// and hiding a comment. Fake is a local stand-in for the API, for tests.
//
// # Authentication
//
// Every call takes the Page access token and sends it in an "Authorization: Bearer" header, never
// in the URL, so that the token cannot leak into logs or into the *url.Error of a failed request.
// (The Graph API also accepts the token as an access_token query or form parameter; Fake accepts
// all three.)
//
// # The private-reply rules
//
// Facebook allows one private reply per comment or post, sent within 7 days of it being written
// (https://developers.facebook.com/docs/messenger-platform/discovery/private-replies). The errors
// this package recognises for those rules are:
//
//   - code 10900, "(#10900) Activity already replied to": ErrAlreadyReplied. Not retryable. Callers
//     treat it as "the message was already sent", which also makes retrying a private reply after
//     a timeout safe: the retry either delivers the message or reports it delivered.
//   - code 10, error_subcode 2018278, "(#10) This message is sent outside of allowed window.":
//     ErrReplyWindowClosed. Not retryable.
//
// # Errors
//
// Failures from the API are *APIError values carrying the HTTP status and Graph's error code,
// subcode, type, message and fbtrace_id; errors.Is matches them against the sentinel errors
// (ErrRateLimited, ErrInvalidToken, ErrAlreadyReplied, ErrReplyWindowClosed, ErrNotFound).
// Retryable and RetryAfter tell a caller whether and when to try again. Errors never contain the
// text of a message or the access token.
package graph
