package facebook_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/signpost/signpost/services/ingest/internal/facebook"
)

// FuzzHandshake sends any query to the subscription handshake: only the configured verify token
// gets the challenge echoed, and nothing else is ever echoed.
func FuzzHandshake(f *testing.F) {
	const token = "verify-token-for-fuzz"
	f.Add("hub.mode=subscribe&hub.verify_token=" + token + "&hub.challenge=1158201444")
	f.Add("hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444")
	f.Add("hub.mode=subscribe&hub.verify_token=" + token + "&hub.challenge=%3Cscript%3E")
	f.Add("hub.mode=unsubscribe&hub.challenge=x&hub.challenge=y")
	f.Add("%zz;;&")
	h := facebook.Handshake(token)
	f.Fuzz(func(t *testing.T, query string) {
		req := httptest.NewRequest(http.MethodGet, "/webhooks/facebook", nil)
		req.URL.RawQuery = query
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		q, _ := url.ParseQuery(query)
		challenge := q.Get("hub.challenge")
		if rec.Code == http.StatusOK {
			if q.Get("hub.verify_token") != token || q.Get("hub.mode") != "subscribe" || rec.Body.String() != challenge {
				t.Fatalf("answered 200 with %q to %q", rec.Body, query)
			}
			if strings.ContainsAny(challenge, "<>\"'&") && !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
				t.Fatalf("echoed %q as %s", challenge, rec.Header().Get("Content-Type"))
			}
			return
		}
		if challenge == "" || !strings.Contains(rec.Body.String(), challenge) {
			return
		}
		q.Del("hub.challenge") // the same request without it: what the refusal says anyway
		without := httptest.NewRequest(http.MethodGet, "/webhooks/facebook?"+q.Encode(), nil)
		ref := httptest.NewRecorder()
		h.ServeHTTP(ref, without)
		if !strings.Contains(ref.Body.String(), challenge) {
			t.Fatalf("refused with %d but echoed the challenge %q: %s", rec.Code, challenge, rec.Body)
		}
	})
}
