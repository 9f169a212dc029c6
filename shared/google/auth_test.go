package google

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestAuthenticate(t *testing.T) {
	const token = "s3cret-push-token"
	req := func(target, authorization string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, target, nil)
		if authorization != "" {
			r.Header.Set("Authorization", authorization)
		}
		return r
	}
	cases := []struct {
		name  string
		r     *http.Request
		token string
		want  bool
	}{
		{"query token", req("/push/google?token="+token, ""), token, true},
		{"bearer header", req("/push/google", "Bearer "+token), token, true},
		{"bearer scheme any case", req("/push/google", "bearer "+token), token, true},
		{"OIDC bearer plus query token", req("/push/google?token="+token, "Bearer eyJhbGciOiJSUzI1NiJ9.x.y"), token, true},
		{"wrong query token", req("/push/google?token=s3cret-push-tokeN", ""), token, false},
		{"wrong bearer", req("/push/google", "Bearer nope"), token, false},
		{"prefix of token", req("/push/google?token=s3cret", ""), token, false},
		{"token with suffix", req("/push/google", "Bearer "+token+"x"), token, false},
		{"basic scheme", req("/push/google", "Basic "+token), token, false},
		{"no credentials", req("/push/google", ""), token, false},
		{"empty query token", req("/push/google?token=", ""), token, false},
		{"empty configured token", req("/push/google?token=", "Bearer "), "", false},
		{"empty configured token, empty bearer", req("/push/google", "Bearer"), "", false},
	}
	for _, c := range cases {
		if got := Authenticate(c.r, c.token); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
	if Authenticate(nil, token) {
		t.Error("nil request authenticated")
	}
}
