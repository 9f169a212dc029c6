package graph

import (
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fake is a local stand-in for the Graph API, for tests: an http.Handler to serve with
// httptest.NewServer and point Client.BaseURL at. It answers the two calls Client makes the way
// the documented API does, with the same shapes and error objects:
//
//   - POST /{version}/{page-id}/messages with a recipient of {"comment_id":…} or {"post_id":…}
//     and a text message, as JSON or as a form whose recipient and message are JSON strings. It
//     enforces one private reply per comment or post (code 10900) and the 7-day window (code 10,
//     subcode 2018278), measured with Now.
//   - POST /{version}/{comment-id} with is_hidden=true or false, as a form, JSON or query.
//
// It checks the access token against Token (code 190 when wrong, 104 when missing), taking it
// from an "Authorization: Bearer" header or an access_token parameter. Objects it has not been
// told about with AddComment or AddPost do not exist (code 100, subcode 33). It records every
// request, the private replies it delivered and the comments it hid, and FailNext and FailNextCode
// make it fail the next requests. The zero value with Token set is ready; it is safe for
// concurrent use, but set the exported fields before serving.
type Fake struct {
	// Token is the Page access token the fake accepts.
	Token string
	// PageID, if set, is the only Page whose messages edge exists; others get code 100.
	PageID string
	// Now is the fake's clock for the 7-day window; time.Now if nil.
	Now func() time.Time

	mu       sync.Mutex
	objects  map[string]*fakeObject
	replies  []Reply
	hidden   []string
	requests []Request
	failures []failure
	seq      int
}

// Reply is a private reply the fake delivered.
type Reply struct {
	PageID      string
	CommentID   string // set for a reply to a comment
	PostID      string // set for a reply to a visitor post
	Text        string
	RecipientID string
	MessageID   string
	At          time.Time
}

// Request is one request the fake received, and the status it answered.
type Request struct {
	Method      string
	Path        string
	RawQuery    string
	ContentType string
	Body        []byte
	AccessToken string // the token presented, however it was sent; empty if none
	Status      int
}

type fakeObject struct {
	post      bool
	createdAt time.Time
	replied   bool
	hidden    bool
	psid      string
}

type failure struct {
	status, code int
	retryAfter   time.Duration
}

// ReplyWindow is how long after a comment or post was written a private reply is allowed.
const ReplyWindow = 7 * 24 * time.Hour

// AddComment makes a comment with this ID, written at createdAt, exist.
func (f *Fake) AddComment(id string, createdAt time.Time) { f.add(id, createdAt, false) }

// AddPost makes a visitor post with this ID, written at createdAt, exist.
func (f *Fake) AddPost(id string, createdAt time.Time) { f.add(id, createdAt, true) }

func (f *Fake) add(id string, createdAt time.Time, post bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.objects == nil {
		f.objects = map[string]*fakeObject{}
	}
	f.seq++
	f.objects[id] = &fakeObject{post: post, createdAt: createdAt, psid: strconv.Itoa(7000000000000000 + f.seq)}
}

// FailNext makes the next n requests fail with this HTTP status and a Graph error object that
// fits it (code 4 for 429, code 2 for 5xx), with a Retry-After header if retryAfter > 0.
func (f *Fake) FailNext(n int, status int, retryAfter time.Duration) {
	f.FailNextCode(n, status, 0, retryAfter)
}

// FailNextCode is FailNext with a chosen Graph error code, such as 613 for a rate limit; code 0
// picks one that fits the status.
func (f *Fake) FailNextCode(n int, status int, code int, retryAfter time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.failures = append(f.failures, failure{status: status, code: code, retryAfter: retryAfter})
	}
}

// Requests returns a copy of every request received, oldest first.
func (f *Fake) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Request, len(f.requests))
	for i, r := range f.requests {
		r.Body = slices.Clone(r.Body)
		out[i] = r
	}
	return out
}

// Sent returns a copy of the private replies delivered, oldest first.
func (f *Fake) Sent() []Reply {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.replies)
}

// Hidden returns the IDs of the comments now hidden, in the order they were hidden.
func (f *Fake) Hidden() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.hidden)
}

var versionPattern = regexp.MustCompile(`^v[0-9]+\.[0-9]+$`)

// ServeHTTP answers one request as the Graph API would.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		body = nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	rec := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		ContentType: r.Header.Get("Content-Type"), Body: body}
	ans := f.answer(r, body, &rec)
	rec.Status = ans.status
	f.requests = append(f.requests, rec)
	ans.write(w)
}

func (f *Fake) answer(r *http.Request, body []byte, rec *Request) answer {
	if len(f.failures) > 0 {
		fl := f.failures[0]
		f.failures = f.failures[1:]
		return failureAnswer(fl)
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) < 2 || len(parts) > 3 || !versionPattern.MatchString(parts[0]) || slices.Contains(parts, "") ||
		(len(parts) == 3 && parts[2] != "messages") {
		return graphError(http.StatusBadRequest, 2500, 0, "OAuthException", "Unknown path components: "+r.URL.Path)
	}
	if r.Method != http.MethodPost {
		return graphError(http.StatusBadRequest, CodeInvalidParameter, SubcodeObjectNotFound, "GraphMethodException",
			"Unsupported "+strings.ToLower(r.Method)+" request. This fake serves only private replies and comment hiding.")
	}
	params, err := readParams(r, body)
	if err != nil {
		return graphError(http.StatusBadRequest, CodeInvalidParameter, 0, "OAuthException", "(#100) "+err.Error())
	}
	rec.AccessToken = accessToken(r, params)
	switch {
	case rec.AccessToken == "":
		return graphError(http.StatusBadRequest, CodeNoAccessToken, 0, "OAuthException",
			"An access token is required to request this resource.")
	case rec.AccessToken != f.Token:
		a := graphError(http.StatusBadRequest, CodeInvalidToken, 0, "OAuthException",
			"Invalid OAuth access token - Cannot parse access token")
		a.header = http.Header{"Www-Authenticate": {`OAuth "Facebook Platform" "invalid_token" "Invalid OAuth access token - Cannot parse access token"`}}
		return a
	}
	if len(parts) == 3 {
		return f.privateReply(parts[1], params)
	}
	return f.update(parts[1], params)
}

func (f *Fake) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// answer is a status and JSON body to write.
type answer struct {
	status int
	header http.Header
	body   any
}

func (a answer) write(w http.ResponseWriter) {
	for k, v := range a.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(a.status)
	_ = json.NewEncoder(w).Encode(a.body)
}

func graphError(status, code, subcode int, typ, msg string) answer {
	e := map[string]any{"message": msg, "type": typ, "code": code, "fbtrace_id": traceID()}
	if subcode != 0 {
		e["error_subcode"] = subcode
	}
	return answer{status: status, body: map[string]any{"error": e}}
}

func failureAnswer(fl failure) answer {
	code, typ, msg, transient := fl.code, "OAuthException", "", false
	if code == 0 {
		switch {
		case fl.status == http.StatusTooManyRequests:
			code = CodeTooManyCalls
		case fl.status >= 500:
			code = CodeService
		case fl.status == http.StatusUnauthorized:
			code = CodeInvalidToken
		case fl.status == http.StatusForbidden:
			code = CodePermission
		default:
			code = CodeInvalidParameter
		}
	}
	switch code {
	case CodeService:
		msg, transient = "An unexpected error has occurred. Please retry your request later.", true
	case CodeUnknown:
		msg, transient = "An unknown error occurred", true
	case CodeTooManyCalls:
		msg, transient = "(#4) Application request limit reached", true
	case CodeUserTooManyCalls:
		msg, transient = "(#17) User request limit reached", true
	case CodePageTooManyCalls:
		msg, transient = "(#32) Page request limit reached", true
	case CodeCustomRateLimit:
		msg, transient = "(#613) Calls to this api have exceeded the rate limit.", true
	case CodeInvalidToken:
		msg = "Invalid OAuth access token - Cannot parse access token"
	case CodePermission:
		msg = "(#10) Application does not have permission for this action"
	case CodeAlreadyReplied:
		msg = "(#10900) Activity already replied to"
	case CodeInvalidParameter:
		msg = "(#100) Invalid parameter"
	default:
		msg = "(#" + strconv.Itoa(code) + ") Failure injected by the fake"
	}
	a := graphError(fl.status, code, 0, typ, msg)
	if transient {
		a.body.(map[string]any)["error"].(map[string]any)["is_transient"] = true
	}
	if fl.retryAfter > 0 {
		secs := int((fl.retryAfter + time.Second - 1) / time.Second)
		a.header = http.Header{"Retry-After": {strconv.Itoa(secs)}}
	}
	return a
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func traceID() string { return randomString(11) }

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alnum[int(b[i])%len(alnum)]
	}
	return string(b)
}
