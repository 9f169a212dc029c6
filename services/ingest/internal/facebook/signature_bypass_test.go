package facebook_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/signpost/signpost/services/ingest/internal/facebook"
)

// TestSignatureBypassAttemptsAreRefused tries what someone forging a delivery would: values that
// look like a signature without being the HMAC of these exact bytes with this app's secret.
func TestSignatureBypassAttemptsAreRefused(t *testing.T) {
	body := []byte(batch)
	valid := facebook.Sign(appSecret, body)
	digest := strings.TrimPrefix(valid, "sha256=")
	plain := sha256.Sum256(body)
	emptyKey := hmac.New(sha256.New, nil)
	emptyKey.Write(body)
	for name, header := range map[string]string{
		"empty value":                          "",
		"prefix only":                          "sha256=",
		"signature of a different body":        facebook.Sign(appSecret, []byte(`{"object":"page","entry":[]}`)),
		"signature of the body plus a newline": facebook.Sign(appSecret, append(append([]byte{}, body...), '\n')),
		"truncated to 16 bytes":                "sha256=" + digest[:32],
		"truncated by one digit":               valid[:len(valid)-1],
		"padded with zeros":                    valid + "0000",
		"plain SHA-256 of the body":            "sha256=" + hex.EncodeToString(plain[:]),
		"HMAC with an empty key":               "sha256=" + hex.EncodeToString(emptyKey.Sum(nil)),
		"all zeros":                            "sha256=" + strings.Repeat("0", 64),
		"prefix twice":                         "sha256=" + valid,
		"space before the digest":              "sha256= " + digest[1:],
		"two values":                           valid + ", " + valid,
		"hex of the secret":                    "sha256=" + hex.EncodeToString(appSecret)[:64],
		"unicode digits":                       "sha256=" + strings.Repeat("٠", 64),
	} {
		t.Run(name, func(t *testing.T) {
			err := facebook.VerifySignature(appSecret, body, header)
			if err == nil {
				t.Fatalf("accepted %q", header)
			}
			if !errors.Is(err, facebook.ErrBadSignature) && !errors.Is(err, facebook.ErrMissingSignature) {
				t.Errorf("error %v is neither a bad nor a missing signature", err)
			}
			if strings.Contains(err.Error(), digest) || strings.Contains(err.Error(), string(appSecret)) {
				t.Errorf("the error %q gives away the expected digest or the secret", err)
			}
		})
	}
	if err := facebook.VerifySignature(appSecret, body, "sha256="+strings.ToUpper(digest)); err != nil {
		t.Errorf("upper-case hex of the right digest is the same signature: %v", err)
	}
}
