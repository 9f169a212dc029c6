package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// jwtHeader is the base64url form of {"typ":"JWT","alg":"HS256"}.
var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"JWT","alg":"HS256"}`))

// signToken makes the bearer token for one request: a JWT with the claims {"iss", "iat"}, signed
// with HMAC-SHA256 using the secret key.
func signToken(serviceID, secret string, iat int64) string {
	claims, _ := json.Marshal(struct {
		Iss string `json:"iss"`
		Iat int64  `json:"iat"`
	}{serviceID, iat})
	signingInput := jwtHeader + "." + base64.RawURLEncoding.EncodeToString(claims)
	return signingInput + "." + base64.RawURLEncoding.EncodeToString(hs256(secret, signingInput))
}

func hs256(secret, signingInput string) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(signingInput))
	return mac.Sum(nil)
}

// jwtClaims are the claims Notify reads; a missing claim is nil.
type jwtClaims struct {
	Iss *string      `json:"iss"`
	Iat *json.Number `json:"iat"`
}

// parseToken decodes a JWT without checking its signature: its header's alg, its claims, and the
// signing input and signature for verifyToken.
func parseToken(token string) (alg string, claims jwtClaims, signingInput string, sig []byte, err error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", claims, "", nil, errors.New("not three parts")
	}
	var header struct {
		Alg string `json:"alg"`
	}
	if err := decodeSegment(parts[0], &header); err != nil {
		return "", claims, "", nil, err
	}
	if err := decodeSegment(parts[1], &claims); err != nil {
		return "", claims, "", nil, err
	}
	if sig, err = base64.RawURLEncoding.DecodeString(parts[2]); err != nil {
		return "", claims, "", nil, err
	}
	return header.Alg, claims, parts[0] + "." + parts[1], sig, nil
}

func decodeSegment(seg string, v any) error {
	data, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	d := json.NewDecoder(strings.NewReader(string(data)))
	d.UseNumber()
	return d.Decode(v)
}

// verifySignature reports whether sig is the HS256 signature of signingInput with secret.
func verifySignature(secret, signingInput string, sig []byte) bool {
	return hmac.Equal(sig, hs256(secret, signingInput))
}

// iatSeconds reads the iat claim as whole Unix seconds.
func iatSeconds(n *json.Number) (int64, bool) {
	if n == nil {
		return 0, false
	}
	if v, err := n.Int64(); err == nil {
		return v, true
	}
	f, err := strconv.ParseFloat(n.String(), 64)
	return int64(f), err == nil
}
