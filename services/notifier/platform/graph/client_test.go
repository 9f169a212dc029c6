package graph

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testToken = "EAAGpagetoken"
	testPage  = "104000000000001"
)

var testNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func newTestAPI(t *testing.T) (*Fake, *Client) {
	t.Helper()
	f := &Fake{Token: testToken, PageID: testPage, Now: func() time.Time { return testNow }}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, &Client{BaseURL: srv.URL, HTTP: srv.Client()}
}

func TestPrivateReplySuccess(t *testing.T) {
	f, c := newTestAPI(t)
	f.AddComment("111_222", testNow.Add(-time.Hour))
	text := "Thank you for your comment. Please contact the practice manager."

	id, err := c.PrivateReply(t.Context(), testPage, testToken, "111_222", text)
	if err != nil {
		t.Fatalf("PrivateReply: %v", err)
	}
	sent := f.Sent()
	if len(sent) != 1 {
		t.Fatalf("Sent() = %d replies, want 1", len(sent))
	}
	r := sent[0]
	if r.MessageID != id || r.CommentID != "111_222" || r.PostID != "" || r.Text != text || r.PageID != testPage || !r.At.Equal(testNow) {
		t.Errorf("reply = %+v, returned id %q", r, id)
	}
	reqs := f.Requests()
	if len(reqs) != 1 {
		t.Fatalf("Requests() = %d, want 1", len(reqs))
	}
	q := reqs[0]
	if q.Method != http.MethodPost || q.Path != "/v21.0/"+testPage+"/messages" || q.AccessToken != testToken || q.Status != http.StatusOK {
		t.Errorf("request = %+v", q)
	}
	if q.RawQuery != "" {
		t.Errorf("the token travelled in the URL: %q", q.RawQuery)
	}
	if want := `{"recipient":{"comment_id":"111_222"},"message":{"text":"` + text + `"}}`; string(q.Body) != want {
		t.Errorf("body = %s, want %s", q.Body, want)
	}
}

func TestPrivateReplyToPost(t *testing.T) {
	f, c := newTestAPI(t)
	f.AddPost("104000000000001_555", testNow.Add(-6*24*time.Hour))
	if _, err := c.PrivateReplyToPost(t.Context(), testPage, testToken, "104000000000001_555", "Hello"); err != nil {
		t.Fatalf("PrivateReplyToPost: %v", err)
	}
	if s := f.Sent(); len(s) != 1 || s[0].PostID != "104000000000001_555" || s[0].CommentID != "" {
		t.Errorf("Sent() = %+v", s)
	}
	// A post ID is not a comment ID.
	f.AddPost("104000000000001_556", testNow)
	_, err := c.PrivateReply(t.Context(), testPage, testToken, "104000000000001_556", "Hello")
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("reply to a post as a comment: err = %v, want ErrNotFound", err)
	}
}

func TestSecondReplyRefused(t *testing.T) {
	f, c := newTestAPI(t)
	f.AddComment("c1", testNow.Add(-time.Minute))
	if _, err := c.PrivateReply(t.Context(), testPage, testToken, "c1", "first"); err != nil {
		t.Fatal(err)
	}
	_, err := c.PrivateReply(t.Context(), testPage, testToken, "c1", "second message text")
	if !errors.Is(err, ErrAlreadyReplied) {
		t.Fatalf("err = %v, want ErrAlreadyReplied", err)
	}
	if Retryable(err) {
		t.Error("ErrAlreadyReplied is retryable")
	}
	e, ok := errors.AsType[*APIError](err)
	if !ok || e.Code != CodeAlreadyReplied || e.Status != http.StatusBadRequest || e.TraceID == "" {
		t.Errorf("APIError = %+v", e)
	}
	if strings.Contains(err.Error(), "second message text") {
		t.Errorf("error contains the message text: %v", err)
	}
	if n := len(f.Sent()); n != 1 {
		t.Errorf("Sent() = %d replies, want 1", n)
	}
}

func TestConcurrentRepliesDeliverOnce(t *testing.T) {
	f, c := newTestAPI(t)
	f.AddComment("c1", testNow)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.PrivateReply(t.Context(), testPage, testToken, "c1", "hello") })
	}
	wg.Wait()
	ok, already := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, ErrAlreadyReplied):
			already++
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if ok != 1 || already != len(errs)-1 || len(f.Sent()) != 1 {
		t.Errorf("%d delivered, %d already replied, %d sent", ok, already, len(f.Sent()))
	}
}

func TestOldCommentWindowClosed(t *testing.T) {
	f, c := newTestAPI(t)
	f.AddComment("old", testNow.Add(-ReplyWindow-time.Second))
	f.AddComment("edge", testNow.Add(-ReplyWindow))
	_, err := c.PrivateReply(t.Context(), testPage, testToken, "old", "hello")
	if !errors.Is(err, ErrReplyWindowClosed) {
		t.Fatalf("err = %v, want ErrReplyWindowClosed", err)
	}
	if Retryable(err) || errors.Is(err, ErrAlreadyReplied) {
		t.Errorf("window error misclassified: retryable=%v", Retryable(err))
	}
	if e, _ := errors.AsType[*APIError](err); e.Code != CodePermission || e.Subcode != SubcodeOutsideWindow {
		t.Errorf("APIError = %+v", e)
	}
	if _, err := c.PrivateReply(t.Context(), testPage, testToken, "edge", "hello"); err != nil {
		t.Errorf("exactly 7 days old: %v", err)
	}
}

func TestWrongToken(t *testing.T) {
	f, c := newTestAPI(t)
	f.AddComment("c1", testNow)
	_, err := c.PrivateReply(t.Context(), testPage, "EAAGwrong", "c1", "hello")
	if !errors.Is(err, ErrInvalidToken) || Retryable(err) {
		t.Fatalf("err = %v (retryable %v), want ErrInvalidToken, not retryable", err, Retryable(err))
	}
	if strings.Contains(err.Error(), "EAAGwrong") {
		t.Errorf("error contains the token: %v", err)
	}
	if err := c.HideComment(t.Context(), "EAAGwrong", "c1"); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("HideComment: err = %v, want ErrInvalidToken", err)
	}
	if len(f.Sent()) != 0 || len(f.Hidden()) != 0 {
		t.Error("the fake acted on a request with a wrong token")
	}
}

func TestServerErrorThenSuccess(t *testing.T) {
	f, c := newTestAPI(t)
	f.AddComment("c1", testNow)
	f.FailNext(1, http.StatusInternalServerError, 0)
	_, err := c.PrivateReply(t.Context(), testPage, testToken, "c1", "hello")
	if !Retryable(err) {
		t.Fatalf("err = %v, want retryable", err)
	}
	if e, ok := errors.AsType[*APIError](err); !ok || e.Status != 500 || e.Code != CodeService || !e.Transient {
		t.Errorf("APIError = %+v", e)
	}
	if RetryAfter(err) != 0 {
		t.Errorf("RetryAfter = %v, want 0", RetryAfter(err))
	}
	if _, err := c.PrivateReply(t.Context(), testPage, testToken, "c1", "hello"); err != nil {
		t.Fatalf("second attempt: %v", err)
	}
	reqs := f.Requests()
	if len(reqs) != 2 || reqs[0].Status != 500 || reqs[1].Status != 200 {
		t.Errorf("requests = %+v", reqs)
	}
}

func TestTooManyRequestsRetryAfter(t *testing.T) {
	f, c := newTestAPI(t)
	f.AddComment("c1", testNow)
	f.FailNext(1, http.StatusTooManyRequests, 3*time.Second)
	_, err := c.PrivateReply(t.Context(), testPage, testToken, "c1", "hello")
	if !Retryable(err) || !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v, want retryable ErrRateLimited", err)
	}
	if got := RetryAfter(err); got != 3*time.Second {
		t.Errorf("RetryAfter = %v, want 3s", got)
	}
}

func TestRateLimitCodes(t *testing.T) {
	for _, code := range []int{CodeTooManyCalls, CodeUserTooManyCalls, CodePageTooManyCalls, CodeCustomRateLimit} {
		f, c := newTestAPI(t)
		f.AddComment("c1", testNow)
		f.FailNextCode(1, http.StatusBadRequest, code, 0)
		_, err := c.PrivateReply(t.Context(), testPage, testToken, "c1", "hello")
		if !errors.Is(err, ErrRateLimited) || !Retryable(err) {
			t.Errorf("code %d: err = %v, want retryable ErrRateLimited", code, err)
		}
	}
}

func TestHideComment(t *testing.T) {
	f, c := newTestAPI(t)
	f.AddComment("c1", testNow.Add(-30*24*time.Hour)) // hiding has no window
	if err := c.HideComment(t.Context(), testToken, "c1"); err != nil {
		t.Fatalf("HideComment: %v", err)
	}
	if err := c.HideComment(t.Context(), testToken, "c1"); err != nil {
		t.Fatalf("HideComment again: %v", err)
	}
	if h := f.Hidden(); len(h) != 1 || h[0] != "c1" {
		t.Errorf("Hidden() = %v", h)
	}
	req := f.Requests()[0]
	if req.Path != "/v21.0/c1" || string(req.Body) != "is_hidden=true" || req.ContentType != "application/x-www-form-urlencoded" {
		t.Errorf("request = %+v", req)
	}
	err := c.HideComment(t.Context(), testToken, "gone")
	if !errors.Is(err, ErrNotFound) || Retryable(err) {
		t.Errorf("unknown comment: err = %v, want ErrNotFound, not retryable", err)
	}
}

func TestContextCancelled(t *testing.T) {
	f, c := newTestAPI(t)
	f.AddComment("c1", testNow)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.PrivateReply(ctx, testPage, testToken, "c1", "hello")
	if !errors.Is(err, context.Canceled) || Retryable(err) {
		t.Fatalf("err = %v (retryable %v), want context.Canceled, not retryable", err, Retryable(err))
	}
	if len(f.Requests()) != 0 {
		t.Error("a request went out on a cancelled context")
	}
}

func TestContextCancelledInFlight(t *testing.T) {
	arrived := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // lets the server notice the client going away
		close(arrived)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()
	c := &Client{BaseURL: srv.URL, HTTP: srv.Client()}
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-arrived; cancel() }()
	err := c.HideComment(ctx, testToken, "c1")
	if !errors.Is(err, context.Canceled) || Retryable(err) {
		t.Fatalf("err = %v (retryable %v), want context.Canceled, not retryable", err, Retryable(err))
	}
}

func TestNetworkErrorsRetryable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	c := &Client{BaseURL: base}
	if err := c.HideComment(t.Context(), testToken, "c1"); err == nil || !Retryable(err) {
		t.Errorf("connection refused: err = %v, want retryable", err)
	}

	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer slow.Close()
	c = &Client{BaseURL: slow.URL, HTTP: &http.Client{Timeout: 50 * time.Millisecond}}
	if err := c.HideComment(t.Context(), testToken, "c1"); err == nil || !Retryable(err) {
		t.Errorf("timeout: err = %v, want retryable", err)
	}
}

func TestNonJSONErrorAnswers(t *testing.T) {
	status := http.StatusBadGateway
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(status)
		_, _ = w.Write([]byte("<html>bad gateway</html>"))
	}))
	defer srv.Close()
	c := &Client{BaseURL: srv.URL}
	err := c.HideComment(t.Context(), testToken, "c1")
	if !Retryable(err) || RetryAfter(err) != 7*time.Second {
		t.Errorf("502: err = %v, retryable %v, RetryAfter %v", err, Retryable(err), RetryAfter(err))
	}
	status = http.StatusForbidden
	if err := c.HideComment(t.Context(), testToken, "c1"); Retryable(err) {
		t.Errorf("403: err = %v is retryable", err)
	}
}

func TestArgumentsChecked(t *testing.T) {
	f, c := newTestAPI(t)
	f.AddComment("c1", testNow)
	cases := []func() error{
		func() error { _, err := c.PrivateReply(t.Context(), "", testToken, "c1", "hi"); return err },
		func() error { _, err := c.PrivateReply(t.Context(), testPage, "", "c1", "hi"); return err },
		func() error { _, err := c.PrivateReply(t.Context(), testPage, testToken, "", "hi"); return err },
		func() error { _, err := c.PrivateReply(t.Context(), testPage, testToken, "c1", "  "); return err },
		func() error { _, err := c.PrivateReplyToPost(t.Context(), testPage, testToken, "", "hi"); return err },
		func() error { return c.HideComment(t.Context(), testToken, "") },
		func() error { return c.HideComment(t.Context(), "", "c1") },
	}
	for i, call := range cases {
		if err := call(); err == nil || Retryable(err) {
			t.Errorf("case %d: err = %v, want a non-retryable error", i, err)
		}
	}
	if len(f.Requests()) != 0 {
		t.Error("invalid arguments reached the API")
	}
}

func TestVersionAndDefaults(t *testing.T) {
	f := &Fake{Token: testToken}
	f.AddComment("c1", time.Now())
	srv := httptest.NewServer(f)
	defer srv.Close()
	c := &Client{BaseURL: srv.URL + "/", Version: "v23.0"}
	if err := c.HideComment(t.Context(), testToken, "c1"); err != nil {
		t.Fatal(err)
	}
	if p := f.Requests()[0].Path; p != "/v23.0/c1" {
		t.Errorf("path = %q", p)
	}
	if d := New(); d.BaseURL != DefaultBaseURL || d.Version != DefaultVersion || d.HTTP.Timeout != DefaultTimeout {
		t.Errorf("New() = %+v", d)
	}
	if u := (&Client{}).url("p", "messages"); u != "https://graph.facebook.com/v21.0/p/messages" {
		t.Errorf("zero Client url = %q", u)
	}
}
