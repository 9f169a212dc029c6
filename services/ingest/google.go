package ingest

import (
	"errors"
	"net/http"

	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/google"
)

// googleNotification takes a Business Profile review notification (a Pub/Sub push), fetches the
// review it names with the organisation's credentials, and publishes it; an updated review is a
// new revision. It answers 2xx only once the item is durable, and 503 when the review could not
// be fetched for now, so Pub/Sub delivers it again.
func (in *Ingest) googleNotification() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if in.cfg.GooglePushToken == "" {
			in.log.Error().Str("correlation_id", correlationID(r.Context())).
				Msg("a Google notification arrived but GOOGLE_PUSH_TOKEN is not set; it was refused")
			in.reject(w, r, http.StatusServiceUnavailable, "Google intake is not set up here (no push token); nothing was read")
			return
		}
		if !google.Authenticate(r, in.cfg.GooglePushToken) {
			in.reject(w, r, http.StatusUnauthorized, "the push is not authenticated with this subscription's token")
			return
		}
		if in.declaredTooLarge(w, r, google.MaxPushBytes) {
			return
		}
		body, err := readAll(http.MaxBytesReader(w, r.Body, google.MaxPushBytes), r.ContentLength)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			in.reject(w, r, http.StatusRequestEntityTooLarge, "the push body is larger than the limit of "+humanBytes(google.MaxPushBytes))
			return
		} else if err != nil {
			in.reject(w, r, http.StatusBadRequest, "the request body could not be read")
			return
		}
		n, err := google.ParsePush(body)
		if err != nil {
			in.reject(w, r, http.StatusBadRequest, err.Error())
			return
		}
		if !n.Relevant() {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		p, practice, ok := in.policies.ForGoogleLocation(n.Location)
		if !ok {
			in.reject(w, r, http.StatusUnprocessableEntity, "no practice has the Google location "+n.Location+"; set it in the policy")
			return
		}
		token := in.cfg.GoogleTokens[p.Organisation.Slug]
		rv, err := in.cfg.Google.Review(r.Context(), token, n.Review)
		switch {
		case errors.Is(err, google.ErrNotFound):
			in.log.Info().Str("correlation_id", correlationID(r.Context())).Msg("notified review no longer exists")
			w.WriteHeader(http.StatusNoContent)
			return
		case err != nil:
			in.log.Error().Err(err).Str("correlation_id", correlationID(r.Context())).Str("organisation", p.Organisation.Slug).
				Msg("fetch review failed")
			w.Header().Set("Retry-After", "30")
			in.reject(w, r, http.StatusServiceUnavailable, "the review could not be fetched from Google just now; deliver again")
			return
		}
		org := p.Organisation.Slug
		it := feedback.Item{
			ID: feedback.ItemID(org, feedback.GoogleReview, rv.Name), Organisation: org, Practice: practice.Slug,
			Channel: feedback.GoogleReview, SourceID: rv.Name, Author: rv.Reviewer, Text: rv.Comment, Rating: rv.Stars,
			WrittenAt: rv.CreatedAt.UTC(),
		}
		if n.Type == google.TypeUpdatedReview {
			it.Revision, it.WrittenAt = rv.Revision(), rv.UpdatedAt.UTC()
		}
		if in.store(w, r, it) {
			w.WriteHeader(http.StatusNoContent)
		}
	})
}
