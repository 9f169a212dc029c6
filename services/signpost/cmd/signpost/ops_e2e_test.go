package main

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/signpost/signpost/services/signpost/system"
	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/bustest"
	"github.com/signpost/signpost/shared/event"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/policy"
	"github.com/signpost/signpost/shared/storetest"
)

const opsToken = "ops-token-for-tests-0123456789abcdef"

const riverside = `{"organisation": {"slug": "riverside", "name": "Riverside Surgery"},
  "practices": [{"slug": "riverside-surgery", "name": "Riverside Surgery"}],
  "complaints_procedure_url": "https://riverside.example/complaints", "official_review_channels": ["website_review"],
  "website_forms": ["website_review", "complaint_form"], "moderation": {"auto_hide": false}, "review": {"min_confidence": 0.75},
  "templates": {"respond": "Thank you from {{.PracticeName}}", "signpost": "{{.ComplaintsProcedureURL}}",
                "delete_request": "{{.ComplaintsProcedureURL}}", "complaint_email": "{{.ComplaintsProcedureURL}}"}}`

func opsAPI(t *testing.T, method, url string, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+opsToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestAPoisonedMessageIsShownThenReplayedOnceTheFaultIsFixed(t *testing.T) {
	db, dsn := storetest.New(t)
	env := map[string]string{"DATABASE_URL": dsn, "DATA_DIR": t.TempDir(), "HTTP_ADDR": "127.0.0.1:0", "OPS_API_TOKEN": opsToken,
		"BUS_RETRY_INTERVAL": "5ms", "BUS_ATTEMPTS": "2", "LOG_LEVEL": "warn"}
	getenv := func(k string) string { return env[k] }
	sys, _, err := system.Start(context.Background(), getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}

	// An item for a practice no policy knows yet: the classifier cannot route it.
	it := feedback.Item{ID: feedback.ItemID("riverside", feedback.WebsiteReview, "r-1"), Organisation: "riverside",
		Practice: "riverside-surgery", Channel: feedback.WebsiteReview, SourceID: "r-1", Text: "Lovely team", WrittenAt: time.Now()}
	data, id, _ := event.NewReceived(it, "corr-riverside", time.Now())
	nc, _ := sys.Connect("test")
	pub, _ := bus.NewPublisher(nc, nil)
	if err := pub.Publish(sys.Settings.Topology.Subject(event.Received), bus.NewMessage(id, data, "corr-riverside")); err != nil {
		t.Fatal(err)
	}
	pub.Close()

	var list struct {
		DeadLetters []struct {
			Seq      uint64
			Reason   string
			Handler  string
			Attempts int
		} `json:"dead_letters"`
	}
	bustest.WaitFor(t, "the dead letter in the API", func() bool {
		status, body := opsAPI(t, http.MethodGet, sys.URL()+"/ops/api/dead-letters", "")
		return status == 200 && json.Unmarshal(body, &list) == nil && len(list.DeadLetters) == 1
	})
	dl := list.DeadLetters[0]
	if !strings.Contains(dl.Reason, "has no policy") || dl.Handler != "classifier.decide" || dl.Attempts != 1 {
		t.Errorf("dead letter %+v", dl)
	}
	req, _ := http.NewRequest(http.MethodGet, sys.URL()+"/ops/api/dead-letters", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the ops API without the operator token: %v %v", err, resp)
	} else {
		resp.Body.Close()
	}

	// The page, as an operator sees it in a browser.
	ctx := browser(t)
	var page string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(sys.URL()+"/ops/sign-in"),
		chromedp.SendKeys(`input[type=password]`, opsToken, chromedp.ByQuery),
		chromedp.Click(`button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`table`, chromedp.ByQuery),
		chromedp.Text(`body`, &page, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"FEEDBACK", "DEADLETTER", "classifier_decide", "has no policy"} {
		if !strings.Contains(page, want) {
			t.Errorf("the ops page does not show %q", want)
		}
	}
	if strings.Contains(page, "Lovely team") {
		t.Error("the ops page shows patient text")
	}

	// The fault is fixed: the organisation's policy is deployed and the running restarted.
	if err := sys.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_ = fs.WalkDir(policy.Examples(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			raw, _ := fs.ReadFile(policy.Examples(), p)
			_ = os.WriteFile(filepath.Join(dir, p), raw, 0o600)
		}
		return nil
	})
	if err := os.WriteFile(filepath.Join(dir, "riverside.json"), []byte(riverside), 0o600); err != nil {
		t.Fatal(err)
	}
	env["POLICY_DIR"] = dir
	sys, _, err = system.Start(context.Background(), getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer sys.Stop(context.Background())

	if status, body := opsAPI(t, http.MethodPost, sys.URL()+"/ops/api/dead-letters/"+strconv.FormatUint(dl.Seq, 10)+"/replay", `{}`); status != 422 {
		t.Errorf("replay without confirmation: %d %s", status, body)
	}
	if status, body := opsAPI(t, http.MethodPost, sys.URL()+"/ops/api/dead-letters/"+strconv.FormatUint(dl.Seq, 10)+"/replay", `{"confirm":true}`); status != 200 {
		t.Fatalf("replay: %d %s", status, body)
	}
	var n int
	bustest.WaitFor(t, "the replayed item decided", func() bool {
		_ = db.Get(&n, `SELECT count(*) FROM decisions WHERE item_id = $1`, it.ID)
		return n == 1
	})
	time.Sleep(300 * time.Millisecond)
	_ = db.Get(&n, `SELECT count(*) FROM inbox_entries WHERE item_id = $1`, it.ID)
	if n != 1 {
		t.Errorf("%d inbox entries after the replay, want exactly 1", n)
	}
	status, body := opsAPI(t, http.MethodGet, sys.URL()+"/ops/api/dead-letters", "")
	if status != 200 || !strings.Contains(string(body), `"dead_letters":[]`) && !strings.Contains(string(body), `"count":0`) {
		t.Errorf("after the replay: %d %s", status, body)
	}
}
