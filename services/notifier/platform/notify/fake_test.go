package notify

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

type rawAnswer struct {
	StatusCode int `json:"status_code"`
	Errors     []struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	} `json:"errors"`
	ID        string  `json:"id"`
	Reference *string `json:"reference"`
	Content   struct {
		Subject   string `json:"subject"`
		Body      string `json:"body"`
		FromEmail string `json:"from_email"`
	} `json:"content"`
	URI      string `json:"uri"`
	Template struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
		URI     string `json:"uri"`
	} `json:"template"`
}

func rawRequest(t *testing.T, srv *httptest.Server, method, path, auth, contentType, body string) (int, rawAnswer) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var a rawAnswer
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatalf("answer is not JSON: %s", data)
	}
	if resp.StatusCode >= 400 && (a.StatusCode != resp.StatusCode || len(a.Errors) == 0) {
		t.Errorf("error answer not in Notify's shape: %s", data)
	}
	return resp.StatusCode, a
}

func TestFakeAnswerShape(t *testing.T) {
	f := &Fake{APIKey: testKey, Now: func() time.Time { return testNow }}
	f.AddTemplate(strings.ToUpper(testTemplate), "Hi", "Hello ((First Name)), ((count)) new")
	srv := httptest.NewServer(f)
	defer srv.Close()
	auth := "Bearer " + signToken(testService, testKey[len(testKey)-36:], testNow.Unix())
	body := `{"email_address":" ` + testAddress + ` ","template_id":"` + testTemplate + `","personalisation":{"FirstName":"Ada","count":3}}`
	status, a := rawRequest(t, srv, http.MethodPost, "/v2/notifications/email", auth, "application/json; charset=utf-8", body)
	if status != http.StatusCreated {
		t.Fatalf("status %d: %+v", status, a)
	}
	if a.Reference != nil || a.Content.Subject != "Hi" || a.Content.FromEmail == "" ||
		a.URI != srv.URL+"/v2/notifications/"+a.ID || a.Template.ID != testTemplate || a.Template.Version != 1 {
		t.Errorf("answer = %+v", a)
	}
	if a.Content.Body != "Hello Ada, 3 new" {
		t.Errorf("body = %q", a.Content.Body)
	}
	if s := f.Sent(); len(s) != 1 || s[0].To != testAddress || s[0].Personalisation["count"] != "3" {
		t.Errorf("Sent() = %+v", s)
	}
}

func TestFakeRejectsWhatNotifyRejects(t *testing.T) {
	f := &Fake{APIKey: testKey, Now: func() time.Time { return testNow }}
	f.AddTemplate(testTemplate, "Hi", "Hello")
	srv := httptest.NewServer(f)
	defer srv.Close()
	secret := testKey[len(testKey)-36:]
	good := "Bearer " + signToken(testService, secret, testNow.Unix())
	seg := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	noneAlg := seg(`{"alg":"none"}`) + "." + seg(`{"iss":"`+testService+`","iat":1}`) + "."
	noIss := seg(`{"alg":"HS256"}`) + "." + seg(`{"iat":1}`) + ".AAAA"
	okBody := `{"email_address":"` + testAddress + `","template_id":"` + testTemplate + `"}`
	cases := []struct {
		name, method, path, auth, contentType, body string
		status                                      int
		errType, message                            string
	}{
		{"no auth", "POST", "/v2/notifications/email", "", "application/json", okBody, 401, "AuthError", "Unauthorized: authentication token must be provided"},
		{"basic auth", "POST", "/v2/notifications/email", "Basic abc", "application/json", okBody, 401, "AuthError", "Unauthorized: authentication bearer scheme must be used"},
		{"garbage token", "POST", "/v2/notifications/email", "Bearer abc", "application/json", okBody, 403, "AuthError", "Invalid token: signature, api token is not valid"},
		{"alg none", "POST", "/v2/notifications/email", "Bearer " + noneAlg, "application/json", okBody, 403, "AuthError", "Invalid token: algorithm used is not HS256"},
		{"no iss", "POST", "/v2/notifications/email", "Bearer " + noIss, "application/json", okBody, 403, "AuthError", "Invalid token: iss field not provided"},
		{"not json", "POST", "/v2/notifications/email", good, "text/plain", okBody, 400, "BadRequestError", "Invalid JSON supplied in POST data"},
		{"json array", "POST", "/v2/notifications/email", good, "application/json", `[]`, 400, "BadRequestError", "Invalid JSON supplied in POST data"},
		{"extra field", "POST", "/v2/notifications/email", good, "application/json", `{"email_address":"` + testAddress + `","template_id":"` + testTemplate + `","sms_sender_id":"x"}`, 400, "ValidationError", "Additional properties are not allowed (sms_sender_id was unexpected)"},
		{"no template", "POST", "/v2/notifications/email", good, "application/json", `{"email_address":"` + testAddress + `"}`, 400, "ValidationError", "template_id is a required property"},
		{"address not string", "POST", "/v2/notifications/email", good, "application/json", `{"email_address":7,"template_id":"` + testTemplate + `"}`, 400, "ValidationError", "email_address is not of type string"},
		{"personalisation list", "POST", "/v2/notifications/email", good, "application/json", `{"email_address":"` + testAddress + `","template_id":"` + testTemplate + `","personalisation":[]}`, 400, "ValidationError", "personalisation is not of type object"},
		{"wrong path", "POST", "/v2/notifications/sms", good, "application/json", okBody, 404, "NotFound", ""},
		{"wrong method", "GET", "/v2/notifications/email", good, "", "", 405, "MethodNotAllowed", ""},
	}
	for _, tc := range cases {
		status, a := rawRequest(t, srv, tc.method, tc.path, tc.auth, tc.contentType, tc.body)
		if status != tc.status || a.Errors[0].Error != tc.errType || (tc.message != "" && a.Errors[0].Message != tc.message) {
			t.Errorf("%s: %d %+v, want %d %s %q", tc.name, status, a.Errors, tc.status, tc.errType, tc.message)
		}
	}
	if len(f.Sent()) != 0 {
		t.Error("the fake accepted a rejected request")
	}
	if n := len(f.Requests()); n != len(cases) {
		t.Errorf("recorded %d requests, want %d", n, len(cases))
	}
}

func TestValidEmailAddress(t *testing.T) {
	for addr, want := range map[string]bool{
		"a@example.com":                          true,
		"first.last+tag@nhs.net":                 true,
		"o'brien@sub.example.co.uk":              true,
		" padded@example.com ":                   true,
		"":                                       false,
		"no-at.example.com":                      false,
		"two@@example.com":                       false,
		"a@b@example.com":                        false,
		"a@localhost":                            false,
		"a@example.c":                            false,
		"a@-example.com":                         false,
		".a@example.com":                         false,
		"a..b@example.com":                       false,
		"a b@example.com":                        false,
		"a@example.123":                          false,
		strings.Repeat("a", 65) + "@example.com": false,
	} {
		if got := validEmailAddress(addr); got != want {
			t.Errorf("validEmailAddress(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestFakeAccessorsReturnCopies(t *testing.T) {
	f, c := newTestAPI(t)
	if _, err := c.SendEmail(t.Context(), testKey, testEmail()); err != nil {
		t.Fatal(err)
	}
	f.Sent()[0].Personalisation["name"] = "changed"
	f.Requests()[0].Body[0] = 'X'
	if f.Sent()[0].Personalisation["name"] != "Ada Lovelace" || f.Requests()[0].Body[0] != '{' {
		t.Error("changing a returned value changed the fake")
	}
}

func TestFakeMisconfigured(t *testing.T) {
	f := &Fake{APIKey: "not a key"}
	srv := httptest.NewServer(f)
	defer srv.Close()
	c := &Client{BaseURL: srv.URL}
	_, err := c.SendEmail(t.Context(), testKey, testEmail())
	if err == nil || !strings.Contains(err.Error(), "fake misconfigured") {
		t.Errorf("err = %v", err)
	}
}
