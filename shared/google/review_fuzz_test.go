package google

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// FuzzReviewAnswer serves any answer where the Business Profile API should answer with the
// review: the client returns the requested review with a valid rating, or an error and nothing;
// an error never repeats the access token.
func FuzzReviewAnswer(f *testing.F) {
	f.Add(200, []byte(`{"name":"`+testReview+`","reviewId":"r","reviewer":{"displayName":" Jo "},"starRating":"TWO","comment":"Waited","createTime":"2026-11-20T09:00:00Z","updateTime":"2026-11-20T10:00:00.5Z"}`))
	f.Add(200, []byte(`{"name":"accounts/9/locations/9/reviews/other"}`))
	f.Add(200, []byte(`{"starRating":"SIX","createTime":"yesterday"}`))
	f.Add(200, []byte(`{"reviewer":{"isAnonymous":true,"displayName":"x"},"reviewReply":{"comment":"thanks"}}`))
	f.Add(404, []byte(`{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND"}}`))
	f.Add(429, []byte(strings.Repeat("x", 2<<20)))
	f.Add(200, []byte(`[]`))
	var mu sync.Mutex // the answer the server gives next
	var status int
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		st, b := status, body
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(st)
		_, _ = w.Write(b)
	}))
	defer srv.Close()
	c := &Client{BaseURL: srv.URL}
	const token = "ya29.access-token-fuzz"
	f.Fuzz(func(t *testing.T, st int, b []byte) {
		if st < 200 || st > 599 {
			return // net/http will not send such a status
		}
		mu.Lock()
		status, body = st, b
		mu.Unlock()
		r, err := c.Review(context.Background(), token, testReview)
		if err != nil {
			if r != (Review{}) || strings.Contains(err.Error(), token) {
				t.Fatalf("error %v with review %+v", err, r)
			}
			return
		}
		if st < 200 || st > 299 || r.Name != testReview || r.ReviewID == "" {
			t.Fatalf("HTTP %d gave review %+v", st, r)
		}
		switch r.Stars {
		case "", "1", "2", "3", "4", "5":
		default:
			t.Fatalf("stars %q", r.Stars)
		}
	})
}
