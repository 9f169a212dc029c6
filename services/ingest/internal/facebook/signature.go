package facebook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// SignatureHeader is the request header that carries the body's signature.
const SignatureHeader = "X-Hub-Signature-256"

const signaturePrefix = "sha256="

var (
	// ErrMissingSignature means the request had no X-Hub-Signature-256 value.
	ErrMissingSignature = errors.New("facebook: missing " + SignatureHeader + " header")
	// ErrBadSignature means the header was present but does not prove the body came from
	// Facebook: wrong scheme, not hex, wrong length, or not the HMAC of the body. The wrapping
	// error says which; it never contains the body or the expected value.
	ErrBadSignature = errors.New("facebook: bad " + SignatureHeader + " signature")
	// ErrNoAppSecret means VerifySignature was given an empty app secret: a configuration
	// fault, not the sender's.
	ErrNoAppSecret = errors.New("facebook: no app secret configured")
)

// VerifySignature checks that header, the value of the X-Hub-Signature-256 header, is
// "sha256=" followed by the hex HMAC-SHA256 of body keyed with appSecret. Call it on the raw
// request bytes before parsing them. The hex digits may be lower or upper case (Facebook sends
// lower case; the digest bytes are what is compared, in constant time). The old sha1 header
// (X-Hub-Signature, "sha1=...") is not accepted.
func VerifySignature(appSecret []byte, body []byte, header string) error {
	if len(appSecret) == 0 {
		return ErrNoAppSecret
	}
	if header == "" {
		return ErrMissingSignature
	}
	hexSum, ok := strings.CutPrefix(header, signaturePrefix)
	if !ok {
		scheme, _, found := strings.Cut(header, "=")
		if !found || len(scheme) > 16 {
			return fmt.Errorf("%w: value does not start with %q", ErrBadSignature, signaturePrefix)
		}
		return fmt.Errorf("%w: scheme %q, want %q", ErrBadSignature, scheme, signaturePrefix)
	}
	if len(hexSum) != 2*sha256.Size {
		return fmt.Errorf("%w: %d hex digits after %q, want %d", ErrBadSignature, len(hexSum), signaturePrefix, 2*sha256.Size)
	}
	got, err := hex.DecodeString(hexSum)
	if err != nil {
		return fmt.Errorf("%w: digest is not hex", ErrBadSignature)
	}
	if !hmac.Equal(got, mac(appSecret, body)) {
		return fmt.Errorf("%w: digest does not match the body", ErrBadSignature)
	}
	return nil
}

// Sign returns the X-Hub-Signature-256 header value Facebook would send for body:
// "sha256=" and the lower-case hex HMAC-SHA256 of body keyed with appSecret. It is for tests and
// fakes that play Facebook; the intake itself only verifies.
func Sign(appSecret, body []byte) string {
	return signaturePrefix + hex.EncodeToString(mac(appSecret, body))
}

func mac(key, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(body)
	return h.Sum(nil)
}
