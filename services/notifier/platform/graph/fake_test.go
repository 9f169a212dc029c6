package graph

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// post sends a raw request to the fake and decodes its JSON answer.
func post(t *testing.T, srv *httptest.Server, path, contentType, body string, header http.Header) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("answer is not JSON: %s", data)
	}
	return resp.StatusCode, out
}

func errorCode(t *testing.T, ans map[string]any) (code, subcode float64) {
	t.Helper()
	e, ok := ans["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object in %v", ans)
	}
	if e["type"] == "" || e["message"] == "" || e["fbtrace_id"] == "" {
		t.Errorf("incomplete error object %v", e)
	}
	sub, _ := e["error_subcode"].(float64)
	return e["code"].(float64), sub
}

func TestFakeAcceptsFormAndQueryToken(t *testing.T) {
	f := &Fake{Token: testToken}
	f.AddComment("c1", time.Now())
	srv := httptest.NewServer(f)
	defer srv.Close()
	form := url.Values{
		"recipient":    {`{"comment_id":"c1"}`},
		"message":      {`{"text":"hello"}`},
		"access_token": {testToken},
	}
	status, ans := post(t, srv, "/v21.0/"+testPage+"/messages", "application/x-www-form-urlencoded", form.Encode(), nil)
	if status != http.StatusOK || ans["message_id"] == "" || ans["recipient_id"] == "" {
		t.Fatalf("form reply: %d %v", status, ans)
	}
	status, ans = post(t, srv, "/v21.0/c1?is_hidden=true&access_token="+testToken, "", "", nil)
	if status != http.StatusOK || ans["success"] != true {
		t.Fatalf("query hide: %d %v", status, ans)
	}
	status, _ = post(t, srv, "/v21.0/c1", "application/json", `{"is_hidden":false}`,
		http.Header{"Authorization": {"OAuth " + testToken}})
	if status != http.StatusOK || len(f.Hidden()) != 0 {
		t.Fatalf("JSON unhide: %d, hidden %v", status, f.Hidden())
	}
}

func TestFakeRejectsWhatTheAPIRejects(t *testing.T) {
	f := &Fake{Token: testToken, PageID: testPage}
	f.AddComment("c1", time.Now())
	srv := httptest.NewServer(f)
	defer srv.Close()
	auth := http.Header{"Authorization": {"Bearer " + testToken}}
	msgs := "/v21.0/" + testPage + "/messages"
	cases := []struct {
		name, path, contentType, body string
		header                        http.Header
		code, subcode                 float64
	}{
		{"no token", msgs, "application/json", `{"recipient":{"comment_id":"c1"},"message":{"text":"x"}}`, nil, 104, 0},
		{"no recipient", msgs, "application/json", `{"message":{"text":"x"}}`, auth, 100, 0},
		{"both ids", msgs, "application/json", `{"recipient":{"comment_id":"c1","post_id":"p"},"message":{"text":"x"}}`, auth, 100, 0},
		{"no message", msgs, "application/json", `{"recipient":{"comment_id":"c1"}}`, auth, 100, 0},
		{"empty text", msgs, "application/json", `{"recipient":{"comment_id":"c1"},"message":{"text":""}}`, auth, 100, 0},
		{"long text", msgs, "application/json", `{"recipient":{"comment_id":"c1"},"message":{"text":"` + strings.Repeat("é", 2001) + `"}}`, auth, 100, 0},
		{"other page", "/v21.0/999/messages", "application/json", `{"recipient":{"comment_id":"c1"},"message":{"text":"x"}}`, auth, 100, 33},
		{"unknown comment", msgs, "application/json", `{"recipient":{"comment_id":"nope"},"message":{"text":"x"}}`, auth, 100, 33},
		{"bad json", msgs, "application/json", `{"recipient":`, auth, 100, 0},
		{"bad version", "/latest/c1", "application/json", `{"is_hidden":true}`, auth, 2500, 0},
		{"unknown edge", "/v21.0/c1/comments", "application/json", `{"message":"x"}`, auth, 2500, 0},
		{"no is_hidden", "/v21.0/c1", "application/json", `{"message":"x"}`, auth, 100, 0},
		{"bad is_hidden", "/v21.0/c1", "application/json", `{"is_hidden":"maybe"}`, auth, 100, 0},
	}
	for _, tc := range cases {
		status, ans := post(t, srv, tc.path, tc.contentType, tc.body, tc.header)
		code, sub := errorCode(t, ans)
		if status != http.StatusBadRequest || code != tc.code || sub != tc.subcode {
			t.Errorf("%s: %d code %v/%v, want 400 code %v/%v", tc.name, status, code, sub, tc.code, tc.subcode)
		}
	}
	if len(f.Sent()) != 0 || len(f.Hidden()) != 0 {
		t.Error("the fake acted on a rejected request")
	}
	if n := len(f.Requests()); n != len(cases) {
		t.Errorf("recorded %d requests, want %d", n, len(cases))
	}
}

func TestFakeAccessorsReturnCopies(t *testing.T) {
	f := &Fake{Token: testToken}
	f.AddComment("c1", time.Now())
	srv := httptest.NewServer(f)
	defer srv.Close()
	c := &Client{BaseURL: srv.URL}
	if _, err := c.PrivateReply(t.Context(), testPage, testToken, "c1", "hello"); err != nil {
		t.Fatal(err)
	}
	if err := c.HideComment(t.Context(), testToken, "c1"); err != nil {
		t.Fatal(err)
	}
	f.Requests()[0].Body[0] = 'X'
	f.Sent()[0].Text = "changed"
	f.Hidden()[0] = "changed"
	if f.Requests()[0].Body[0] != '{' || f.Sent()[0].Text != "hello" || f.Hidden()[0] != "c1" {
		t.Error("changing a returned slice changed the fake")
	}
}

func TestFakeFailNextCounts(t *testing.T) {
	f := &Fake{Token: testToken}
	f.AddComment("c1", time.Now())
	srv := httptest.NewServer(f)
	defer srv.Close()
	c := &Client{BaseURL: srv.URL}
	f.FailNext(2, http.StatusServiceUnavailable, 1500*time.Millisecond)
	for i := range 2 {
		err := c.HideComment(t.Context(), testToken, "c1")
		if !Retryable(err) || RetryAfter(err) != 2*time.Second {
			t.Errorf("attempt %d: err = %v, RetryAfter %v", i, err, RetryAfter(err))
		}
	}
	if err := c.HideComment(t.Context(), testToken, "c1"); err != nil {
		t.Errorf("third attempt: %v", err)
	}
}
