// Package apierr is what the platform clients share about answers that went wrong: reading
// Retry-After, telling transient transport failures apart, and making a platform's message safe
// to keep (one short printable line, with anything the patient wrote taken out).
package apierr

import (
	"context"
	"errors"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// ErrTransport marks failures to read an answer (a connection cut mid-body): worth retrying.
var ErrTransport = errors.New("transport")

// Transient reports whether err is a network failure or a timeout rather than an answer: worth
// retrying. A cancelled context is not.
func Transient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrTransport) {
		return true
	}
	_, ok := errors.AsType[net.Error](err)
	return ok
}

// ParseRetryAfter reads a Retry-After value (delay-seconds or an HTTP date, relative to now);
// 0 when absent or unreadable.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	const maxWait = 365 * 24 * time.Hour
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, int64(maxWait/time.Second))) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil && at.After(now) {
		return min(at.Sub(now).Round(time.Second), maxWait)
	}
	return 0
}

// CleanMessage makes a platform message safe to put in an error: printable, one line, at most
// 300 bytes, and without any of the given strings (what was sent, the recipient) should the
// platform echo them.
func CleanMessage(msg string, redact ...string) string {
	oneLine := func(s string) string { // control characters become spaces, before redacting, so none hides a match
		return strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' '
			}
			return r
		}, s)
	}
	msg = oneLine(msg)
	redact = slices.Clone(redact)
	slices.SortFunc(redact, func(a, b string) int { return len(b) - len(a) }) // longest first
	for _, s := range redact {
		if s = strings.TrimSpace(oneLine(s)); len(s) >= 4 {
			msg = regexp.MustCompile(`(?i)`+regexp.QuoteMeta(s)).ReplaceAllLiteralString(msg, "[redacted]")
		}
	}
	msg = strings.TrimSpace(msg)
	const maxLen = 300
	if len(msg) > maxLen {
		cut := maxLen
		for cut > 0 && msg[cut]&0xC0 == 0x80 { // not in the middle of a UTF-8 sequence
			cut--
		}
		msg = msg[:cut] + "…"
	}
	return msg
}
