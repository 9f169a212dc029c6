package webform_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/services/ingest/internal/submission"
	"github.com/signpost/signpost/services/ingest/internal/webform"
	"github.com/signpost/signpost/shared/httpx"
	"github.com/signpost/signpost/shared/policy"
)

func TestFormsAreLabelledAndProtected(t *testing.T) {
	for _, k := range webform.Kinds {
		w := httptest.NewRecorder()
		webform.Render(w, 200, webform.NewPage(k, "Charlton Medical Centre"), "https://charlton.example")
		body := w.Body.String()
		for _, want := range []string{`<html lang="en-GB">`, `<label for="text">`, `id="text"`, `name="submission_id"`,
			`name="website"`, "Charlton Medical Centre", `<button type="submit">`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s form lacks %s", k.Path, want)
			}
		}
		if strings.Contains(body, "<script") {
			t.Errorf("%s form uses script; the forms must work without it", k.Path)
		}
		if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors https://charlton.example") ||
			!strings.Contains(csp, "default-src 'none'") {
			t.Errorf("CSP %q", csp)
		}
	}
}

func TestWhatWasSentIsShownBackEscaped(t *testing.T) {
	k, _ := webform.KindByPath("complaint")
	f := submission.Form{Text: `<script>alert("x")</script> & more`, Email: "bad"}
	page := webform.NewPage(k, "Charlton").WithProblems(f, []httpx.FieldProblem{{Field: "email", Detail: "Enter an email address"}})
	w := httptest.NewRecorder()
	webform.Render(w, 422, page, "'self'")
	body := w.Body.String()
	if strings.Contains(body, "<script>") || !strings.Contains(body, "&lt;script&gt;") {
		t.Error("the patient's text must be shown back escaped")
	}
	if !strings.Contains(body, `id="email-error"`) || !strings.Contains(body, `href="#email"`) {
		t.Error("the error is not tied to its field")
	}
}

func TestDecodeNoticesTheHoneypot(t *testing.T) {
	k, _ := webform.KindByPath("review")
	f, bot, err := webform.Decode(k, "charlton-medical-centre", strings.NewReader("text=Great&rating=5&website=http%3A%2F%2Fspam"))
	if err != nil || !bot || f.Text != "Great" || f.Rating != "5" || f.Channel != "website_review" {
		t.Errorf("%+v bot=%v err=%v", f, bot, err)
	}
}

func FuzzDecode(f *testing.F) {
	set, err := policy.Load(policy.Examples())
	if err != nil {
		f.Fatal(err)
	}
	f.Add("text=Lovely+nurse&rating=5&submission_id=abcdef0123456789")
	f.Add("text=%00%ff&email=a%40b&website=")
	f.Add("rating=very_good&text=")
	f.Add("%zz=1&text=;;")
	f.Fuzz(func(t *testing.T, body string) {
		for _, k := range webform.Kinds {
			form, _, err := webform.Decode(k, "charlton-medical-centre", strings.NewReader(body))
			if err != nil {
				continue
			}
			if it, problems := submission.Item(form, set, time.Now()); len(problems) == 0 && it.Channel != k.Channel {
				t.Fatalf("a %s form made a %s item", k.Path, it.Channel)
			}
		}
	})
}
