package inbox_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// New entries reach the open pages of their own organisation as they are stored, with ids and
// kinds only.
func TestNewEntriesAreStreamedToTheirOrganisationsPages(t *testing.T) {
	e := start(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.in.Listen(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	e.user(t, charlton, "pm@charlton.example", "manager")
	pm := e.person(t)
	pm.signIn("pm@charlton.example")

	if status, _, _ := e.person(t).get("/inbox/events"); status != http.StatusUnauthorized {
		t.Errorf("the stream without a session: %d, want 401", status)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.URL+"/inbox/events", nil)
	resp, err := pm.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	// The listener may not be listening yet: store entries until one arrives.
	var got string
	deadline := time.After(15 * time.Second)
	for i := 0; got == ""; i++ {
		e.store(t, item{org: trent, practice: "stretton-medical-centre", channel: "fft_web", rating: "good", text: "theirs", route: "official_review", kinds: []string{"respond"}})
		ours := e.store(t, item{org: charlton, practice: charlton, channel: "facebook_comment", text: "I can't go on",
			route: "other", flags: []string{"safeguarding"}, kinds: []string{"urgent"}})
		wait := time.After(300 * time.Millisecond)
	read:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatal("the stream closed")
				}
				if strings.HasPrefix(l, "data: ") && strings.Contains(l, ours.String()) {
					got = l
					break read
				}
				if strings.HasPrefix(l, "data: ") && strings.Contains(l, "item_id") && !strings.Contains(l, `"kind":"urgent"`) {
					t.Fatalf("another organisation's change reached the page: %s", l)
				}
			case <-wait:
				break read
			case <-deadline:
				t.Fatal("no change arrived")
			}
		}
	}
	if !strings.Contains(got, `"priority":"urgent"`) || strings.Contains(got, "go on") {
		t.Errorf("change %s", got)
	}
}
