package notify

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const (
	testKey      = "signpost_test-6f0a4d6e-63f4-4f6c-9d8e-2f7b8c1a9e01-0c2b8f3e-5a71-4d2e-b3c9-8e6d4a2f1b77"
	testService  = "6f0a4d6e-63f4-4f6c-9d8e-2f7b8c1a9e01"
	testTemplate = "f33517ff-2a88-4f6e-b855-c550268ce08a"
	testReplyTo  = "8e222534-7f05-4972-86e3-17c5d9f894e2"
	testAddress  = "patient.one@example.co.uk"
)

var testNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func newTestAPI(t *testing.T) (*Fake, *Client) {
	t.Helper()
	f := &Fake{APIKey: testKey, Now: func() time.Time { return testNow }}
	f.AddTemplate(testTemplate, "Your comment about ((practice))",
		"Dear ((name)),\n\nThank you. Your reference is ((ref)).((urgent??\nWe will call you today.))")
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, &Client{BaseURL: srv.URL, HTTP: srv.Client(), Now: func() time.Time { return testNow }}
}

func testEmail() Email {
	return Email{To: testAddress, TemplateID: testTemplate, Reference: "item-42",
		Personalisation: map[string]string{"name": "Ada Lovelace", "practice": "Elm Street Surgery", "ref": "SP-1234", "urgent": "no"}}
}

func TestSendEmailSuccess(t *testing.T) {
	f, c := newTestAPI(t)
	id, err := c.SendEmail(t.Context(), testKey, testEmail())
	if err != nil {
		t.Fatalf("SendEmail: %v", err)
	}
	if !isUUID(id) {
		t.Errorf("id %q is not a UUID", id)
	}
	sent := f.Sent()
	if len(sent) != 1 {
		t.Fatalf("Sent() = %d emails, want 1", len(sent))
	}
	e := sent[0]
	if e.ID != id || e.To != testAddress || e.TemplateID != testTemplate || e.Reference != "item-42" || !e.At.Equal(testNow) {
		t.Errorf("sent = %+v", e)
	}
	if e.Subject != "Your comment about Elm Street Surgery" {
		t.Errorf("subject = %q", e.Subject)
	}
	if want := "Dear Ada Lovelace,\n\nThank you. Your reference is SP-1234."; e.Body != want {
		t.Errorf("body = %q, want %q", e.Body, want)
	}
	req := f.Requests()[0]
	if req.Method != http.MethodPost || req.Path != "/v2/notifications/email" || req.ContentType != "application/json" ||
		req.Status != http.StatusCreated || !strings.HasPrefix(req.Authorization, "Bearer ") {
		t.Errorf("request = %+v", req)
	}
	want := `{"email_address":"` + testAddress + `","template_id":"` + testTemplate +
		`","personalisation":{"name":"Ada Lovelace","practice":"Elm Street Surgery","ref":"SP-1234","urgent":"no"},"reference":"item-42"}`
	if string(req.Body) != want {
		t.Errorf("body =\n%s\nwant\n%s", req.Body, want)
	}
	_, claims, _, _, err := parseToken(strings.TrimPrefix(req.Authorization, "Bearer "))
	if err != nil || *claims.Iss != testService || claims.Iat.String() != "1772445600" {
		t.Errorf("token claims %+v, %v", claims, err)
	}
}

func TestSendEmailConditionalAndReplyTo(t *testing.T) {
	f, c := newTestAPI(t)
	f.AddReplyTo(testReplyTo)
	e := testEmail()
	e.Personalisation["urgent"] = "yes"
	e.EmailReplyToID = testReplyTo
	if _, err := c.SendEmail(t.Context(), testKey, e); err != nil {
		t.Fatal(err)
	}
	got := f.Sent()[0]
	if !strings.HasSuffix(got.Body, "SP-1234.\nWe will call you today.") || got.EmailReplyToID != testReplyTo {
		t.Errorf("sent = %+v", got)
	}
	e.EmailReplyToID = "11111111-2222-4333-8444-555555555555"
	if _, err := c.SendEmail(t.Context(), testKey, e); !errors.Is(err, ErrBadRequest) {
		t.Errorf("unknown reply-to: err = %v, want ErrBadRequest", err)
	}
}

func TestBadKeyFormat(t *testing.T) {
	f, c := newTestAPI(t)
	for _, key := range []string{"", "not-a-key", testService + "-" + testKey[len(testKey)-36:]} {
		_, err := c.SendEmail(t.Context(), key, testEmail())
		if !errors.Is(err, ErrInvalidAPIKey) || Retryable(err) {
			t.Errorf("key %q: err = %v, want ErrInvalidAPIKey, not retryable", key, err)
		}
	}
	if len(f.Requests()) != 0 {
		t.Error("a request went out with a malformed key")
	}
}

func TestWrongSecret(t *testing.T) {
	f, c := newTestAPI(t)
	wrong := testKey[:len(testKey)-36] + "0c2b8f3e-5a71-4d2e-b3c9-000000000000"
	_, err := c.SendEmail(t.Context(), wrong, testEmail())
	if !errors.Is(err, ErrAuth) || Retryable(err) {
		t.Fatalf("err = %v, want ErrAuth, not retryable", err)
	}
	ae, _ := errors.AsType[*APIError](err)
	if ae.Status != http.StatusForbidden || ae.Code != TypeAuthError || ae.Message != "Invalid token: API key not found" {
		t.Errorf("APIError = %+v", ae)
	}
	if strings.Contains(err.Error(), "000000000000") {
		t.Errorf("error contains the key: %v", err)
	}
	if len(f.Sent()) != 0 {
		t.Error("the fake sent an email with a wrong key")
	}
}

func TestWrongServiceAndClockSkew(t *testing.T) {
	_, c := newTestAPI(t)
	other := "signpost_test-00000000-63f4-4f6c-9d8e-2f7b8c1a9e01-0c2b8f3e-5a71-4d2e-b3c9-8e6d4a2f1b77"
	if _, err := c.SendEmail(t.Context(), other, testEmail()); !errors.Is(err, ErrAuth) {
		t.Errorf("other service: err = %v, want ErrAuth", err)
	}
	for skew, ok := range map[time.Duration]bool{
		-31 * time.Second: false, 31 * time.Second: false, -29 * time.Second: true, 29 * time.Second: true,
	} {
		c.Now = func() time.Time { return testNow.Add(skew) }
		_, err := c.SendEmail(t.Context(), testKey, testEmail())
		if ok && err != nil {
			t.Errorf("skew %v: %v", skew, err)
		}
		if !ok && (!errors.Is(err, ErrAuth) || !strings.Contains(err.Error(), "within 30 seconds")) {
			t.Errorf("skew %v: err = %v, want the clock AuthError", skew, err)
		}
	}
}

func TestMissingPersonalisation(t *testing.T) {
	f, c := newTestAPI(t)
	e := testEmail()
	delete(e.Personalisation, "ref")
	delete(e.Personalisation, "urgent")
	_, err := c.SendEmail(t.Context(), testKey, e)
	if !errors.Is(err, ErrBadRequest) || Retryable(err) {
		t.Fatalf("err = %v, want ErrBadRequest, not retryable", err)
	}
	ae, _ := errors.AsType[*APIError](err)
	if ae.Code != TypeBadRequestError || ae.Message != "Missing personalisation: ref, urgent" {
		t.Errorf("APIError = %+v", ae)
	}
	if len(f.Sent()) != 0 {
		t.Error("the fake sent an email with missing personalisation")
	}
}

func TestInvalidRequestsRejected(t *testing.T) {
	_, c := newTestAPI(t)
	cases := map[string]func(*Email){
		"bad address":      func(e *Email) { e.To = "patient.one.example.co.uk" },
		"no address":       func(e *Email) { e.To = "" },
		"template not id":  func(e *Email) { e.TemplateID = "welcome" },
		"unknown template": func(e *Email) { e.TemplateID = "11111111-2222-4333-8444-555555555555" },
		"reply-to not id":  func(e *Email) { e.EmailReplyToID = "me" },
	}
	for name, change := range cases {
		e := testEmail()
		change(&e)
		_, err := c.SendEmail(t.Context(), testKey, e)
		if !errors.Is(err, ErrBadRequest) || Retryable(err) {
			t.Errorf("%s: err = %v, want ErrBadRequest", name, err)
			continue
		}
		if strings.Contains(err.Error(), "patient.one") {
			t.Errorf("%s: error contains the address: %v", name, err)
		}
	}
}

func TestRateLimitedRetryAfter(t *testing.T) {
	f, c := newTestAPI(t)
	f.FailNext(1, http.StatusTooManyRequests, 5*time.Second)
	_, err := c.SendEmail(t.Context(), testKey, testEmail())
	if !Retryable(err) || !errors.Is(err, ErrRateLimited) || RetryAfter(err) != 5*time.Second {
		t.Fatalf("err = %v, retryable %v, RetryAfter %v", err, Retryable(err), RetryAfter(err))
	}
	if ae, _ := errors.AsType[*APIError](err); ae.Code != TypeRateLimitError {
		t.Errorf("APIError = %+v", ae)
	}
	if _, err := c.SendEmail(t.Context(), testKey, testEmail()); err != nil {
		t.Errorf("after the limit: %v", err)
	}
}

func TestServerErrorRetryable(t *testing.T) {
	f, c := newTestAPI(t)
	f.FailNext(1, http.StatusInternalServerError, 0)
	_, err := c.SendEmail(t.Context(), testKey, testEmail())
	if !Retryable(err) || RetryAfter(err) != 0 || errors.Is(err, ErrBadRequest) {
		t.Fatalf("err = %v, want retryable without Retry-After", err)
	}
	if ae, _ := errors.AsType[*APIError](err); ae.Status != 500 || ae.Code != TypeException {
		t.Errorf("APIError = %+v", ae)
	}
	if _, err := c.SendEmail(t.Context(), testKey, testEmail()); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if n := len(f.Sent()); n != 1 {
		t.Errorf("Sent() = %d, want 1", n)
	}
}

func TestContextCancelled(t *testing.T) {
	f, c := newTestAPI(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.SendEmail(ctx, testKey, testEmail())
	if !errors.Is(err, context.Canceled) || Retryable(err) {
		t.Fatalf("err = %v, want context.Canceled, not retryable", err)
	}
	if len(f.Requests()) != 0 {
		t.Error("a request went out on a cancelled context")
	}

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
	c = &Client{BaseURL: srv.URL}
	ctx, cancel = context.WithCancel(t.Context())
	go func() { <-arrived; cancel() }()
	if _, err := c.SendEmail(ctx, testKey, testEmail()); !errors.Is(err, context.Canceled) || Retryable(err) {
		t.Fatalf("in flight: err = %v, want context.Canceled, not retryable", err)
	}
}

func TestNetworkErrorsRetryable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	c := &Client{BaseURL: base}
	if _, err := c.SendEmail(t.Context(), testKey, testEmail()); err == nil || !Retryable(err) {
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
	if _, err := c.SendEmail(t.Context(), testKey, testEmail()); err == nil || !Retryable(err) {
		t.Errorf("timeout: err = %v, want retryable", err)
	}
}

// TestErrorsNeverCarryRecipientData feeds the client an API that echoes what it was sent.
func TestErrorsNeverCarryRecipientData(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req emailRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		msg := "email_address " + strings.ToUpper(req.EmailAddress) + " rejected for " + req.Personalisation["name"] + "\n" + strings.Repeat("x", 500)
		_ = json.NewEncoder(w).Encode(map[string]any{"status_code": 400,
			"errors": []map[string]string{{"error": "ValidationError", "message": msg}}})
	}))
	defer srv.Close()
	c := &Client{BaseURL: srv.URL}
	_, err := c.SendEmail(t.Context(), testKey, testEmail())
	s := err.Error()
	if strings.Contains(strings.ToLower(s), "patient.one") || strings.Contains(s, "Lovelace") || strings.Contains(s, "\n") || len(s) > 400 {
		t.Errorf("error leaks or is unbounded: %q", s)
	}
	if !errors.Is(err, ErrBadRequest) {
		t.Errorf("err = %v, want ErrBadRequest", err)
	}
}

func TestDefaults(t *testing.T) {
	if c := New(); c.BaseURL != DefaultBaseURL || c.HTTP.Timeout != DefaultTimeout {
		t.Errorf("New() = %+v", c)
	}
	if u := (&Client{}).baseURL(); u != "https://api.notifications.service.gov.uk" {
		t.Errorf("zero Client base = %q", u)
	}
}
