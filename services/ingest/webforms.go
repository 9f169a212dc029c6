package ingest

import (
	"errors"
	"net/http"

	"github.com/signpost/signpost/services/ingest/internal/submission"
	"github.com/signpost/signpost/services/ingest/internal/webform"
	"github.com/signpost/signpost/shared/httpx"
	"github.com/signpost/signpost/shared/policy"
)

// formPage finds the practice and the form the address names, or answers 404.
func (in *Ingest) formPage(w http.ResponseWriter, r *http.Request) (webform.Kind, *policy.Policy, policy.Practice, bool) {
	k, ok := webform.KindByPath(r.PathValue("form"))
	p, known := in.policies.ForPractice(r.PathValue("practice"))
	if !ok || !known || !p.OffersForm(k.Channel) {
		http.NotFound(w, r)
		return k, nil, policy.Practice{}, false
	}
	pr, _ := p.Practice(r.PathValue("practice"))
	return k, p, pr, true
}

// showForm serves an empty form.
func (in *Ingest) showForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if k, _, pr, ok := in.formPage(w, r); ok {
			webform.Render(w, http.StatusOK, webform.NewPage(k, pr.Name), in.cfg.FrameAncestors)
		}
	})
}

// sendForm takes a posted form: on success it redirects to the thank-you page (so reloading it
// sends nothing again); otherwise it shows the form again with what to correct.
func (in *Ingest) sendForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k, _, pr, ok := in.formPage(w, r)
		if !ok {
			return
		}
		page := webform.NewPage(k, pr.Name)
		tooLong := []httpx.FieldProblem{{Field: "text", Detail: "The form is too long to send. Shorten your text to under 10,000 characters."}}
		if in.declaredTooLarge(nil, r, MaxBody) {
			in.log.Info().Str("correlation_id", correlationID(r.Context())).Int64("bytes", r.ContentLength).Msg("form refused: too large")
			webform.Render(w, http.StatusRequestEntityTooLarge, page.WithProblems(submission.Form{}, tooLong), in.cfg.FrameAncestors)
			return
		}
		f, filledHoneypot, err := webform.Decode(k, pr.Slug, http.MaxBytesReader(w, r.Body, MaxBody))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			webform.Render(w, http.StatusRequestEntityTooLarge, page.WithProblems(f, tooLong), in.cfg.FrameAncestors)
			return
		} else if err != nil {
			webform.Render(w, http.StatusBadRequest, page.WithProblems(f, []httpx.FieldProblem{{Field: "text",
				Detail: "The form could not be read. Please fill it in again and send it."}}), in.cfg.FrameAncestors)
			return
		}
		if filledHoneypot {
			in.log.Info().Str("correlation_id", correlationID(r.Context())).Msg("form refused: honeypot filled in")
			webform.Render(w, http.StatusUnprocessableEntity, page.WithProblems(f, []httpx.FieldProblem{
				{Field: webform.HoneypotField, Detail: "Leave the field marked \"Leave this field empty\" blank, then send the form again."}}),
				in.cfg.FrameAncestors)
			return
		}
		item, problems := submission.Item(f, in.policies, in.now())
		if len(problems) > 0 {
			webform.Render(w, http.StatusUnprocessableEntity, page.WithProblems(f, formWords(problems)), in.cfg.FrameAncestors)
			return
		}
		if err := in.received(r.Context(), item); err != nil {
			w.Header().Set("Retry-After", "5")
			webform.Render(w, http.StatusServiceUnavailable, page.WithProblems(f, []httpx.FieldProblem{
				{Field: "text", Detail: "We could not save your form just now and nothing was kept. Please send it again in a minute."}}),
				in.cfg.FrameAncestors)
			return
		}
		http.Redirect(w, r, r.URL.Path+"/thanks", http.StatusSeeOther)
	})
}

// formWords rewords the API's field problems for a person filling in the form.
func formWords(problems []httpx.FieldProblem) []httpx.FieldProblem {
	words := map[string]string{
		"text":   "Enter your text",
		"email":  "Enter an email address in the correct format, like name@example.com, or leave it empty",
		"rating": "Choose an answer",
	}
	out := make([]httpx.FieldProblem, len(problems))
	for i, p := range problems {
		out[i] = p
		if w, ok := words[p.Field]; ok {
			out[i].Detail = w
		}
	}
	return out
}

// thanks is the page after a form was sent.
func (in *Ingest) thanks() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k, _, pr, ok := in.formPage(w, r)
		if !ok {
			return
		}
		page := webform.NewPage(k, pr.Name)
		page.Title, page.ThanksText, page.Again = "Thank you", k.Thanks, "/practices/"+pr.Slug+"/"+k.Path
		webform.Render(w, http.StatusOK, page, in.cfg.FrameAncestors)
	})
}

func stylesheet(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(webform.Stylesheet)
}
