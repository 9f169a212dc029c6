package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// NewToken returns 32 random bytes, URL-safe base64 encoded, after prefix.
func NewToken(prefix string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is what is stored of a session or API token: its SHA-256. Tokens are random and long,
// so a plain hash cannot be reversed, and a stolen table signs nobody in.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// CSRFToken is the hidden form field that proves a form was served to the holder of the session:
// an HMAC keyed by the session token, which only that browser has (the cookie is HttpOnly).
func CSRFToken(sessionToken string) string {
	m := hmac.New(sha256.New, []byte(sessionToken))
	m.Write([]byte("signpost inbox csrf"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CSRFValid reports whether given is the session's CSRF token, in constant time.
func CSRFValid(sessionToken, given string) bool {
	return given != "" && hmac.Equal([]byte(CSRFToken(sessionToken)), []byte(given))
}

// NewPassword returns a generated password of 20 URL-safe characters (120 bits).
func NewPassword() string {
	b := make([]byte, 15)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
