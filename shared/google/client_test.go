package google

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const accessToken = "ya29.test-access-token"

var (
	created = time.Date(2026, 2, 27, 18, 4, 5, 123456000, time.UTC)
	updated = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
)

// newFake serves a Fake holding one named and one anonymous review, and a Client pointed at it.
func newFake(t *testing.T) (*Fake, *Client) {
	t.Helper()
	fake := &Fake{Token: accessToken}
	fake.AddReview(Review{Name: testReview, Reviewer: "Jo Bloggs", Stars: "2", Comment: "Waited 40 minutes past my appointment.", CreatedAt: created, UpdatedAt: updated})
	fake.AddReview(Review{Name: testLocation + "/reviews/anon1", Stars: "5", Comment: "Lovely nurse.", CreatedAt: created, UpdatedAt: created})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, &Client{BaseURL: srv.URL + "/", HTTP: srv.Client()}
}

func TestClientReview(t *testing.T) {
	_, c := newFake(t)
	r, err := c.Review(context.Background(), accessToken, testReview)
	if err != nil {
		t.Fatal(err)
	}
	want := Review{Name: testReview, ReviewID: "AbFvOqnXyZ_12-ab", Reviewer: "Jo Bloggs", Stars: "2", Comment: "Waited 40 minutes past my appointment.", CreatedAt: created, UpdatedAt: updated}
	if r != want {
		t.Errorf("got %+v\nwant %+v", r, want)
	}
	if r.Location() != testLocation {
		t.Errorf("Location() = %q", r.Location())
	}
	if r.Revision() != "2026-03-01T08:00:00Z" {
		t.Errorf("Revision() = %q", r.Revision())
	}
}

func TestClientReviewAnonymous(t *testing.T) {
	_, c := newFake(t)
	r, err := c.Review(context.Background(), accessToken, testLocation+"/reviews/anon1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Reviewer != "" || r.Stars != "5" || r.ReviewID != "anon1" {
		t.Errorf("got %+v", r)
	}
}

func TestClientReviewStars(t *testing.T) {
	fake, c := newFake(t)
	for _, stars := range []string{"1", "2", "3", "4", "5", ""} {
		name := testLocation + "/reviews/stars" + stars
		fake.AddReview(Review{Name: name, Reviewer: "R", Stars: stars, CreatedAt: created})
		r, err := c.Review(context.Background(), accessToken, name)
		if err != nil || r.Stars != stars {
			t.Errorf("stars %q: got %q, %v", stars, r.Stars, err)
		}
	}
}

func TestClientReviewErrors(t *testing.T) {
	fake, c := newFake(t)
	ctx := context.Background()

	_, err := c.Review(ctx, accessToken, testLocation+"/reviews/deleted")
	var apiErr *APIError
	if !errors.Is(err, ErrNotFound) || !errors.As(err, &apiErr) || apiErr.Code != "NOT_FOUND" || Retryable(err) {
		t.Errorf("unknown review: %v", err)
	}

	_, err = c.Review(ctx, "ya29.expired", testReview)
	if !errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrNotFound) || Retryable(err) {
		t.Errorf("wrong token: %v", err)
	}
	if strings.Contains(err.Error(), "ya29") {
		t.Errorf("error shows the token: %v", err)
	}

	fake.FailNext(1, http.StatusInternalServerError)
	_, err = c.Review(ctx, accessToken, testReview)
	if !errors.As(err, &apiErr) || apiErr.Status != 500 || apiErr.Code != "INTERNAL" || !Retryable(err) {
		t.Errorf("500: %v", err)
	}
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnauthorized) {
		t.Errorf("500 matches a 4xx sentinel: %v", err)
	}
	if _, err = c.Review(ctx, accessToken, testReview); err != nil {
		t.Errorf("after the failure: %v", err)
	}

	fake.FailNext(2, http.StatusTooManyRequests)
	for range 2 {
		if _, err = c.Review(ctx, accessToken, testReview); !Retryable(err) {
			t.Errorf("429: %v", err)
		}
	}
	fake.FailNext(1, http.StatusForbidden)
	if _, err = c.Review(ctx, accessToken, testReview); !errors.Is(err, ErrUnauthorized) || Retryable(err) {
		t.Errorf("403: %v", err)
	}

	before := fake.Requests()
	if _, err = c.Review(ctx, accessToken, "accounts/1/locations/2/reviews/a?b=c"); !errors.Is(err, ErrInvalidName) {
		t.Errorf("bad name: %v", err)
	}
	if _, err = c.Review(ctx, "", testReview); !errors.Is(err, ErrNoAccessToken) {
		t.Errorf("no token: %v", err)
	}
	if fake.Requests() != before {
		t.Error("refused calls reached the API")
	}
}

func TestClientNetworkAndContextErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	c := &Client{BaseURL: srv.URL}
	srv.Close()
	_, err := c.Review(context.Background(), accessToken, testReview)
	if err == nil || !Retryable(err) {
		t.Errorf("closed server: %v", err)
	}

	_, c2 := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c2.Review(ctx, accessToken, testReview); err == nil || Retryable(err) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestClientResponseLimits(t *testing.T) {
	serve := func(status int, body string) *Client {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return &Client{BaseURL: srv.URL, HTTP: srv.Client()}
	}
	huge := `{"name":"` + testReview + `","comment":"` + strings.Repeat("x", maxResponseBytes) + `"}`
	cases := map[string]struct {
		c         *Client
		badAnswer bool
	}{
		"too large":     {serve(200, huge), true},
		"not JSON":      {serve(200, "<html>"), true},
		"other review":  {serve(200, `{"name":"`+testLocation+`/reviews/other"}`), true},
		"bad timestamp": {serve(200, `{"name":"`+testReview+`","createTime":"yesterday"}`), true},
		"502 HTML":      {serve(502, "<html>bad gateway</html>"), false},
		"huge 503":      {serve(503, huge), false},
	}
	for name, tc := range cases {
		_, err := tc.c.Review(context.Background(), accessToken, testReview)
		if tc.badAnswer && (!errors.Is(err, ErrBadResponse) || Retryable(err)) {
			t.Errorf("%s: %v", name, err)
		}
		var apiErr *APIError
		if !tc.badAnswer && (!errors.As(err, &apiErr) || apiErr.Code != "" || !Retryable(err) || len(err.Error()) > 300) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestClientReply(t *testing.T) {
	fake, c := newFake(t)
	ctx := context.Background()
	const text = "Thank you, Jo. We're sorry about the wait — please call the practice manager on 01632 960000."
	if err := c.Reply(ctx, accessToken, testReview, text); err != nil {
		t.Fatal(err)
	}
	if got := fake.Replies(); len(got) != 1 || got[0] != (FakeReply{Review: testReview, Comment: text}) {
		t.Errorf("Replies() = %+v", got)
	}
	r, err := c.Review(ctx, accessToken, testReview)
	if err != nil || r.Reply != text {
		t.Errorf("review after reply: %+v, %v", r, err)
	}

	exact := strings.Repeat("é", MaxReplyBytes/2) // 4,096 bytes, 2,048 characters
	if err := c.Reply(ctx, accessToken, testReview, exact); err != nil {
		t.Errorf("reply of exactly %d bytes: %v", MaxReplyBytes, err)
	}
	if err := c.Reply(ctx, accessToken, testLocation+"/reviews/gone", text); !errors.Is(err, ErrNotFound) {
		t.Errorf("reply to unknown review: %v", err)
	}
}

func TestClientReplyRefusedWithoutRequest(t *testing.T) {
	fake, c := newFake(t)
	ctx := context.Background()
	before := fake.Requests()
	cases := map[string]struct {
		name, comment string
		want          error
	}{
		"too long":    {testReview, strings.Repeat("a", MaxReplyBytes+1), ErrReplyTooLong},
		"too long é":  {testReview, strings.Repeat("é", MaxReplyBytes/2) + "a", ErrReplyTooLong},
		"blank":       {testReview, " \n\t", ErrInvalidReply},
		"not UTF-8":   {testReview, "caf\xe9", ErrInvalidReply},
		"bad name":    {"accounts/1/locations/2/reviews/../../x", "Thanks", ErrInvalidName},
		"no such seg": {testLocation, "Thanks", ErrInvalidName},
	}
	for name, tc := range cases {
		if err := c.Reply(ctx, accessToken, tc.name, tc.comment); !errors.Is(err, tc.want) || Retryable(err) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if fake.Requests() != before || len(fake.Replies()) != 0 {
		t.Errorf("refused replies reached the API: %d requests, %v", fake.Requests()-before, fake.Replies())
	}
}

func TestDefaults(t *testing.T) {
	var c Client
	if c.baseURL() != DefaultBaseURL {
		t.Errorf("baseURL() = %q", c.baseURL())
	}
}
