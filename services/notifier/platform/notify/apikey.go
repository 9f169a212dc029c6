package notify

import (
	"errors"
	"regexp"
	"strings"
)

// ErrInvalidAPIKey is returned for an API key that is not in the form
// {key_name}-{service_id}-{secret_key}. The key itself is never part of the error.
var ErrInvalidAPIKey = errors.New("notify: API key is not in the form {key_name}-{service_id}-{secret_key}")

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func isUUID(s string) bool { return uuidPattern.MatchString(s) }

const uuidLen = 36

// ParseAPIKey splits a Notify API key, "{key_name}-{service_id}-{secret_key}", into the service
// ID (the JWT issuer) and the secret key (the signing key). The key name may itself contain
// hyphens and must not be empty; the service ID and secret key must be UUIDs. Surrounding white
// space is ignored.
func ParseAPIKey(key string) (serviceID, secret string, err error) {
	key = strings.TrimSpace(key)
	n := len(key)
	if n < 2*uuidLen+3 || key[n-uuidLen-1] != '-' || key[n-2*uuidLen-2] != '-' {
		return "", "", ErrInvalidAPIKey
	}
	secret = key[n-uuidLen:]
	serviceID = key[n-2*uuidLen-1 : n-uuidLen-1]
	if !isUUID(secret) || !isUUID(serviceID) {
		return "", "", ErrInvalidAPIKey
	}
	return serviceID, secret, nil
}
