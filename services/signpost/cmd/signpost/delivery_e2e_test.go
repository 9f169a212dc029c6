package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/services/notifier/platform/graph"
	"github.com/signpost/signpost/services/notifier/platform/notify"
	"github.com/signpost/signpost/shared/bustest"
	"github.com/signpost/signpost/shared/google"
	"github.com/signpost/signpost/shared/policy"
)

const (
	pageToken  = "trent-page-access-token"
	notifyKey  = "signpost_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"
	templateID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
	gToken     = "google-token-trent"
)

type platforms struct {
	running
	graph  *graph.Fake
	notify *notify.Fake
	google *google.Fake
}

// withPlatforms starts the running against local fakes of the Graph API, GOV.UK Notify and Google
// Business Profile, with both organisations' credentials.
func withPlatforms(t *testing.T) platforms { return withPlatformsAnd(t, nil) }

func withPlatformsAnd(t *testing.T, extra map[string]string) platforms {
	t.Helper()
	p := platforms{graph: &graph.Fake{Token: pageToken, PageID: "100000000000202"}, notify: &notify.Fake{APIKey: notifyKey},
		google: &google.Fake{Token: gToken}}
	p.notify.AddTemplate(templateID, "A message from your GP practice", "((body))")
	urls := map[string]string{}
	for name, h := range map[string]http.Handler{"graph": p.graph, "notify": p.notify, "google": p.google} {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		urls[name] = srv.URL
	}
	creds := map[string]map[string]string{}
	for _, org := range []string{"charlton-medical-centre", "trent-meadows-stretton"} {
		creds[org] = map[string]string{"facebook_page_access_token": pageToken, "notify_api_key": notifyKey,
			"notify_template_id": templateID, "google_access_token": gToken}
	}
	file := filepath.Join(t.TempDir(), "credentials.json")
	raw, _ := json.Marshal(creds)
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"FACEBOOK_APP_SECRET": fbSecret, "NOTIFIER_CREDENTIALS_FILE": file,
		"GRAPH_API_BASE_URL": urls["graph"], "NOTIFY_API_BASE_URL": urls["notify"], "GOOGLE_API_BASE_URL": urls["google"],
		"DELIVERY_POLL": "20ms", "DELIVERY_BACKOFF": "50ms"}
	for k, v := range extra {
		env[k] = v
	}
	p.running = startSystem(t, env)
	return p
}

func fbComment(id, message string, created time.Time) string {
	b, _ := json.Marshal(message)
	return fmt.Sprintf(`{"object":"page","entry":[{"id":"100000000000202","time":%d,"changes":[{"field":"feed","value":
	  {"item":"comment","verb":"add","post_id":"202_5","comment_id":%q,"parent_id":"202_5","from":{"id":"91","name":"Jo"},
	   "message":%s,"created_time":%d}}]}]}`, created.Unix(), id, b, created.Unix())
}

func (p platforms) outbox(t *testing.T, source string) (state, reason string) {
	t.Helper()
	_ = p.db.QueryRow(`SELECT o.state, o.state_reason FROM outbox o JOIN items i ON i.id = o.item_id WHERE i.source_id = $1`,
		source).Scan(&state, &reason)
	return state, reason
}

func TestASocialComplaintGetsOnePrivateReply(t *testing.T) {
	p := withPlatforms(t)
	p.graph.AddComment("202_5_1", time.Now().Add(-time.Hour))
	p.graph.FailNext(1, http.StatusInternalServerError, 0) // a 500, then success: sent once
	body := fbComment("202_5_1", "Three weeks and nobody has called me back about my results. Appalling.", time.Now().Add(-time.Hour))
	deliver(t, p.running, body)
	bustest.WaitFor(t, "the private reply", func() bool { s, _ := p.outbox(t, "202_5_1"); return s == "sent" })
	deliver(t, p.running, body) // Meta delivers it again
	time.Sleep(300 * time.Millisecond)
	sent := p.graph.Sent()
	if len(sent) != 1 || sent[0].CommentID != "202_5_1" || !strings.Contains(sent[0].Text, "delete your post") ||
		!strings.Contains(sent[0].Text, "/complaints") {
		t.Fatalf("private replies %+v, want one delete request to the comment", sent)
	}
	for _, r := range p.graph.Requests() {
		if strings.Contains(r.Path, "/comments") || strings.Contains(string(r.Body), "\"message\":\"") && !strings.Contains(r.Path, "/messages") {
			t.Errorf("a public reply was made: %s %s", r.Method, r.Path)
		}
	}
}

func TestACommentOlderThanSevenDaysGetsNoMessageAndTheReasonIsKept(t *testing.T) {
	p := withPlatforms(t)
	old := time.Now().Add(-8 * 24 * time.Hour)
	p.graph.AddComment("202_5_2", old)
	deliver(t, p.running, fbComment("202_5_2", "Waited 2 hours past my appointment and nobody told me why", old))
	var state, reason string
	bustest.WaitFor(t, "the outcome", func() bool { state, reason = p.outbox(t, "202_5_2"); return state == "failed" })
	if !strings.Contains(reason, "7 days") || len(p.graph.Sent()) != 0 {
		t.Errorf("reason %q, %d replies", reason, len(p.graph.Sent()))
	}
}

func TestConductOnTrentsPageIsHiddenAndSafeguardingSendsNothing(t *testing.T) {
	p := withPlatforms(t)
	p.graph.AddComment("202_5_3", time.Now())
	p.graph.AddComment("202_5_4", time.Now())
	deliver(t, p.running, fbComment("202_5_3", "Dr Whitmore is a useless f***ing idiot", time.Now()))
	deliver(t, p.running, fbComment("202_5_4", "Nobody rang back and honestly I don't want to be here any more, I can't go on", time.Now()))
	bustest.WaitFor(t, "the hide request", func() bool { return len(p.graph.Hidden()) == 1 })
	if p.graph.Hidden()[0] != "202_5_3" {
		t.Errorf("hidden %v", p.graph.Hidden())
	}
	var urgent int
	bustest.WaitFor(t, "the urgent alert", func() bool {
		_ = p.db.Get(&urgent, `SELECT count(*) FROM inbox_entries e JOIN items i ON i.id = e.item_id WHERE i.source_id = '202_5_4' AND e.kind = 'urgent'`)
		return urgent == 1
	})
	time.Sleep(300 * time.Millisecond)
	for _, r := range p.graph.Sent() {
		if r.CommentID == "202_5_4" {
			t.Error("an automated message went to a patient who may be at risk")
		}
	}
}

func TestAComplaintOnTheWebsiteWithAnEmailIsSignpostedByEmail(t *testing.T) {
	p := withPlatforms(t)
	p.notify.FailNext(1, http.StatusTooManyRequests, time.Second) // rate limited once: waits, then sends
	id := p.submit(t, `{"practice":"charlton-medical-centre","channel":"website_review","text":"I waited two hours and the receptionist was rude to me","email":"pat@example.org","submission_id":"e2e-email-0001"}`)
	bustest.WaitFor(t, "the email", func() bool { return len(p.notify.Sent()) == 1 })
	e := p.notify.Sent()[0]
	if e.To != "pat@example.org" || !strings.Contains(e.Body, "https://www.charltonmedicalcentre.nhs.uk/complaints") || e.Reference == "" {
		t.Errorf("email %+v", e)
	}
	reqs := p.notify.Requests()
	if len(reqs) != 2 {
		t.Errorf("%d requests to Notify, want the rate-limited one and the one that sent", len(reqs))
	}
	v := p.itemWithActions(t, "charlton-medical-centre", id)
	if v.Actions.Inbox[0].Kind != "signpost" {
		t.Errorf("inbox %+v", v.Actions.Inbox)
	}
}

func TestTheComplaintsProcedureContactsNobodyAutomatically(t *testing.T) {
	p := withPlatforms(t)
	id := p.submit(t, `{"practice":"trent-meadows-medical-practice","channel":"complaint_form","text":"My referral was never sent","email":"x@example.org"}`)
	if v := p.itemWithActions(t, "trent-meadows-stretton", id); v.Actions.ComplaintCase == nil {
		t.Fatal("no complaint case")
	}
	time.Sleep(300 * time.Millisecond)
	if len(p.notify.Sent())+len(p.graph.Sent()) != 0 {
		t.Error("the Complaints Procedure itself sent a patient message")
	}
}

func TestAnApprovedGoogleReplyIsPostedOnce(t *testing.T) {
	p := withPlatforms(t)
	name := "accounts/1000000002/locations/2000000002/reviews/r9"
	id := p.submit(t, `{"practice":"trent-meadows-medical-practice","channel":"fft_web","rating":"very_good","text":"Lovely team"}`)
	p.itemWithActions(t, "trent-meadows-stretton", id)
	// The inbox records a Practice Manager's approval like this (the inbox issue adds the page).
	if _, err := p.db.Exec(`INSERT INTO review_replies (id, item_id, organisation, review_name, body, approved_by)
		VALUES (gen_random_uuid(), $1, 'trent-meadows-stretton', $2, 'Thank you for your kind words', 'pm@trent.example')`, id, name); err != nil {
		t.Fatal(err)
	}
	p.google.AddReview(google.Review{Name: name, ReviewID: "r9", Stars: "5", CreatedAt: time.Now(), UpdatedAt: time.Now()})
	bustest.WaitFor(t, "the reply", func() bool { return len(p.google.Replies()) == 1 })
	var state string
	bustest.WaitFor(t, "the reply recorded", func() bool { return p.db.Get(&state, `SELECT state FROM review_replies`) == nil && state == "sent" })
}

func TestNothingReachesThePatientUntilAPersonConfirms(t *testing.T) {
	// The shipped policies, with a threshold no decision reaches: every decision needs review.
	dir := t.TempDir()
	entries, err := fs.ReadDir(policy.Examples(), ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		raw, _ := fs.ReadFile(policy.Examples(), e.Name())
		strict := strings.Replace(string(raw), `"min_confidence": 0.75`, `"min_confidence": 1`, 1)
		if err := os.WriteFile(filepath.Join(dir, e.Name()), []byte(strict), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p := withPlatformsAnd(t, map[string]string{"POLICY_DIR": dir})
	p.graph.AddComment("202_5_9", time.Now())
	deliver(t, p.running, fbComment("202_5_9", "Waited 3 weeks for a call back and the receptionist hung up on me", time.Now()))
	bustest.WaitFor(t, "the held message", func() bool { s, _ := p.outbox(t, "202_5_9"); return s == "held" })
	time.Sleep(300 * time.Millisecond)
	if len(p.graph.Sent()) != 0 {
		t.Error("a message went out before a person confirmed the decision")
	}
}
