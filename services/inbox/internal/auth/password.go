// Package auth signs people in: argon2id passwords, session and API tokens kept only as hashes,
// and throttling of failed sign-ins.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id are the cost parameters of new password hashes. A stored hash carries its own
// parameters, so raising them later still verifies old hashes.
type Argon2id struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultArgon2id is OWASP's recommended minimum for argon2id (19 MiB, 2 passes, 1 lane).
var DefaultArgon2id = Argon2id{Memory: 19 * 1024, Time: 2, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
	// MinPasswordLength is the shortest password accepted for a new account.
	MinPasswordLength = 12
	maxPasswordLength = 256
)

// ErrWeakPassword says why a new password is refused.
var ErrWeakPassword = fmt.Errorf("a password needs %d to %d characters", MinPasswordLength, maxPasswordLength)

// CheckNewPassword refuses passwords too short or too long to set.
func CheckNewPassword(password string) error {
	if n := utf8.RuneCountInString(password); n < MinPasswordLength || n > maxPasswordLength {
		return ErrWeakPassword
	}
	return nil
}

// Hash returns the password's argon2id hash in the PHC string format
// ($argon2id$v=19$m=...,t=...,p=...$salt$key).
func (p Argon2id) Hash(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

var errMalformedHash = errors.New("the stored password hash is not an argon2id hash")

// VerifyPassword reports whether password matches the encoded hash, in constant time.
func VerifyPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errMalformedHash
	}
	var version int
	var p Argon2id
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errMalformedHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil ||
		p.Memory == 0 || p.Time == 0 || p.Threads == 0 {
		return false, errMalformedHash
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, errMalformedHash
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errMalformedHash
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummies caches, per cost, a hash that is verified against when no account has the email, so a
// sign-in for an unknown email takes as long as one for a known email.
var dummies sync.Map

func (p Argon2id) dummyHash() string {
	if h, ok := dummies.Load(p); ok {
		return h.(string)
	}
	h, _ := p.Hash("no account has this password")
	dummies.Store(p, h)
	return h
}
