package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/services/inbox"
	"github.com/signpost/signpost/shared/bustest"
	"github.com/signpost/signpost/shared/google"
	"github.com/signpost/signpost/shared/policy"
)

// manager is a Practice Manager using the inbox's pages over HTTP, with their cookie and the CSRF
// token of the last page they saw.
type manager struct {
	t      *testing.T
	base   string
	client *http.Client
	csrf   string
}

var csrfInPage = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func signInManager(t *testing.T, s running, org, email string) *manager {
	t.Helper()
	if err := inbox.AddUser(context.Background(), s.db, org, email, inbox.RoleManager, pmPassword); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	m := &manager{t: t, base: s.URL(), client: &http.Client{Jar: jar}}
	if status, _ := m.post("/inbox/sign-in", url.Values{"email": {email}, "password": {pmPassword}}); status != http.StatusOK {
		t.Fatalf("sign-in ended on %d", status)
	}
	return m
}

func (m *manager) do(req *http.Request) (int, string) {
	m.t.Helper()
	resp, err := m.client.Do(req)
	if err != nil {
		m.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if c := csrfInPage.FindStringSubmatch(string(b)); c != nil {
		m.csrf = c[1]
	}
	return resp.StatusCode, string(b)
}

func (m *manager) get(path string) (int, string) {
	req, _ := http.NewRequest(http.MethodGet, m.base+path, nil)
	return m.do(req)
}

func (m *manager) post(path string, form url.Values) (int, string) {
	if m.csrf != "" {
		form.Set("csrf", m.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, m.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return m.do(req)
}

// A decision that needed review holds the patient's message until a Practice Manager confirms it
// in the inbox; then the notifier sends it, once.
func TestConfirmingInTheInboxReleasesTheHeldMessage(t *testing.T) {
	dir := t.TempDir()
	entries, err := fs.ReadDir(policy.Examples(), ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries { // every decision needs review
		raw, _ := fs.ReadFile(policy.Examples(), e.Name())
		strict := strings.Replace(string(raw), `"min_confidence": 0.75`, `"min_confidence": 1`, 1)
		if err := os.WriteFile(filepath.Join(dir, e.Name()), []byte(strict), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p := withPlatformsAnd(t, map[string]string{"POLICY_DIR": dir})
	p.graph.AddComment("202_5_77", time.Now())
	deliver(t, p.running, fbComment("202_5_77", "Waited 3 weeks for a call back and the receptionist hung up on me", time.Now()))
	bustest.WaitFor(t, "the held message", func() bool { s, _ := p.outbox(t, "202_5_77"); return s == "held" })
	var id string
	if err := p.db.Get(&id, `SELECT id FROM items WHERE source_id = '202_5_77'`); err != nil {
		t.Fatal(err)
	}
	pm := signInManager(t, p.running, "trent-meadows-stretton", "pm@trent.example")
	if status, body := pm.get("/inbox/items/" + id); status != http.StatusOK || !strings.Contains(body, "Held until a person confirms") {
		t.Fatalf("item page %d without the held message", status)
	}
	if status, body := pm.post("/inbox/items/"+id+"/decision", url.Values{"decision": {"confirm"}}); status != http.StatusOK || !strings.Contains(body, "confirmed") {
		t.Fatalf("confirm ended on %d", status)
	}
	bustest.WaitFor(t, "the private reply", func() bool { return len(p.graph.Sent()) == 1 })
	bustest.WaitFor(t, "the message recorded sent", func() bool { s, _ := p.outbox(t, "202_5_77"); return s == "sent" })
	var open []string
	_ = p.db.Select(&open, `SELECT kind FROM inbox_entries WHERE item_id = $1 AND state = 'open' ORDER BY kind`, id)
	if !slices.Contains(open, "delete_requested") || slices.Contains(open, "needs_review") {
		t.Errorf("open entries after confirming: %v, want delete_requested and no longer needs review", open)
	}
}

// A reply a Practice Manager approves on a Google review is posted by the notifier.
func TestAReplyApprovedInTheInboxIsPostedOnGoogle(t *testing.T) {
	tokens := filepath.Join(t.TempDir(), "google-tokens.json")
	if err := os.WriteFile(tokens, []byte(`{"trent-meadows-stretton": "`+gToken+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	p := withPlatformsAnd(t, map[string]string{"GOOGLE_PUSH_TOKEN": "push-token", "GOOGLE_TOKENS_FILE": tokens})
	name := "accounts/1000000002/locations/2000000003/reviews/inbox-1"
	p.google.AddReview(google.Review{Name: name, ReviewID: "inbox-1", Reviewer: "Pat", Stars: "5",
		Comment: "The nurse was kind and explained everything", CreatedAt: time.Now(), UpdatedAt: time.Now()})
	data, _ := json.Marshal(map[string]string{"type": google.TypeNewReview, "review": name, "location": "accounts/1000000002/locations/2000000003"})
	body, _ := json.Marshal(map[string]any{"message": map[string]string{"data": base64.StdEncoding.EncodeToString(data),
		"messageId": "m-1", "publishTime": time.Now().Format(time.RFC3339)}, "subscription": "projects/p/subscriptions/s"})
	resp, err := http.Post(p.URL()+"/webhooks/google?token=push-token", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var id string
	bustest.WaitFor(t, "the review's respond task", func() bool {
		return p.db.Get(&id, `SELECT i.id FROM items i JOIN inbox_entries e ON e.item_id = i.id WHERE i.source_id = $1 AND e.kind = 'respond'`, name) == nil
	})
	pm := signInManager(t, p.running, "trent-meadows-stretton", "pm@trent.example")
	pm.get("/inbox/items/" + id)
	if status, page := pm.post("/inbox/items/"+id+"/reply", url.Values{"body": {"Thank you, Pat. We will tell the nurse."}}); status != http.StatusOK || !strings.Contains(page, "posts it on Google") {
		t.Fatalf("approve ended on %d", status)
	}
	bustest.WaitFor(t, "the reply on Google", func() bool { return len(p.google.Replies()) == 1 })
	if r := p.google.Replies()[0]; r.Comment != "Thank you, Pat. We will tell the nurse." {
		t.Errorf("reply %+v", r)
	}
	bustest.WaitFor(t, "the page to show it posted", func() bool {
		_, page := pm.get("/inbox/items/" + id)
		return strings.Contains(page, "Posted on Google")
	})
}
