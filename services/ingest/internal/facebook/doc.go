// Package facebook is the intake of a Facebook Page webhook subscribed to the Page's "feed"
// field: the GET verification handshake, the X-Hub-Signature-256 check on each POST, and the
// parsing of a signed body into the changes that can hold what patients say (comments, visitor
// posts, recommendations). It does no I/O of its own beyond the handshake handler.
//
// A POST handler reads the raw body (with a size limit), calls VerifySignature on those exact
// bytes, and only then calls Parse. Errors from both never contain the body.
package facebook
