package google

import (
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Fake is a local stand-in for the Business Profile API v4 reviews methods, for tests of this and
// other packages; it is not a mock of any particular test's expectations. Serve it with
// httptest.NewServer(fake) and set Client.BaseURL to the server's URL.
//
// It answers GET /v4/{review name} with the documented review JSON, PUT /v4/{review name}/reply
// by recording the reply, 404 NOT_FOUND for unknown reviews and paths, 401 UNAUTHENTICATED when
// the bearer token is not Token, and 400 INVALID_ARGUMENT for a reply that is empty or over
// MaxReplyBytes. Errors have the documented {"error": {"code", "message", "status"}} shape.
// A Fake is safe for concurrent use; set Token before serving.
type Fake struct {
	// Token is the only access token accepted. With Token empty every request is refused.
	Token string

	mu         sync.Mutex
	reviews    map[string]fakeReview
	replies    []FakeReply
	requests   int
	failLeft   int
	failStatus int
}

// FakeReply is a reply the Fake received.
type FakeReply struct {
	// Review is the review's resource name.
	Review string
	// Comment is the reply text.
	Comment string
}

type fakeReview struct {
	review    Review
	repliedAt time.Time
}

// AddReview stores r under r.Name, replacing a review of that name (which is how a review gets
// updated: store it again with a later UpdatedAt). An empty Reviewer is served as an anonymous
// reviewer; Stars "1".."5" as ONE..FIVE, anything else as STAR_RATING_UNSPECIFIED; an empty
// ReviewID as the last segment of Name. It panics if r.Name is not a review resource name.
func (f *Fake) AddReview(r Review) {
	if !ValidReviewName(r.Name) {
		panic("google.Fake.AddReview: not a review resource name: " + r.Name)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.reviews == nil {
		f.reviews = make(map[string]fakeReview)
	}
	stored := fakeReview{review: r}
	if r.Reply != "" {
		stored.repliedAt = time.Now()
	}
	f.reviews[r.Name] = stored
}

// Replies returns the replies received so far, oldest first.
func (f *Fake) Replies() []FakeReply {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]FakeReply(nil), f.replies...)
}

// Requests returns how many requests the Fake has received, failed ones included.
func (f *Fake) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// FailNext makes the next n requests, whatever they are, fail with the given HTTP status (and the
// matching error code, e.g. 503 UNAVAILABLE), before any other check. status must be a 4xx or
// 5xx code; n = 0 cancels an earlier FailNext.
func (f *Fake) FailNext(n, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failLeft, f.failStatus = n, status
}

// ServeHTTP answers one API request.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests++
	fail := f.failLeft > 0
	if fail {
		f.failLeft--
	}
	status := f.failStatus
	f.mu.Unlock()
	if fail {
		writeFakeError(w, status, "Injected failure.")
		return
	}

	got, ok := bearerToken(r.Header.Get("Authorization"))
	if !ok || f.Token == "" || subtle.ConstantTimeCompare([]byte(got), []byte(f.Token)) != 1 {
		writeFakeError(w, http.StatusUnauthorized, "Request had invalid authentication credentials.")
		return
	}

	rest, ok := strings.CutPrefix(r.URL.Path, "/v4/")
	name, isReply := strings.CutSuffix(rest, "/reply")
	switch {
	case !ok || !ValidReviewName(name):
		writeFakeError(w, http.StatusNotFound, "The requested URL was not found.")
	case !isReply && r.Method == http.MethodGet:
		f.getReview(w, name)
	case isReply && r.Method == http.MethodPut:
		f.putReply(w, r, name)
	default:
		writeFakeError(w, http.StatusMethodNotAllowed, "Method not allowed.")
	}
}

func (f *Fake) getReview(w http.ResponseWriter, name string) {
	f.mu.Lock()
	stored, ok := f.reviews[name]
	f.mu.Unlock()
	if !ok {
		writeFakeError(w, http.StatusNotFound, "Requested entity was not found.")
		return
	}
	writeFakeJSON(w, http.StatusOK, stored.wire())
}

func (f *Fake) putReply(w http.ResponseWriter, r *http.Request, name string) {
	data, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	var body apiReply
	if err != nil || json.Unmarshal(data, &body) != nil {
		writeFakeError(w, http.StatusBadRequest, "Invalid JSON payload received.")
		return
	}
	switch {
	case strings.TrimSpace(body.Comment) == "":
		writeFakeError(w, http.StatusBadRequest, "Request contains an invalid argument: comment is required.")
		return
	case len(body.Comment) > MaxReplyBytes:
		writeFakeError(w, http.StatusBadRequest, "Request contains an invalid argument: comment is too long.")
		return
	}
	f.mu.Lock()
	stored, ok := f.reviews[name]
	if ok {
		stored.review.Reply, stored.repliedAt = body.Comment, time.Now()
		f.reviews[name] = stored
		f.replies = append(f.replies, FakeReply{Review: name, Comment: body.Comment})
	}
	f.mu.Unlock()
	if !ok {
		writeFakeError(w, http.StatusNotFound, "Requested entity was not found.")
		return
	}
	writeFakeJSON(w, http.StatusOK, apiReply{Comment: body.Comment, UpdateTime: formatTime(stored.repliedAt)})
}

// wire is the review as the API shows it.
func (s fakeReview) wire() apiReview {
	r := s.review
	w := apiReview{
		Name:       r.Name,
		ReviewID:   r.ReviewID,
		StarRating: ratingFromStars(r.Stars),
		Comment:    r.Comment,
		CreateTime: formatTime(r.CreatedAt),
		UpdateTime: formatTime(r.UpdatedAt),
	}
	if w.ReviewID == "" {
		w.ReviewID = lastSegment(r.Name)
	}
	if r.Reviewer == "" {
		w.Reviewer = apiReviewer{DisplayName: "A Google User", IsAnonymous: true}
	} else {
		w.Reviewer = apiReviewer{DisplayName: r.Reviewer, ProfilePhotoURL: "https://lh3.googleusercontent.com/a/fake-photo"}
	}
	if r.Reply != "" {
		w.ReviewReply = &apiReply{Comment: r.Reply, UpdateTime: formatTime(s.repliedAt)}
	}
	return w
}

// fakeStatusCodes maps HTTP statuses to the error status Google's APIs send with them.
var fakeStatusCodes = map[int]string{
	http.StatusBadRequest:          "INVALID_ARGUMENT",
	http.StatusUnauthorized:        "UNAUTHENTICATED",
	http.StatusForbidden:           "PERMISSION_DENIED",
	http.StatusNotFound:            "NOT_FOUND",
	http.StatusConflict:            "ABORTED",
	http.StatusTooManyRequests:     "RESOURCE_EXHAUSTED",
	http.StatusInternalServerError: "INTERNAL",
	http.StatusNotImplemented:      "UNIMPLEMENTED",
	http.StatusServiceUnavailable:  "UNAVAILABLE",
	http.StatusGatewayTimeout:      "DEADLINE_EXCEEDED",
}

func writeFakeError(w http.ResponseWriter, status int, message string) {
	var body apiErrorBody
	body.Error.Code, body.Error.Message, body.Error.Status = status, message, fakeStatusCodes[status]
	if body.Error.Status == "" {
		body.Error.Status = "UNKNOWN"
	}
	writeFakeJSON(w, status, body)
}

func writeFakeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
