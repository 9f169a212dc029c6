// Package config reads settings from environment variables with documented defaults. Every bad
// value is collected, so start-up fails once with a message naming each variable.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Env reads variables through getenv and remembers what was wrong.
type Env struct {
	getenv func(string) string
	errs   []error
}

// New reads variables through getenv (os.Getenv in a binary, a map in tests).
func New(getenv func(string) string) *Env { return &Env{getenv: getenv} }

func (e *Env) lookup(name string) (string, bool) {
	v := strings.TrimSpace(e.getenv(name))
	return v, v != ""
}

func (e *Env) fail(name, value, want string) {
	e.errs = append(e.errs, fmt.Errorf("%s=%q: %s", name, value, want))
}

// String returns the variable or def.
func (e *Env) String(name, def string) string {
	if v, ok := e.lookup(name); ok {
		return v
	}
	return def
}

// OneOf returns the variable, which must be one of allowed, or def.
func (e *Env) OneOf(name, def string, allowed ...string) string {
	v := e.String(name, def)
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	e.fail(name, v, "want one of "+strings.Join(allowed, ", "))
	return def
}

// Int returns the variable as an integer of at least min, or def.
func (e *Env) Int(name string, def, min int) int {
	v, ok := e.lookup(name)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min {
		e.fail(name, v, fmt.Sprintf("want a whole number of at least %d", min))
		return def
	}
	return n
}

// Duration returns the variable as a positive duration ("30s", "2m"), or def.
func (e *Env) Duration(name string, def time.Duration) time.Duration {
	v, ok := e.lookup(name)
	if !ok {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		e.fail(name, v, "want a positive duration such as 500ms, 30s or 2m")
		return def
	}
	return d
}

// URL returns the variable, which must be a URL with one of the schemes, or def.
func (e *Env) URL(name, def string, schemes ...string) string {
	v := e.String(name, def)
	if v == "" {
		return v
	}
	u, err := url.Parse(v)
	if err == nil {
		for _, s := range schemes {
			if u.Scheme == s && u.Host != "" {
				return v
			}
		}
	}
	e.fail(name, redact(v), "want a URL starting "+strings.Join(schemes, ":// or ")+"://")
	return def
}

// Err returns every problem found, or nil.
func (e *Env) Err() error {
	if len(e.errs) == 0 {
		return nil
	}
	return fmt.Errorf("configuration: %w", errors.Join(e.errs...))
}

// redact hides a password in a URL so that an error never prints it.
func redact(v string) string {
	if u, err := url.Parse(v); err == nil && u.User != nil {
		return u.Redacted()
	}
	return v
}

// Fail records a problem with a variable found by the caller.
func (e *Env) Fail(name, problem string) {
	e.errs = append(e.errs, fmt.Errorf("%s: %s", name, problem))
}
