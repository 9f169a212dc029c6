package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"time"

	"github.com/signpost/signpost/services/ingest/internal/facebook"
	"github.com/signpost/signpost/shared/feedback"
)

// MaxWebhookBody is the largest webhook body accepted (Meta batches many entries).
const MaxWebhookBody = 4 << 20

// facebookChanges verifies a Page webhook delivery over its raw body before anything is parsed,
// publishes its patients' comments, posts and recommendations (edits as new revisions, removals as
// feedback.removed), and answers 200 only once all of them are durable. The page's own posts and
// replies are not patient items; deliveries are retried for 36 hours, so duplicates are normal and
// caught by the items' source ids.
func (in *Ingest) facebookChanges() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if in.cfg.FacebookAppSecret == "" {
			in.log.Error().Str("correlation_id", correlationID(r.Context())).
				Msg("a Facebook delivery arrived but FACEBOOK_APP_SECRET is not set; it was refused")
			in.reject(w, r, http.StatusServiceUnavailable, "Facebook intake is not set up here (no app secret); nothing was read")
			return
		}
		if in.declaredTooLarge(w, r, MaxWebhookBody) {
			return
		}
		body, err := readAll(http.MaxBytesReader(w, r.Body, MaxWebhookBody), r.ContentLength)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			in.reject(w, r, http.StatusRequestEntityTooLarge, "the delivery is larger than the limit of "+humanBytes(MaxWebhookBody))
			return
		} else if err != nil {
			in.reject(w, r, http.StatusBadRequest, "the request body could not be read")
			return
		}
		if err := facebook.VerifySignature([]byte(in.cfg.FacebookAppSecret), body, r.Header.Get(facebook.SignatureHeader)); err != nil {
			in.reject(w, r, http.StatusUnauthorized, "the delivery is not signed with this app's secret: "+err.Error())
			return
		}
		changes, err := facebook.Parse(body)
		if err != nil {
			in.reject(w, r, http.StatusBadRequest, err.Error())
			return
		}
		var received, removed []feedback.Item
		var unknownPage string
		for _, c := range changes {
			if c.ByPage() {
				continue
			}
			p, ok := in.policies.ForFacebookPage(c.PageID)
			if !ok {
				unknownPage = c.PageID
				in.log.Error().Str("correlation_id", correlationID(r.Context())).Str("page_id", c.PageID).
					Msg("a delivery for a Facebook page that no policy names; set accounts.facebook_page_id")
				continue
			}
			it := facebookItem(p.Organisation.Slug, p.Practices[0].Slug, c, in.now())
			if c.Verb == facebook.Remove {
				removed = append(removed, it)
			} else {
				received = append(received, it)
			}
		}
		if len(received) > 0 && !in.store(w, r, received...) {
			return
		}
		if err := in.removed(r.Context(), in.now(), removed...); err != nil {
			in.log.Error().Err(err).Str("correlation_id", correlationID(r.Context())).Msg("publish removals failed")
			w.Header().Set("Retry-After", "5")
			in.reject(w, r, http.StatusServiceUnavailable, "removals could not be stored just now; please deliver again")
			return
		}
		if unknownPage != "" {
			// Not acknowledged, so Meta delivers it again (for up to 36 hours) once a policy names
			// the page; what was stored from this delivery is recognised by its ids then.
			in.reject(w, r, http.StatusServiceUnavailable, "no policy names Facebook page "+unknownPage+
				" (accounts.facebook_page_id); its changes were not stored")
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// facebookItem maps a change to an item. An edit is written when it arrives: Facebook's
// created_time is the comment's, not the edit's.
func facebookItem(org, practice string, c facebook.Change, now time.Time) feedback.Item {
	channel := map[facebook.Kind]feedback.Channel{facebook.Comment: feedback.FacebookComment,
		facebook.Post: feedback.FacebookPost, facebook.Rating: feedback.FacebookRecommendation}[c.Kind]
	it := feedback.Item{
		ID: feedback.ItemID(org, channel, c.SourceID()), Organisation: org, Practice: practice, Channel: channel,
		SourceID: c.SourceID(), Author: c.AuthorName, Text: c.Message, Rating: c.Recommendation, WrittenAt: c.CreatedAt.UTC(),
	}
	if c.Verb == facebook.Edited { // each distinct edit is its own revision; the same edit redelivered is not
		sum := sha256.Sum256([]byte(c.Message + "\x00" + c.Recommendation))
		it.Revision, it.WrittenAt = "edit-"+hex.EncodeToString(sum[:8]), now.UTC()
	}
	return it
}
