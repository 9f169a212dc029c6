package ingest

import (
	"net/http"

	"github.com/signpost/signpost/services/ingest/internal/submission"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/httpx"
)

// Accepted is the answer to an accepted item.
type Accepted struct {
	ItemID string `json:"item_id"`
	Status string `json:"status"`
}

// submit takes a website form submission as JSON.
func (in *Ingest) submit() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var f submission.Form
		if !in.readJSON(w, r, "/v1/submissions", &f) {
			return
		}
		item, problems := submission.Item(f, in.policies, in.now())
		if len(problems) > 0 {
			in.reject(w, r, http.StatusUnprocessableEntity, "the submission has fields to correct", problems...)
			return
		}
		in.accept(w, r, item)
	})
}

// accept publishes one item and answers 202 with its id, or 503 when it could not be stored.
func (in *Ingest) accept(w http.ResponseWriter, r *http.Request, item feedback.Item) {
	if !in.store(w, r, item) {
		return
	}
	httpx.WriteJSON(w, http.StatusAccepted, Accepted{ItemID: item.ID.String(), Status: "received"})
}

// store publishes the items, or answers 503 and returns false.
func (in *Ingest) store(w http.ResponseWriter, r *http.Request, items ...feedback.Item) bool {
	if err := in.received(r.Context(), items...); err != nil {
		w.Header().Set("Retry-After", "5")
		in.reject(w, r, http.StatusServiceUnavailable, "could not be stored just now and nothing was kept; please send it again")
		return false
	}
	return true
}
