// Package notify is a small client for GOV.UK Notify's REST API, for the one call the notifier
// makes: sending an email from a template (POST /v2/notifications/email). Fake is a local
// stand-in for the API, for tests.
//
// # Authentication
//
// A Notify API key has the form {key_name}-{service_id}-{secret_key}, the last two being UUIDs.
// Each request carries "Authorization: Bearer <JWT>", a JSON Web Token signed with HS256 using
// the secret key, whose claims are {"iss": service_id, "iat": now in Unix seconds}. Notify refuses
// a token whose iat is more than 30 seconds from its own clock. This package signs the token
// itself with crypto/hmac; the API key is passed to each call and never appears in an error.
//
// # Errors
//
// Notify answers failures as {"status_code": N, "errors": [{"error": "…", "message": "…"}]}.
// They become *APIError values, which errors.Is matches against ErrAuth (401/403 AuthError),
// ErrBadRequest (400 BadRequestError or ValidationError) and ErrRateLimited (429 RateLimitError or
// TooManyRequestsError). Retryable and RetryAfter tell a caller whether and when to try again.
// Errors never contain the recipient's address or the personalisation values, even should Notify
// echo them.
package notify
