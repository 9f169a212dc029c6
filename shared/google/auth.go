package google

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// Authenticate reports whether a push request carries the configured shared secret, either as the
// query parameter ?token=... (what a Pub/Sub push endpoint URL can hold; keep it out of access
// logs) or as an "Authorization: Bearer ..." header. Either one matching is enough. Comparison is
// constant-time, over SHA-256 digests so that the token's length does not leak either. An empty
// configured token authenticates nothing.
func Authenticate(r *http.Request, token string) bool {
	if r == nil || token == "" {
		return false
	}
	want := sha256.Sum256([]byte(token))
	matches := func(got string) bool {
		sum := sha256.Sum256([]byte(got))
		return got != "" && subtle.ConstantTimeCompare(want[:], sum[:]) == 1
	}
	ok := false
	if got, found := bearerToken(r.Header.Get("Authorization")); found && matches(got) {
		ok = true
	}
	if r.URL != nil && matches(r.URL.Query().Get("token")) {
		ok = true
	}
	return ok
}

// bearerToken returns the credentials of an Authorization header value using the Bearer scheme
// (scheme name case-insensitive, RFC 7235).
func bearerToken(header string) (string, bool) {
	scheme, cred, found := strings.Cut(header, " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	cred = strings.TrimSpace(cred)
	return cred, cred != ""
}
