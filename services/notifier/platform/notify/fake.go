package notify

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fake is a local stand-in for GOV.UK Notify, for tests: an http.Handler to serve with
// httptest.NewServer and point Client.BaseURL at. It serves POST /v2/notifications/email the way
// the documented API does, with the same request checks and answer shapes:
//
//   - Authorization must be "Bearer <JWT>", signed HS256 with the secret of APIKey, whose iss is
//     APIKey's service ID and whose iat is within 30 seconds of Now; otherwise 401 or 403
//     AuthError.
//   - The body must be a JSON object of the documented fields only, with an email_address that
//     looks like an address and a template_id that is a UUID (400 ValidationError otherwise), of a
//     template added with AddTemplate (400 BadRequestError "Template not found"), and with a value
//     for every ((placeholder)) in its subject and body (400 BadRequestError "Missing
//     personalisation: …"). An email_reply_to_id must have been added with AddReplyTo.
//   - It answers 201 with the notification: id, reference, content (subject, body, from_email),
//     uri and template.
//
// It records every request and every email it accepted, with the subject and body rendered, and
// FailNext makes it fail the next requests. The zero value with APIKey set is ready; it is safe
// for concurrent use, but set the exported fields before serving.
type Fake struct {
	// APIKey is the one key the fake accepts, in Notify's {key_name}-{service_id}-{secret_key} form.
	APIKey string
	// Now is the fake's clock for the iat check; time.Now if nil.
	Now func() time.Time
	// FromEmail is the sender address reported in answers; a notifications.service.gov.uk address
	// if empty.
	FromEmail string

	mu        sync.Mutex
	templates map[string]fakeTemplate
	replyTo   map[string]bool
	sent      []SentEmail
	requests  []Request
	failures  []failure
}

// SentEmail is an email the fake accepted.
type SentEmail struct {
	ID              string
	To              string
	TemplateID      string
	Personalisation map[string]string // values as given; non-string JSON values in their JSON form
	Reference       string
	EmailReplyToID  string
	Subject         string // the template's subject, rendered
	Body            string // the template's body, rendered
	At              time.Time
}

// Request is one request the fake received, and the status it answered.
type Request struct {
	Method        string
	Path          string
	ContentType   string
	Authorization string
	Body          []byte
	Status        int
}

type fakeTemplate struct{ subject, body string }

type failure struct {
	status     int
	retryAfter time.Duration
}

// IATLeeway is how far a token's iat may be from Notify's clock.
const IATLeeway = 30 * time.Second

// AddTemplate makes an email template with this ID (a UUID), subject and body exist. Subject and
// body may hold ((placeholders)), and ((name??text)) shows text only when name is set to a true
// value ("yes", "true", or a non-zero number).
func (f *Fake) AddTemplate(id, subject, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.templates == nil {
		f.templates = map[string]fakeTemplate{}
	}
	f.templates[strings.ToLower(id)] = fakeTemplate{subject: subject, body: body}
}

// AddReplyTo makes a reply-to address with this ID exist for email_reply_to_id.
func (f *Fake) AddReplyTo(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.replyTo == nil {
		f.replyTo = map[string]bool{}
	}
	f.replyTo[strings.ToLower(id)] = true
}

// FailNext makes the next n requests fail with this HTTP status and the Notify error that fits
// it (429 RateLimitError, 5xx Exception, 403 AuthError, 400 BadRequestError), with a Retry-After
// header if retryAfter > 0.
func (f *Fake) FailNext(n int, status int, retryAfter time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.failures = append(f.failures, failure{status: status, retryAfter: retryAfter})
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

// Sent returns a copy of the emails accepted, oldest first.
func (f *Fake) Sent() []SentEmail {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]SentEmail, len(f.sent))
	for i, e := range f.sent {
		e.Personalisation = maps.Clone(e.Personalisation)
		out[i] = e
	}
	return out
}

// ServeHTTP answers one request as Notify would.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		body = nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	rec := Request{Method: r.Method, Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"),
		Authorization: r.Header.Get("Authorization"), Body: body}
	ans := f.answer(r, body)
	rec.Status = ans.status
	f.requests = append(f.requests, rec)
	ans.write(w)
}

func (f *Fake) answer(r *http.Request, body []byte) answer {
	if len(f.failures) > 0 {
		fl := f.failures[0]
		f.failures = f.failures[1:]
		return failureAnswer(fl)
	}
	if r.URL.Path != "/v2/notifications/email" {
		return notifyError(http.StatusNotFound, "NotFound", "The requested URL was not found on the server.")
	}
	if r.Method != http.MethodPost {
		return notifyError(http.StatusMethodNotAllowed, "MethodNotAllowed", "The method is not allowed for the requested URL.")
	}
	if a, ok := f.authenticate(r.Header.Get("Authorization")); !ok {
		return a
	}
	return f.sendEmail(r, body)
}

// authenticate checks the bearer token as Notify does. The caller holds f.mu.
func (f *Fake) authenticate(header string) (answer, bool) {
	serviceID, secret, err := ParseAPIKey(f.APIKey)
	if err != nil {
		return notifyError(http.StatusInternalServerError, TypeException, "fake misconfigured: Fake.APIKey is not a Notify API key"), false
	}
	scheme, token, _ := strings.Cut(strings.TrimSpace(header), " ")
	switch {
	case header == "":
		return notifyError(http.StatusUnauthorized, TypeAuthError, "Unauthorized: authentication token must be provided"), false
	case !strings.EqualFold(scheme, "Bearer"):
		return notifyError(http.StatusUnauthorized, TypeAuthError, "Unauthorized: authentication bearer scheme must be used"), false
	}
	alg, claims, signingInput, sig, err := parseToken(strings.TrimSpace(token))
	switch {
	case err != nil:
		return authError("Invalid token: signature, api token is not valid"), false
	case alg != "HS256":
		return authError("Invalid token: algorithm used is not HS256"), false
	case claims.Iss == nil:
		return authError("Invalid token: iss field not provided"), false
	case !strings.EqualFold(*claims.Iss, serviceID):
		return authError("Invalid token: service not found"), false
	case !verifySignature(secret, signingInput, sig):
		return authError("Invalid token: API key not found"), false
	}
	iat, ok := iatSeconds(claims.Iat)
	if !ok {
		return authError("Invalid token: iat field not provided"), false
	}
	if skew := f.now().Sub(time.Unix(iat, 0)); skew > IATLeeway || skew < -IATLeeway {
		return authError("Error: Your system clock must be accurate to within 30 seconds"), false
	}
	return answer{}, true
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
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.status)
	_ = json.NewEncoder(w).Encode(a.body)
}

type problem struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

func notifyErrors(status int, problems ...problem) answer {
	return answer{status: status, body: struct {
		StatusCode int       `json:"status_code"`
		Errors     []problem `json:"errors"`
	}{status, problems}}
}

func notifyError(status int, typ, msg string) answer {
	return notifyErrors(status, problem{typ, msg})
}

func authError(msg string) answer { return notifyError(http.StatusForbidden, TypeAuthError, msg) }

func failureAnswer(fl failure) answer {
	var a answer
	switch {
	case fl.status == http.StatusTooManyRequests:
		a = notifyError(fl.status, TypeRateLimitError, "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds")
	case fl.status >= 500:
		a = notifyError(fl.status, TypeException, "Internal server error")
	case fl.status == http.StatusUnauthorized || fl.status == http.StatusForbidden:
		a = notifyError(fl.status, TypeAuthError, "Invalid token: API key not found")
	case fl.status == http.StatusBadRequest:
		a = notifyError(fl.status, TypeBadRequestError, "Failure injected by the fake")
	default:
		a = notifyError(fl.status, TypeException, "Failure injected by the fake")
	}
	if fl.retryAfter > 0 {
		secs := int((fl.retryAfter + time.Second - 1) / time.Second)
		a.header = http.Header{"Retry-After": {strconv.Itoa(secs)}}
	}
	return a
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
