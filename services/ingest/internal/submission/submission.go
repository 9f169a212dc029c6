// Package submission turns a website form submission into an item, or says field by field what is
// wrong with it. No I/O.
package submission

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/httpx"
	"github.com/signpost/signpost/shared/policy"
)

// MaxTextLength is the longest text accepted, in characters.
const MaxTextLength = 10000

// Form is what a website form posts.
type Form struct {
	Practice string `json:"practice"`
	Channel  string `json:"channel"`
	Text     string `json:"text"`
	Email    string `json:"email,omitempty"`
	Rating   string `json:"rating,omitempty"`
	// SubmissionID is the form's own id for this submission (the page puts a fresh one in each
	// form it serves), so that a double click or a resubmitted page makes one item. Without it the
	// content itself is the id: the same text from the same person to the same form is one item.
	SubmissionID string `json:"submission_id,omitempty"`
}

var submissionID = regexp.MustCompile(`^[A-Za-z0-9_-]{8,100}$`)

// Item validates the form against the policies and returns the item it describes. Problems name
// the field and what to change; they never repeat the patient's text or email address.
func Item(f Form, policies *policy.Set, now time.Time) (feedback.Item, []httpx.FieldProblem) {
	var problems []httpx.FieldProblem
	fail := func(field, format string, args ...any) {
		problems = append(problems, httpx.FieldProblem{Field: field, Detail: fmt.Sprintf(format, args...)})
	}

	var pol *policy.Policy
	switch practice := strings.TrimSpace(f.Practice); {
	case practice == "":
		fail("practice", "is required: the practice's slug, one of %s", strings.Join(policies.Practices(), ", "))
	default:
		var ok bool
		if pol, ok = policies.ForPractice(practice); !ok {
			fail("practice", "no practice %q here; known practices: %s", truncate(practice, 80), strings.Join(policies.Practices(), ", "))
		}
	}

	channel, err := feedback.ParseChannel(f.Channel)
	switch {
	case f.Channel == "":
		fail("channel", "is required: website_review, fft_web or complaint_form")
	case err != nil:
		fail("channel", "unknown channel %q: a website form is website_review, fft_web or complaint_form", truncate(f.Channel, 40))
	case pol != nil && !pol.OffersForm(channel):
		fail("channel", "the website of %s has no %s form (it has: %v)", f.Practice, channel, pol.WebsiteForms)
	}

	text := strings.TrimSpace(f.Text)
	switch n := utf8.RuneCountInString(text); {
	case !utf8.ValidString(f.Text):
		fail("text", "is not valid UTF-8")
	case n == 0 && !channel.FFT():
		fail("text", "is required and must not be blank")
	case n > MaxTextLength:
		fail("text", "is %d characters; at most %d are accepted", n, MaxTextLength)
	}

	email := strings.TrimSpace(f.Email)
	if email != "" {
		if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
			fail("email", "is not an email address (name@example.org); leave it out to stay anonymous")
		}
	}

	if err == nil {
		if rerr := channel.CheckRating(f.Rating); rerr != nil {
			fail("rating", "%v", rerr)
		}
	}

	if f.SubmissionID != "" && !submissionID.MatchString(f.SubmissionID) {
		fail("submission_id", "must be 8 to 100 letters, digits, - or _")
	}
	if len(problems) > 0 {
		return feedback.Item{}, problems
	}

	source := f.SubmissionID
	if source == "" {
		sum := sha256.Sum256([]byte(strings.Join([]string{f.Practice, string(channel), text, email, f.Rating}, "\x00")))
		source = "content-" + hex.EncodeToString(sum[:16])
	}
	org := pol.Organisation.Slug
	return feedback.Item{
		ID: feedback.ItemID(org, channel, source), Organisation: org, Practice: f.Practice, Channel: channel,
		SourceID: source, Email: email, Text: text, Rating: f.Rating, WrittenAt: now.UTC(),
	}, nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
