package notify

import (
	"errors"
	"strings"
	"testing"
)

// The example key of Notify's REST API documentation.
const (
	docKey       = "my_test_key-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"
	docServiceID = "26785a09-ab16-4eb0-8407-a37497a57506"
	docSecret    = "3d844edf-8d35-48ac-975b-e847b4f122b0"
)

func TestParseAPIKey(t *testing.T) {
	good := map[string]string{
		docKey:                             docServiceID,
		"  " + docKey + "\n":               docServiceID,
		"a-" + docKey[12:]:                 docServiceID,
		"name-with-hyphens-" + docKey[12:]: docServiceID,
	}
	for key, wantService := range good {
		service, secret, err := ParseAPIKey(key)
		if err != nil || service != wantService || secret != docSecret {
			t.Errorf("ParseAPIKey(%q) = %q, %q, %v", key, service, secret, err)
		}
	}
	bad := []string{
		"",
		"my_test_key",
		docKey[12:],                  // no name
		"-" + docKey[12:],            // empty name
		"my_test_key_" + docKey[12:], // no separator before the service ID
		strings.Replace(docKey, "-3d84", "_3d84", 1), // no separator before the secret
		docKey[:len(docKey)-1],                       // secret too short
		docKey[:len(docKey)-1] + "g",                 // secret not hex
		strings.Replace(docKey, "26785a09-ab16", "26785a09xab16", 1),
	}
	for _, key := range bad {
		_, _, err := ParseAPIKey(key)
		if !errors.Is(err, ErrInvalidAPIKey) {
			t.Errorf("ParseAPIKey(%q): err = %v, want ErrInvalidAPIKey", key, err)
		}
		if key != "" && strings.Contains(err.Error(), key) {
			t.Errorf("error contains the key: %v", err)
		}
	}
}

// TestSignTokenKnownAnswer checks the JWT against one made independently (Python's hmac module)
// from the example claims of Notify's documentation.
func TestSignTokenKnownAnswer(t *testing.T) {
	const want = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9." +
		"eyJpc3MiOiIyNjc4NWEwOS1hYjE2LTRlYjAtODQwNy1hMzc0OTdhNTc1MDYiLCJpYXQiOjE1Njg4MTg1Nzh9." +
		"YT_aQYNif0l3HaPwy62Cj9g0qsYzjnj1K5pLwkELiFw"
	if got := signToken(docServiceID, docSecret, 1568818578); got != want {
		t.Errorf("signToken =\n%s\nwant\n%s", got, want)
	}
	alg, claims, input, sig, err := parseToken(want)
	if err != nil || alg != "HS256" || *claims.Iss != docServiceID || claims.Iat.String() != "1568818578" {
		t.Fatalf("parseToken: %q %+v %v", alg, claims, err)
	}
	if !verifySignature(docSecret, input, sig) || verifySignature("other", input, sig) {
		t.Error("verifySignature is wrong")
	}
	for _, broken := range []string{"", "a.b", "a.b.c", want + ".d", "!!.e30.AA"} {
		if _, _, _, _, err := parseToken(broken); err == nil {
			t.Errorf("parseToken(%q) succeeded", broken)
		}
	}
}
