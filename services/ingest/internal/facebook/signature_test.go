package facebook_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/signpost/signpost/services/ingest/internal/facebook"
)

var appSecret = []byte("0123456789abcdef0123456789abcdef")

func TestVerifySignature(t *testing.T) {
	body := []byte(batch)
	valid := facebook.Sign(appSecret, body)

	flipped := []byte(batch)
	flipped[len(flipped)/2] ^= 0x01

	sha1mac := hmac.New(sha1.New, appSecret)
	sha1mac.Write(body)
	sha1Header := "sha1=" + hex.EncodeToString(sha1mac.Sum(nil))

	upper := "sha256=" + strings.ToUpper(strings.TrimPrefix(valid, "sha256="))

	tests := []struct {
		name   string
		secret []byte
		body   []byte
		header string
		want   error // nil: accepted
		wantIn string
	}{
		{"valid", appSecret, body, valid, nil, ""},
		{"upper-case hex is accepted", appSecret, body, upper, nil, ""},
		{"one flipped byte in the body", appSecret, flipped, valid, facebook.ErrBadSignature, "does not match"},
		{"other secret", []byte("another secret"), body, valid, facebook.ErrBadSignature, "does not match"},
		{"missing header", appSecret, body, "", facebook.ErrMissingSignature, ""},
		{"sha1 header only", appSecret, body, sha1Header, facebook.ErrBadSignature, `scheme "sha1"`},
		{"bare hex", appSecret, body, strings.TrimPrefix(valid, "sha256="), facebook.ErrBadSignature, "does not start with"},
		{"upper-case prefix", appSecret, body, "SHA256=" + strings.TrimPrefix(valid, "sha256="), facebook.ErrBadSignature, "SHA256"},
		{"not hex", appSecret, body, "sha256=" + strings.Repeat("zz", 32), facebook.ErrBadSignature, "not hex"},
		{"short", appSecret, body, valid[:len(valid)-2], facebook.ErrBadSignature, "62 hex digits"},
		{"long", appSecret, body, valid + "00", facebook.ErrBadSignature, "66 hex digits"},
		{"empty digest", appSecret, body, "sha256=", facebook.ErrBadSignature, "0 hex digits"},
		{"no secret configured", nil, body, valid, facebook.ErrNoAppSecret, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := facebook.VerifySignature(tt.secret, tt.body, tt.header)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("error %q does not say %q", err, tt.wantIn)
			}
			if strings.Contains(err.Error(), "Ren") || strings.Contains(err.Error(), strings.TrimPrefix(valid, "sha256=")) {
				t.Errorf("error %q echoes the body or the expected digest", err)
			}
		})
	}
}

func TestSignIsLowerHex(t *testing.T) {
	s := facebook.Sign(appSecret, []byte("{}"))
	if !strings.HasPrefix(s, "sha256=") || len(s) != len("sha256=")+64 || s != strings.ToLower(s) {
		t.Errorf("Sign gave %q", s)
	}
}
