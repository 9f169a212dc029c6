package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/httpx"
)

// ThirdPartyReview is a review found on a site the practice does not run.
type ThirdPartyReview struct {
	Practice  string    `json:"practice"`
	Site      string    `json:"site"`
	URL       string    `json:"url"`
	Text      string    `json:"text"`
	Rating    string    `json:"rating,omitempty"`
	Author    string    `json:"author,omitempty"`
	WrittenAt time.Time `json:"written_at,omitempty"`
}

// thirdParty takes a review from another site. Its source id is the review's address (or, for a
// page of several reviews, the address with the text), so sending it again makes no second item.
func (in *Ingest) thirdParty() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var rv ThirdPartyReview
		if !in.readJSON(w, r, "/v1/third-party-reviews", &rv) {
			return
		}
		p, ok := in.policies.ForPractice(rv.Practice)
		if !ok {
			in.reject(w, r, http.StatusUnprocessableEntity, "no such practice", httpx.FieldProblem{Field: "practice",
				Detail: "known practices: " + strings.Join(in.policies.Practices(), ", ")})
			return
		}
		if strings.TrimSpace(rv.Text) == "" && rv.Rating == "" {
			in.reject(w, r, http.StatusUnprocessableEntity, "a review needs text or a rating",
				httpx.FieldProblem{Field: "text", Detail: "is empty and there is no rating"})
			return
		}
		written := rv.WrittenAt
		if written.IsZero() || written.After(in.now()) {
			written = in.now()
		}
		sum := sha256.Sum256([]byte(rv.URL + "\x00" + strings.TrimSpace(rv.Text)))
		source := rv.Site + ":" + hex.EncodeToString(sum[:12])
		org := p.Organisation.Slug
		in.accept(w, r, feedback.Item{
			ID: feedback.ItemID(org, feedback.ThirdPartyReview, source), Organisation: org, Practice: rv.Practice,
			Channel: feedback.ThirdPartyReview, SourceID: source, Author: rv.Author, Text: strings.TrimSpace(rv.Text),
			Rating: rv.Rating, WrittenAt: written.UTC(),
		})
	})
}
