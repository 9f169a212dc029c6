package apierr_test

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/signpost/signpost/services/notifier/platform/apierr"
)

// FuzzCleanMessage feeds what a platform may answer, with what was sent to it: the cleaned message
// is one printable line of at most 300 bytes (and an ellipsis) that never contains what was sent.
func FuzzCleanMessage(f *testing.F) {
	f.Add("Invalid parameter: patient@example.org is not allowed", "patient@example.org")
	f.Add("email_address PATIENT@EXAMPLE.ORG\nnot valid", "patient@example.org")
	f.Add(strings.Repeat("é", 200), "abcd")
	f.Add("a\tb c d", "a b c d")
	f.Fuzz(func(t *testing.T, msg, sent string) {
		got := apierr.CleanMessage(msg, sent)
		if len(got) > 300+len("…") || !utf8.ValidString(got) && utf8.ValidString(msg) {
			t.Fatalf("cleaned message of %d bytes, valid UTF-8 %v", len(got), utf8.ValidString(got))
		}
		for _, r := range got {
			if r != utf8.RuneError && unicode.IsControl(r) {
				t.Fatalf("control character %U left in %q", r, got)
			}
		}
		if len(sent) < 4 || !utf8.ValidString(sent) || strings.TrimSpace(sent) != sent || strings.ContainsFunc(sent, unicode.IsControl) {
			return
		}
		left := strings.ReplaceAll(got, "[redacted]", "\x00") // the marker itself, or a match across it, is no leak
		if isASCII(sent) {
			left, sent = strings.ToLower(left), strings.ToLower(sent) // letter case is no disguise
		}
		if strings.Contains(left, sent) {
			t.Fatalf("%q is still in %q", sent, got)
		}
	})
}

// FuzzParseRetryAfter reads any Retry-After value: never a negative wait, never more than a year.
func FuzzParseRetryAfter(f *testing.F) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	for _, v := range []string{"", "120", "-5", "Sat, 21 Nov 2026 12:01:00 GMT", "99999999999999999999", "1e3", " 7 "} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if d := apierr.ParseRetryAfter(v, now); d < 0 || d > 366*24*time.Hour {
			t.Fatalf("Retry-After %q gives %v", v, d)
		}
	})
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
