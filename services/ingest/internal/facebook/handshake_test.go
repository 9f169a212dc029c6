package facebook_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/signpost/signpost/services/ingest/internal/facebook"
)

func TestHandshake(t *testing.T) {
	const token = "meatyhamhock"
	h := facebook.Handshake(token)
	query := func(mode, tok, challenge string) string {
		return url.Values{"hub.mode": {mode}, "hub.verify_token": {tok}, "hub.challenge": {challenge}}.Encode()
	}
	tests := []struct {
		name, method, query string
		wantStatus          int
		wantBody            string // exact for 200; must not appear otherwise
	}{
		{"right token", http.MethodGet, query("subscribe", token, "1158201444"), 200, "1158201444"},
		{"wrong token", http.MethodGet, query("subscribe", "meatyhamhocks", "1158201444"), 403, "1158201444"},
		{"empty token", http.MethodGet, query("subscribe", "", "1158201444"), 403, "1158201444"},
		{"wrong mode", http.MethodGet, query("unsubscribe", token, "1158201444"), 403, "1158201444"},
		{"no query", http.MethodGet, "", 403, ""},
		{"no challenge", http.MethodGet, query("subscribe", token, ""), 400, ""},
		{"challenge too long", http.MethodGet, query("subscribe", token, strings.Repeat("7", facebook.MaxChallengeLength+1)), 400, "7777"},
		{"challenge with markup", http.MethodGet, query("subscribe", token, "<script>alert(1)</script> "), 400, "<script>"},
		{"longest challenge", http.MethodGet, query("subscribe", token, strings.Repeat("7", facebook.MaxChallengeLength)), 200, strings.Repeat("7", facebook.MaxChallengeLength)},
		{"POST", http.MethodPost, query("subscribe", token, "1158201444"), 405, "1158201444"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h(rec, httptest.NewRequest(tt.method, "/webhooks/facebook?"+tt.query, nil))
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d (body %q)", rec.Code, tt.wantStatus, rec.Body)
			}
			ct := rec.Header().Get("Content-Type")
			if tt.wantStatus == 200 {
				if rec.Body.String() != tt.wantBody || ct != "text/plain; charset=utf-8" {
					t.Errorf("body %q (%s), want %q as text/plain", rec.Body, ct, tt.wantBody)
				}
				return
			}
			if ct != "application/problem+json" {
				t.Errorf("Content-Type %q, want application/problem+json", ct)
			}
			if tt.wantBody != "" && strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Errorf("refusal %q echoes the challenge", rec.Body)
			}
			if strings.Contains(rec.Body.String(), token) {
				t.Errorf("refusal %q contains the verify token", rec.Body)
			}
		})
	}
}

func TestHandshakeWithoutConfiguredToken(t *testing.T) {
	rec := httptest.NewRecorder()
	facebook.Handshake("")(rec, httptest.NewRequest(http.MethodGet, "/?hub.mode=subscribe&hub.verify_token=&hub.challenge=1", nil))
	if rec.Code != http.StatusForbidden {
		t.Errorf("status %d, want 403: an unset verify token must match nothing", rec.Code)
	}
}
