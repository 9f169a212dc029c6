package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/signpost/signpost/services/inbox"
	"github.com/signpost/signpost/services/signpost/system"
	"github.com/signpost/signpost/shared/boot"
	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/bustest"
	"github.com/signpost/signpost/shared/event"
	"github.com/signpost/signpost/shared/storetest"
)

type running struct {
	*boot.System
	db   *sqlx.DB
	logs *syncBuffer
	// tokens are personal API tokens of each organisation's first administrator, for the item API.
	tokens map[string]string
}

// syncBuffer collects the running's logs so tests can search them.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startSystem(t *testing.T, extra map[string]string) running {
	t.Helper()
	db, dsn := storetest.New(t)
	env := map[string]string{
		"DATABASE_URL": dsn, "DATA_DIR": t.TempDir(), "HTTP_ADDR": "127.0.0.1:0",
		"BUS_RETRY_INTERVAL": "5ms", "BUS_REDELIVERY_DELAY": "200ms", "BUS_ACK_WAIT": "5s", "LOG_LEVEL": "debug",
	}
	if url := os.Getenv("NATS_URL"); url != "" {
		env["NATS_URL"], env["NATS_PREFIX"] = url, "e2e"+strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	}
	for k, v := range extra {
		env[k] = v
	}
	logs := &syncBuffer{}
	sys, tokens, err := system.Start(context.Background(), func(k string) string { return env[k] }, logs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := sys.Stop(context.Background()); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	if len(tokens.Administrators) != 2 {
		t.Fatalf("%d first administrators, want one per example organisation", len(tokens.Administrators))
	}
	r := running{System: sys, db: db, logs: logs, tokens: map[string]string{}}
	for _, c := range tokens.Administrators {
		token, err := inbox.IssueAPIToken(context.Background(), db, c.Email, "e2e")
		if err != nil {
			t.Fatal(err)
		}
		r.tokens[c.Organisation] = token
	}
	return r
}

func (s running) submit(t *testing.T, body string) string {
	t.Helper()
	resp, err := http.Post(s.URL()+"/v1/submissions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a struct {
		ItemID string `json:"item_id"`
	}
	if resp.StatusCode != http.StatusAccepted || json.NewDecoder(resp.Body).Decode(&a) != nil {
		t.Fatalf("submission answered %d", resp.StatusCode)
	}
	return a.ItemID
}

type itemView struct {
	Item struct {
		Channel string `json:"channel"`
		Text    string `json:"text"`
	} `json:"item"`
	Decision *struct {
		Route        string   `json:"route"`
		Flags        []string `json:"flags"`
		NeedsReview  bool     `json:"needs_review"`
		Reasons      []string `json:"reasons"`
		ModelVersion string   `json:"model_version"`
	} `json:"decision"`
	Actions struct {
		Inbox []struct {
			Kind           string `json:"kind"`
			SuggestedReply string `json:"suggested_reply"`
		} `json:"inbox"`
		Messages []struct {
			Medium, Recipient, State, Body string
		} `json:"messages"`
		ComplaintCase *struct {
			ReceivedOn    string `json:"received_on"`
			AcknowledgeBy string `json:"acknowledge_by"`
		} `json:"complaint_case"`
	} `json:"actions"`
}

func (s running) get(t *testing.T, org, id, bearer string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/v1/organisations/%s/items/%s", s.URL(), org, id), nil)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// itemWithActions waits until the item has its decision and actions stored.
func (s running) itemWithActions(t *testing.T, org, id string) itemView {
	t.Helper()
	var v itemView
	bustest.WaitFor(t, "item "+id+" with its actions", func() bool {
		status, body := s.get(t, org, id, s.tokens[org])
		v = itemView{}
		return status == http.StatusOK && json.Unmarshal(body, &v) == nil && v.Decision != nil && len(v.Actions.Inbox) > 0
	})
	return v
}

func TestWebsiteComplaintWithEmailGoesEndToEnd(t *testing.T) {
	s := startSystem(t, nil)
	id := s.submit(t, `{"practice":"charlton-medical-centre","channel":"website_review","text":"I waited two hours and the receptionist Zanzibarina was rude to me","email":"patient@example.org","submission_id":"e2e-complaint-1"}`)
	v := s.itemWithActions(t, "charlton-medical-centre", id)
	logs := s.logs.String()
	if !strings.Contains(logs, id) {
		t.Fatal("the logs do not mention the item at all; the confidentiality check below would prove nothing")
	}
	for _, secret := range []string{"Zanzibarina", "waited two hours", "patient@example.org", s.tokens["charlton-medical-centre"]} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs contain %q", secret)
		}
	}
	if v.Decision.Route != "complaint" || v.Decision.ModelVersion == "" || len(v.Decision.Reasons) == 0 {
		t.Errorf("decision %+v", v.Decision)
	}
	if len(v.Actions.Inbox) != 1 || v.Actions.Inbox[0].Kind != "signpost" || !strings.Contains(v.Actions.Inbox[0].SuggestedReply, "Complaints Procedure") {
		t.Errorf("inbox %+v, want one signpost task with a suggested reply", v.Actions.Inbox)
	}
	if len(v.Actions.Messages) != 1 || v.Actions.Messages[0].Medium != "email" || v.Actions.Messages[0].State != "pending" ||
		v.Actions.Messages[0].Recipient != "patient@example.org" ||
		!strings.Contains(v.Actions.Messages[0].Body, "https://www.charltonmedicalcentre.nhs.uk/complaints") {
		t.Errorf("messages %+v, want one pending email with the Complaints Procedure link", v.Actions.Messages)
	}
}

func TestEachWebsiteFormRoutesByPolicy(t *testing.T) {
	s := startSystem(t, nil)
	review := s.submit(t, `{"practice":"charlton-medical-centre","channel":"website_review","text":"Thank you, the nurse was so kind and helpful","rating":"5"}`)
	complaint := s.submit(t, `{"practice":"trent-meadows-medical-practice","channel":"complaint_form","text":"My referral letter was never sent","email":"p@example.org"}`)
	fft := s.submit(t, `{"practice":"stretton-medical-centre","channel":"fft_web","rating":"very_good","text":""}`)

	if v := s.itemWithActions(t, "charlton-medical-centre", review); v.Decision.Route != "official_review" || v.Actions.Inbox[0].Kind != "respond" {
		t.Errorf("website review: %+v", v)
	}
	v := s.itemWithActions(t, "trent-meadows-stretton", complaint)
	if v.Decision.Route != "complaint" || v.Actions.ComplaintCase == nil || len(v.Actions.Messages) != 0 {
		t.Fatalf("complaint form: %+v", v)
	}
	received, _ := time.Parse(time.DateOnly, v.Actions.ComplaintCase.ReceivedOn)
	due, _ := time.Parse(time.DateOnly, v.Actions.ComplaintCase.AcknowledgeBy)
	if days := due.Sub(received).Hours() / 24; days < 3 || days > 7 {
		t.Errorf("acknowledgement due %s for a complaint received %s", v.Actions.ComplaintCase.AcknowledgeBy, v.Actions.ComplaintCase.ReceivedOn)
	}
	if v := s.itemWithActions(t, "trent-meadows-stretton", fft); v.Decision.Route != "official_review" {
		t.Errorf("FFT answer without text: %+v", v.Decision)
	}
}

func TestSameSubmissionTwiceIsOneItemWithOneSetOfActions(t *testing.T) {
	s := startSystem(t, nil)
	body := `{"practice":"charlton-medical-centre","channel":"website_review","text":"Nobody called back about my blood results","email":"twice@example.org","submission_id":"e2e-twice-0001"}`
	id := s.submit(t, body)
	if again := s.submit(t, body); again != id {
		t.Fatalf("resubmission gave item %s, want %s", again, id)
	}
	s.itemWithActions(t, "charlton-medical-centre", id)
	before := s.rowCounts(t)
	if before["items"] != 1 || before["decisions"] != 1 || before["outbox"] != 1 {
		t.Fatalf("after a double submission: %v, want one item, one decision, one message", before)
	}

	// A redelivery after the stream's duplicate window has passed (a Facebook retry a day later):
	// the same event under a new message id, so only the database's keys can catch it.
	var stored struct {
		Data []byte
	}
	for _, m := range (bustest.NATS{Connect: s.Connect, Topology: s.Settings.Topology}).Messages(t, s.Settings.Topology.FeedbackStream()) {
		if strings.HasSuffix(m.Subject, event.Received) {
			stored.Data = m.Data
		}
	}
	nc, err := s.Connect("e2e-redeliver")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := bus.NewPublisher(nc, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	if err := pub.Publish(s.Settings.Topology.Subject(event.Received), bus.NewMessage(uuid.New(), stored.Data, "late-retry")); err != nil {
		t.Fatal(err)
	}
	// Wait until the classifier and notifier consumers have acknowledged everything in the stream.
	bustest.WaitFor(t, "the redelivery to be processed", func() bool {
		var n int
		_ = s.db.Get(&n, `SELECT count(*) FROM items`)
		return n == 1 && consumersIdle(t, s)
	})
	if after := s.rowCounts(t); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a late redelivery changed the rows: before %v, after %v", before, after)
	}
}

func (s running) rowCounts(t *testing.T) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, table := range []string{"items", "decisions", "inbox_entries", "outbox", "complaint_cases", "moderation_requests"} {
		var n int
		if err := s.db.Get(&n, `SELECT count(*) FROM `+table); err != nil {
			t.Fatal(err)
		}
		counts[table] = n
	}
	return counts
}

func consumersIdle(t *testing.T, s running) bool {
	nc, err := s.Connect("e2e-consumers")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := nc.JetStream()
	for _, name := range []string{"classifier.decide", "notifier.plan"} {
		info, err := js.ConsumerInfo(s.Settings.Topology.FeedbackStream(), s.Settings.Topology.Consumer(name))
		if err != nil || info.NumPending > 0 || info.NumAckPending > 0 || info.Delivered.Stream < 2 && name == "classifier.decide" {
			return false
		}
	}
	return true
}

func TestItemsAreSeenOnlyWithTheTokenAndInTheirOwnOrganisation(t *testing.T) {
	s := startSystem(t, nil)
	id := s.submit(t, `{"practice":"charlton-medical-centre","channel":"website_review","text":"Great service","rating":"5"}`)
	s.itemWithActions(t, "charlton-medical-centre", id)
	if status, _ := s.get(t, "charlton-medical-centre", id, ""); status != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", status)
	}
	if status, _ := s.get(t, "charlton-medical-centre", id, "wrong-token"); status != http.StatusUnauthorized {
		t.Errorf("wrong token: %d, want 401", status)
	}
	if status, body := s.get(t, "trent-meadows-stretton", id, s.tokens["charlton-medical-centre"]); status != http.StatusNotFound || strings.Contains(string(body), "Great service") {
		t.Errorf("another organisation's path: %d, want 404 and no text", status)
	}
	if status, _ := s.get(t, "charlton-medical-centre", "not-a-uuid", s.tokens["charlton-medical-centre"]); status != http.StatusBadRequest {
		t.Errorf("bad id: %d, want 400", status)
	}
}

func TestReadinessReportsDatabaseAndNATS(t *testing.T) {
	s := startSystem(t, nil)
	resp, err := http.Get(s.URL() + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&r)
	if resp.StatusCode != http.StatusOK || r["database"] != "ok" || r["nats"] != "ok" {
		t.Errorf("readyz %d %v", resp.StatusCode, r)
	}
}

func TestStartRefusesABrokenPolicyNamingThePlace(t *testing.T) {
	dir := t.TempDir()
	broken := `{"organisation": {"slug": "x", "name": "X"}, "practices": [], "complaints_procedure_url": "https://x.example",
	  "official_review_channels": [], "website_forms": ["complaint_form"], "moderation": {"auto_hide": false},
	  "review": {"min_confidence": 0.8}, "templates": {"respond": "a", "signpost": "b", "delete_request": "c", "complaint_email": "d"}}`
	if err := os.WriteFile(filepath.Join(dir, "x-surgery.json"), []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := system.Start(context.Background(), func(k string) string {
		return map[string]string{"POLICY_DIR": dir, "DATA_DIR": t.TempDir(), "HTTP_ADDR": "127.0.0.1:0"}[k]
	}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "x-surgery.json") || !strings.Contains(err.Error(), "/practices") {
		t.Errorf("error %v, want the file and /practices", err)
	}
}

func TestBadConfigurationNamesTheVariable(t *testing.T) {
	_, _, err := system.Start(context.Background(), func(k string) string {
		return map[string]string{"BUS_ATTEMPTS": "zero", "DATABASE_URL": "mysql://x", "LOG_FORMAT": "xml"}[k]
	}, io.Discard)
	for _, name := range []string{"BUS_ATTEMPTS", "DATABASE_URL", "LOG_FORMAT"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("error %v does not name %s", err, name)
		}
	}
}

func decode(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	_ = json.NewDecoder(resp.Body).Decode(v)
}

func TestMessagesCanBePreviewedBeforeSending(t *testing.T) {
	s := startSystem(t, nil)
	status, body := s.get(t, "trent-meadows-stretton", "x", s.tokens["trent-meadows-stretton"]) // warm-up: a bad id is 400, not a crash
	if status != http.StatusBadRequest {
		t.Fatalf("status %d: %s", status, body)
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL()+"/v1/organisations/trent-meadows-stretton/templates/delete_request/preview?practice=stretton-medical-centre", nil)
	req.Header.Set("Authorization", "Bearer "+s.tokens["trent-meadows-stretton"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var p struct{ Text string }
	decode(t, resp, &p)
	if resp.StatusCode != http.StatusOK || !strings.Contains(p.Text, "Stretton Medical Centre") || !strings.Contains(p.Text, "/complaints") {
		t.Errorf("preview %d %q", resp.StatusCode, p.Text)
	}
}
