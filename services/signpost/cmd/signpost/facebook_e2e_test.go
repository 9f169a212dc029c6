package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"github.com/signpost/signpost/shared/bustest"
)

const fbSecret = "e2e-facebook-app-secret"

func deliver(t *testing.T, s running, body string) {
	t.Helper()
	mac := hmac.New(sha256.New, []byte(fbSecret))
	mac.Write([]byte(body))
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/webhooks/facebook", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("delivery answered %d", resp.StatusCode)
	}
}

func comment(verb, message string) string {
	return `{"object":"page","entry":[{"id":"100000000000202","time":1763719200,"changes":[{"field":"feed","value":
	  {"item":"comment","verb":"` + verb + `","post_id":"202_9","comment_id":"202_9_1","parent_id":"202_9",
	   "from":{"id":"9100","name":"Jo"},"message":"` + message + `","created_time":1763719100}}]}]}`
}

func TestSocialComplaintGetsADeleteRequestThatRemovalCancels(t *testing.T) {
	s := startSystem(t, map[string]string{"FACEBOOK_APP_SECRET": fbSecret})
	deliver(t, s, comment("add", "Three weeks waiting for a call back about my blood results and nobody has rung. Disgraceful."))
	var state, purpose, recipient string
	bustest.WaitFor(t, "the delete request", func() bool {
		return s.db.QueryRow(`SELECT state, purpose, recipient FROM outbox`).Scan(&state, &purpose, &recipient) == nil
	})
	if state != "pending" || purpose != "delete_request" || recipient != "202_9_1" {
		t.Errorf("message %s/%s to %s, want a pending delete request to the comment", state, purpose, recipient)
	}
	var kinds string
	_ = s.db.Get(&kinds, `SELECT string_agg(kind, ',' ORDER BY kind) FROM inbox_entries`)
	if !strings.Contains(kinds, "delete_requested") {
		t.Errorf("inbox %s, want delete_requested", kinds)
	}

	deliver(t, s, comment("remove", ""))
	var reason string
	bustest.WaitFor(t, "the message to be cancelled", func() bool {
		return s.db.QueryRow(`SELECT state, state_reason FROM outbox`).Scan(&state, &reason) == nil && state == "cancelled"
	})
	if !strings.Contains(reason, "removed") {
		t.Errorf("cancelled without saying why: %q", reason)
	}
	var removed bool
	_ = s.db.Get(&removed, `SELECT removed_at IS NOT NULL FROM items`)
	if !removed {
		t.Error("the item is not marked removed")
	}
}

func TestAnEditIsClassifiedAgain(t *testing.T) {
	s := startSystem(t, map[string]string{"FACEBOOK_APP_SECRET": fbSecret})
	deliver(t, s, comment("add", "Waited 2 hours and the receptionist was rude"))
	deliver(t, s, comment("edited", "Update: they rang me back and sorted everything, thank you"))
	var n int
	bustest.WaitFor(t, "a decision for each revision", func() bool {
		_ = s.db.Get(&n, `SELECT count(*) FROM decisions`)
		return n == 2
	})
	var routes string
	_ = s.db.Get(&routes, `SELECT string_agg(route, ',' ORDER BY revision) FROM decisions`)
	if routes != "complaint,unofficial_review" {
		t.Errorf("routes by revision %q, want the original complaint and the edit as a review", routes)
	}
	var text string
	_ = s.db.Get(&text, `SELECT body FROM items`)
	if !strings.HasPrefix(text, "Update:") {
		t.Errorf("the item shows %q, want the newest revision", text)
	}
	var state string
	bustest.WaitFor(t, "the delete request to be cancelled", func() bool {
		return s.db.Get(&state, `SELECT state FROM outbox`) == nil && state == "cancelled"
	})
}
