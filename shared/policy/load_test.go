package policy_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/policy"
)

func TestShippedExamplesValidate(t *testing.T) {
	set, err := policy.Load(policy.Examples())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"charlton-medical-centre", "stretton-medical-centre", "trent-meadows-medical-practice"}
	if got := strings.Join(set.Practices(), ","); got != strings.Join(want, ",") {
		t.Fatalf("practices %s, want %v", got, want)
	}
	charlton, _ := set.ForPractice("charlton-medical-centre")
	trent, _ := set.ForPractice("trent-meadows-medical-practice")
	stretton, _ := set.ForPractice("stretton-medical-centre")
	if trent != stretton {
		t.Error("Trent Meadows and Stretton must share one organisation")
	}
	for _, c := range []struct {
		p        *policy.Policy
		channel  feedback.Channel
		official bool
	}{
		{charlton, feedback.WebsiteReview, true},
		{charlton, feedback.GoogleReview, false},
		{charlton, feedback.FFTWeb, false},
		{trent, feedback.GoogleReview, true},
		{trent, feedback.FFTWeb, true},
		{trent, feedback.FFTPaper, true},
		{trent, feedback.WebsiteReview, false},
		{trent, feedback.FacebookComment, false},
	} {
		if got := c.p.Official(c.channel); got != c.official {
			t.Errorf("%s official(%s) = %v", c.p.Organisation.Slug, c.channel, got)
		}
	}
	if charlton.Moderation.AutoHide || !trent.Moderation.AutoHide {
		t.Error("Charlton reports conduct breaches; Trent Meadows deletes and reports them")
	}
	msg, err := trent.Message(policy.TemplateDeleteRequest, "stretton-medical-centre")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "Stretton Medical Centre") || !strings.Contains(msg, trent.ComplaintsProcedureURL) {
		t.Errorf("delete request lacks the practice name or the Complaints Procedure link: %q", msg)
	}
}

const valid = `{
  "organisation": {"slug": "acme", "name": "Acme Surgery"},
  "practices": [{"slug": "acme-surgery", "name": "Acme Surgery"}],
  "complaints_procedure_url": "https://acme.example/complaints",
  "official_review_channels": ["google_review"],
  "website_forms": ["complaint_form"],
  "moderation": {"auto_hide": false},
  "review": {"min_confidence": 0.8},
  "templates": {"respond": "Thanks from {{.PracticeName}}", "signpost": "See {{.ComplaintsProcedureURL}}",
                "delete_request": "Please delete; {{.ComplaintsProcedureURL}}", "complaint_email": "{{.ComplaintsProcedureURL}}"}
}`

func TestBrokenPolicyIsRefusedWithItsPlace(t *testing.T) {
	for _, c := range []struct {
		name, from, to, file, pointer, problem string
	}{
		{"unknown channel", `["google_review"]`, `["google_reviews"]`, "acme.json", "/official_review_channels/0", "google_review"},
		{"complaint form cannot be a review channel", `["google_review"]`, `["complaint_form"]`, "acme.json", "/official_review_channels/0", ""},
		{"threshold out of range", `0.8`, `1.8`, "acme.json", "/review/min_confidence", "maximum"},
		{"plain http link", `https://acme.example`, `http://acme.example`, "acme.json", "/complaints_procedure_url", ""},
		{"missing field", `"moderation": {"auto_hide": false},`, ``, "acme.json", "/", "moderation"},
		{"misspelt template field", `{{.PracticeName}}`, `{{.Practice}}`, "acme.json", "/", "templates/respond"},
		{"not JSON", `{`, `{{`, "acme.json", "/", "JSON"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{c.file: {Data: []byte(strings.Replace(valid, c.from, c.to, 1))}}
			_, err := policy.Load(fsys)
			var pe *policy.Error
			if !errors.As(err, &pe) {
				t.Fatalf("want a policy.Error, got %v", err)
			}
			if pe.File != c.file || (c.pointer != "/" && pe.Pointer != c.pointer) {
				t.Errorf("error %q: want file %s at %s", err, c.file, c.pointer)
			}
			if !strings.Contains(err.Error(), c.problem) {
				t.Errorf("error %q does not mention %q", err, c.problem)
			}
		})
	}
}

func TestValidPolicyLoadsAndPracticesAreUniqueAcrossFiles(t *testing.T) {
	if _, err := policy.Load(fstest.MapFS{"acme.json": {Data: []byte(valid)}}); err != nil {
		t.Fatalf("valid policy refused: %v", err)
	}
	_, err := policy.Load(fstest.MapFS{
		"acme.json":  {Data: []byte(valid)},
		"other.json": {Data: []byte(strings.Replace(valid, `"slug": "acme"`, `"slug": "other"`, 1))},
	})
	if err == nil || !strings.Contains(err.Error(), "acme-surgery") {
		t.Errorf("a practice in two organisations must be refused, got %v", err)
	}
}
