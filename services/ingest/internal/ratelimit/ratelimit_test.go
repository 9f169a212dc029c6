package ratelimit

import (
	"net/http/httptest"
	"testing"
	"time"
)

func TestEachClientHasItsOwnBucket(t *testing.T) {
	l := New(60, 3, false)
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	a := httptest.NewRequest("POST", "/", nil)
	a.RemoteAddr = "192.0.2.1:5000"
	b := httptest.NewRequest("POST", "/", nil)
	b.RemoteAddr = "192.0.2.2:5000"
	for i := range 3 {
		if ok, _ := l.Allow(a); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.Allow(a)
	if ok || wait <= 0 || RetryAfter(wait) != "2" {
		t.Errorf("fourth request: allowed %v, wait %v (Retry-After %s)", ok, wait, RetryAfter(wait))
	}
	if ok, _ := l.Allow(b); !ok {
		t.Error("another client was limited by the first one's requests")
	}
	now = now.Add(time.Second)
	if ok, _ := l.Allow(a); !ok {
		t.Error("a token is back after a second at 60 a minute")
	}
}

func TestForwardedForOnlyWhenTrusted(t *testing.T) {
	r := httptest.NewRequest("POST", "/", nil)
	r.RemoteAddr = "10.0.0.1:1"
	r.Header.Set("X-Forwarded-For", "192.0.2.66, 198.51.100.7") // the client wrote the first, the proxy added the last
	if got := New(1, 1, false).clientOf(r); got != "10.0.0.1" {
		t.Errorf("untrusted: %s", got)
	}
	if got := New(1, 1, true).clientOf(r); got != "198.51.100.7" {
		t.Errorf("trusted: %s, want the address the proxy saw", got)
	}
}
