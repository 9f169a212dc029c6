package google

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// call sends a raw request to a Fake, so that its documented answers are checked independently
// of Client.
func call(t *testing.T, f *Fake, method, path, token, body string) (int, map[string]any) {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	f.ServeHTTP(w, r)
	var got map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatalf("%s %s: answer is not JSON: %q", method, path, w.Body.String())
	}
	return w.Code, got
}

func errorStatus(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	s, _ := e["status"].(string)
	return s
}

func TestFakeShapes(t *testing.T) {
	f := &Fake{Token: accessToken}
	f.AddReview(Review{Name: testReview, Reviewer: "Jo Bloggs", Stars: "4", Comment: "Good", CreatedAt: created})

	code, got := call(t, f, http.MethodGet, "/v4/"+testReview, accessToken, "")
	if code != 200 || got["name"] != testReview || got["starRating"] != "FOUR" || got["reviewId"] != "AbFvOqnXyZ_12-ab" ||
		got["createTime"] != "2026-02-27T18:04:05.123456Z" {
		t.Errorf("GET review: %d %v", code, got)
	}

	for _, tc := range []struct {
		method, path, token, body string
		code                      int
		status                    string
	}{
		{"GET", "/v4/" + testLocation + "/reviews/none", accessToken, "", 404, "NOT_FOUND"},
		{"GET", "/v4/" + testReview, "", "", 401, "UNAUTHENTICATED"},
		{"GET", "/v4/" + testReview, "other", "", 401, "UNAUTHENTICATED"},
		{"GET", "/v3/" + testReview, accessToken, "", 404, "NOT_FOUND"},
		{"PUT", "/v4/" + testReview + "/reply", accessToken, `{"comment":"` + strings.Repeat("a", MaxReplyBytes+1) + `"}`, 400, "INVALID_ARGUMENT"},
		{"PUT", "/v4/" + testReview + "/reply", accessToken, `{"comment":""}`, 400, "INVALID_ARGUMENT"},
		{"PUT", "/v4/" + testReview + "/reply", accessToken, `{`, 400, "INVALID_ARGUMENT"},
		{"DELETE", "/v4/" + testReview, accessToken, "", 405, "UNKNOWN"},
	} {
		code, got := call(t, f, tc.method, tc.path, tc.token, tc.body)
		if code != tc.code || errorStatus(got) != tc.status {
			t.Errorf("%s %s: %d %v, want %d %s", tc.method, tc.path, code, got, tc.code, tc.status)
		}
	}
	if len(f.Replies()) != 0 {
		t.Errorf("refused replies recorded: %v", f.Replies())
	}

	code, got = call(t, f, http.MethodPut, "/v4/"+testReview+"/reply", accessToken, `{"comment":"Thank you"}`)
	if code != 200 || got["comment"] != "Thank you" || got["updateTime"] == "" {
		t.Errorf("PUT reply: %d %v", code, got)
	}

	f.FailNext(2, http.StatusServiceUnavailable)
	for range 2 {
		if code, got := call(t, f, http.MethodGet, "/v4/"+testReview, accessToken, ""); code != 503 || errorStatus(got) != "UNAVAILABLE" {
			t.Errorf("FailNext: %d %v", code, got)
		}
	}
	if code, _ := call(t, f, http.MethodGet, "/v4/"+testReview, accessToken, ""); code != 200 {
		t.Errorf("after FailNext: %d", code)
	}
}

func TestFakeAddReviewRefusesBadName(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	new(Fake).AddReview(Review{Name: "reviews/1"})
}
