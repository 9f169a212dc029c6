// Package webform renders the practice's patient forms (review, Friends and Family Test,
// complaint) as plain, accessible HTML that works without JavaScript and can be embedded in the
// practice's website, and reads their posts.
package webform

import (
	"crypto/rand"
	"embed"
	"encoding/hex"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/signpost/signpost/services/ingest/internal/submission"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/httpx"
)

//go:embed templates/*.html
var templates embed.FS

// Stylesheet is the forms' CSS, served at /forms.css.
//
//go:embed forms.css
var Stylesheet []byte

// Kind is one of the forms, named as in its address.
type Kind struct {
	Path    string // review, fft, complaint
	Channel feedback.Channel
	Title   string
	Thanks  string
}

// Kinds are the forms a practice can offer.
var Kinds = []Kind{
	{"review", feedback.WebsiteReview, "Leave a review", "Your review has been sent. We read every review."},
	{"fft", feedback.FFTWeb, "Friends and Family Test", "Your answer has been sent. Thank you for helping us improve."},
	{"complaint", feedback.ComplaintForm, "Make a complaint",
		"Your complaint has been received. We will acknowledge it within 3 working days."},
}

// KindByPath returns the form with the address segment.
func KindByPath(path string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Path == path {
			return k, true
		}
	}
	return Kind{}, false
}

// Page is what a form page shows.
type Page struct {
	Kind         Kind
	PracticeName string
	Title        string
	SubmissionID string
	Text, Email  string
	Rating       string
	Problems     []httpx.FieldProblem
	Errors       map[string]string
	EmailHint    string
	ThanksText   string
	Again        string
}

// Choice is one radio button.
type Choice struct {
	Value, Label string
	Checked      bool
}

// Stars are the review form's ratings.
func (p Page) Stars() []Choice {
	var out []Choice
	for _, v := range feedback.GoogleRatings {
		label := v + " stars"
		if v == "1" {
			label = "1 star"
		}
		out = append(out, Choice{v, label, p.Rating == v})
	}
	return out
}

// Answers are the six answers to the national FFT question.
func (p Page) Answers() []Choice {
	labels := []string{"Very good", "Good", "Neither good nor poor", "Poor", "Very poor", "Don't know"}
	out := make([]Choice, len(labels))
	for i, v := range feedback.FFTRatings {
		out[i] = Choice{v, labels[i], p.Rating == v}
	}
	return out
}

var funcs = template.FuncMap{
	// field passes the page and one field's name to the "error" template.
	"field": func(p Page, name string) map[string]any { return map[string]any{"Errors": p.Errors, "Name": name} },
}

var pages = map[string]*template.Template{}

func init() {
	for _, k := range append(Kinds, Kind{Path: "thanks"}) {
		pages[k.Path] = template.Must(template.New("").Funcs(funcs).ParseFS(templates, "templates/layout.html", "templates/"+k.Path+".html"))
	}
}

// NewPage is an empty form with a fresh submission id, so that sending the same page twice makes
// one item.
func NewPage(k Kind, practiceName string) Page {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	p := Page{Kind: k, PracticeName: practiceName, Title: k.Title, SubmissionID: hex.EncodeToString(b), Errors: map[string]string{}}
	p.EmailHint = "If you give it, we can reply to you."
	if k.Channel == feedback.ComplaintForm {
		p.EmailHint = "So that we can acknowledge your complaint and reply to you."
	}
	return p
}

// Render writes the form page (or, for a Kind with Path "thanks", the thank-you page).
func Render(w http.ResponseWriter, status int, p Page, frameAncestors string) {
	name := p.Kind.Path
	if p.ThanksText != "" {
		name = "thanks"
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors "+frameAncestors)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = pages[name].ExecuteTemplate(w, "layout", p)
}

// HoneypotField is a field people never see or fill in; software that fills in every field does.
const HoneypotField = "website"

// Decode reads a posted form into the submission the JSON API also takes, and reports whether
// the honeypot was filled in.
func Decode(k Kind, practice string, body io.Reader) (submission.Form, bool, error) {
	raw, err := io.ReadAll(body)
	if err != nil {
		return submission.Form{}, false, err
	}
	v, err := url.ParseQuery(string(raw))
	if err != nil {
		return submission.Form{}, false, err
	}
	f := submission.Form{Practice: practice, Channel: string(k.Channel), Text: v.Get("text"),
		Email: strings.TrimSpace(v.Get("email")), Rating: v.Get("rating"), SubmissionID: v.Get("submission_id")}
	return f, v.Get(HoneypotField) != "", nil
}

// WithProblems fills the page back in with what was sent and what to correct.
func (p Page) WithProblems(f submission.Form, problems []httpx.FieldProblem) Page {
	p.Text, p.Email, p.Rating, p.Problems = f.Text, f.Email, f.Rating, problems
	if f.SubmissionID != "" {
		p.SubmissionID = f.SubmissionID
	}
	p.Errors = map[string]string{}
	for _, pr := range problems {
		if _, seen := p.Errors[pr.Field]; !seen {
			p.Errors[pr.Field] = pr.Detail
		}
	}
	return p
}
