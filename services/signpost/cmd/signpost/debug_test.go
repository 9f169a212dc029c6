package main

import (
	"bytes"
	"io"
	"net/http"
	"testing"
)

// An engineer on call can take a heap profile of the running all-in-one on DEBUG_ADDR, and the
// profiles are never served where webhooks, patients and Practice Managers reach it.
func TestRuntimeProfilesAreServedOnlyOnTheDebugAddress(t *testing.T) {
	s := startSystem(t, map[string]string{"DEBUG_ADDR": "127.0.0.1:0"})
	get := func(url string) (int, []byte) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, body
	}
	if s.DebugURL() == "" {
		t.Fatal("DEBUG_ADDR is set but no debug listener started")
	}
	status, heap := get(s.DebugURL() + "/debug/pprof/heap")
	if status != http.StatusOK || !bytes.HasPrefix(heap, []byte{0x1f, 0x8b}) {
		t.Fatalf("heap profile: %d, %d bytes starting %q; want 200 and a gzipped profile", status, len(heap), heap[:min(len(heap), 16)])
	}
	if status, _ := get(s.DebugURL() + "/debug/pprof/goroutine?debug=1"); status != http.StatusOK {
		t.Errorf("goroutine profile: %d", status)
	}
	for _, path := range []string{"/debug/pprof/", "/debug/pprof/heap"} {
		if status, _ := get(s.URL() + path); status != http.StatusNotFound {
			t.Errorf("%s on HTTP_ADDR: %d, want 404", path, status)
		}
	}
}
