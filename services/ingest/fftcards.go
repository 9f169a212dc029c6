package ingest

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/signpost/signpost/services/ingest/internal/fftcsv"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/httpx"
)

// MaxCSVBody is the largest paper FFT file accepted.
const MaxCSVBody = 8 << 20

// ImportResult is the answer to a paper FFT import.
type ImportResult struct {
	Imported int                  `json:"imported"`
	Skipped  int                  `json:"skipped"`
	Errors   []httpx.FieldProblem `json:"errors,omitempty"`
}

// fftCards imports typed-up paper FFT cards. The whole file is checked first; a file with any bad
// row imports nothing unless skip_bad_rows=true, and every bad row is listed by number.
func (in *Ingest) fftCards() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		practice := r.PathValue("practice")
		p, ok := in.policies.ForPractice(practice)
		if !ok {
			in.reject(w, r, http.StatusNotFound, "no practice "+practice)
			return
		}
		skip := r.URL.Query().Get("skip_bad_rows") == "true"
		body, ok := in.readBody(w, r, MaxCSVBody, "text/csv")
		if !ok {
			return
		}
		rows, rowErrs, err := fftcsv.Parse(bytes.NewReader(body), func(s string) bool { return s == practice }, in.now())
		if err != nil {
			in.reject(w, r, http.StatusUnprocessableEntity, "the file cannot be imported: "+err.Error())
			return
		}
		problems := make([]httpx.FieldProblem, len(rowErrs))
		for i, e := range rowErrs {
			problems[i] = httpx.FieldProblem{Field: fmt.Sprintf("row %d (line %d): %s", e.Row, e.Line, e.Field), Detail: e.Problem}
		}
		if len(rowErrs) > 0 && !skip {
			in.reject(w, r, http.StatusUnprocessableEntity, fmt.Sprintf(
				"%d row(s) need correcting; nothing was imported (send skip_bad_rows=true to import the other %d)", len(rowErrs), len(rows)),
				problems...)
			return
		}
		org := p.Organisation.Slug
		items := make([]feedback.Item, len(rows))
		for i, row := range rows {
			items[i] = feedback.Item{
				ID: feedback.ItemID(org, feedback.FFTPaper, row.SourceID()), Organisation: org, Practice: practice,
				Channel: feedback.FFTPaper, SourceID: row.SourceID(), Text: row.Text, Rating: row.Answer,
				WrittenAt: row.Date.Add(12 * time.Hour), // a card carries a day; noon keeps it on that day in England
			}
		}
		if len(items) > 0 && !in.store(w, r, items...) {
			return
		}
		httpx.WriteJSON(w, http.StatusOK, ImportResult{Imported: len(items), Skipped: len(rowErrs), Errors: problems})
	})
}
