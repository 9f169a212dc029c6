package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/bustest"
	"github.com/signpost/signpost/shared/event"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/google"
)

// Canary markers: each stands for something that must never reach a log line, an error answer
// or /metrics. They are put wherever such things enter the system.
const (
	canaryText          = "Qzx7CanaryText"
	canaryName          = "Qzx7CanaryName"
	canaryEmail         = "qzx7canary.patient@example.org"
	canaryAppSecret     = "Qzx7CanaryFacebookAppSecret"
	canaryVerifyToken   = "Qzx7CanaryFacebookVerifyToken"
	canaryPushToken     = "Qzx7CanaryGooglePushToken"
	canaryIntakeToken   = "Qzx7CanaryIntakeToken0123456789abcdef"
	canaryOpsToken      = "Qzx7CanaryOpsToken0123456789abcdefghij"
	canaryNotReviewName = "Qzx7CanaryUnknownReview"
)

// exchange is one request the canary made and what came back.
type exchange struct {
	what   string
	status int
	header http.Header
	body   string
}

// canaryClient makes requests as the outside world does and keeps every answer.
type canaryClient struct {
	t         *testing.T
	base      string
	http      *http.Client
	exchanges []exchange
}

func (c *canaryClient) do(what string, req *http.Request) exchange {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s: %v", what, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	e := exchange{what: what, status: resp.StatusCode, header: resp.Header, body: string(b)}
	c.exchanges = append(c.exchanges, e)
	return e
}

func (c *canaryClient) post(what, path, contentType, body string, header ...string) exchange {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(what, req)
}

func (c *canaryClient) get(what, path string, header ...string) exchange {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(what, req)
}

func (c *canaryClient) expect(e exchange, status int) {
	c.t.Helper()
	if e.status != status {
		c.t.Fatalf("%s: status %d, want %d: %s", e.what, e.status, status, e.body)
	}
}

var formFields = regexp.MustCompile(`(?s)<textarea[^>]*>.*?</textarea>|<input[^>]*>`)

// TestCanaryMarkersReachNoLogErrorAnswerOrMetric runs the whole flow, through every way in, with
// canary markers in patient text, names, email addresses, every secret and token and the inbox's
// session, including requests that are refused and a message that is dead-lettered; then it
// searches every log line (at trace level), every error answer and /metrics for the markers.
func TestCanaryMarkersReachNoLogErrorAnswerOrMetric(t *testing.T) {
	tokens := filepath.Join(t.TempDir(), "google-tokens.json")
	if err := os.WriteFile(tokens, []byte(`{"trent-meadows-stretton":"`+gToken+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	p := withPlatformsAnd(t, map[string]string{"LOG_LEVEL": "trace", "FACEBOOK_APP_SECRET": canaryAppSecret,
		"FACEBOOK_VERIFY_TOKEN": canaryVerifyToken, "GOOGLE_PUSH_TOKEN": canaryPushToken, "GOOGLE_TOKENS_FILE": tokens,
		"INGEST_API_TOKEN": canaryIntakeToken, "OPS_API_TOKEN": canaryOpsToken})
	c := &canaryClient{t: t, base: p.URL(), http: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
	text := func(where string) string { return "I waited two hours and nobody told me why " + canaryText + where }
	jsonOf := func(v any) string { b, _ := json.Marshal(v); return string(b) }

	// Website submissions, accepted and refused.
	c.expect(c.post("submission", "/v1/submissions", "application/json", jsonOf(map[string]string{"practice": "charlton-medical-centre",
		"channel": "website_review", "text": text("-api"), "email": canaryEmail, "submission_id": "canary-api-0001"})), http.StatusAccepted)
	for what, body := range map[string]string{
		"submission with a bad email": jsonOf(map[string]string{"practice": "charlton-medical-centre", "channel": "complaint_form",
			"text": text("-bad-email"), "email": canaryName + "-not-an-address"}),
		"submission with an unknown field": `{"practice":"charlton-medical-centre","channel":"website_review","text":"` + text("-field") +
			`","nhs_number":"` + canaryEmail + `"}`,
		"submission with text of the wrong type": `{"practice":"charlton-medical-centre","channel":"website_review","text":["` + text("-type") + `"]}`,
		"submission for an unknown practice":     jsonOf(map[string]string{"practice": "no-such-practice", "channel": "website_review", "text": text("-practice")}),
		"submission over the size limit": `{"practice":"charlton-medical-centre","channel":"website_review","text":"` +
			strings.Repeat(canaryText+" ", 8000) + `"}`,
		"submission that is not JSON": `{"text":"` + text("-broken") + `", "email":"` + canaryEmail,
	} {
		if e := c.post(what, "/v1/submissions", "application/json", body); e.status < 400 {
			t.Fatalf("%s: status %d", what, e.status)
		}
	}

	// The patient forms: one sent, one with a mistake shown again.
	c.expect(c.post("review form", "/practices/charlton-medical-centre/review", "application/x-www-form-urlencoded",
		url.Values{"text": {text("-form")}, "email": {canaryEmail}, "rating": {"1"}}.Encode()), http.StatusSeeOther)
	shownAgain := c.post("review form with a mistake", "/practices/charlton-medical-centre/review", "application/x-www-form-urlencoded",
		url.Values{"text": {text("-form-again")}, "email": {canaryName + " not an address"}}.Encode())
	c.expect(shownAgain, http.StatusUnprocessableEntity)
	if outside := formFields.ReplaceAllString(shownAgain.body, ""); strings.Contains(outside, canaryText) || strings.Contains(outside, canaryName) {
		t.Error("the form shown again repeats what was typed outside its own fields")
	}
	if !strings.Contains(shownAgain.body, canaryText) {
		t.Error("the form shown again lost what the patient wrote")
	}

	// Facebook: the handshake, a signed delivery, a forged one and a signed one that is not JSON.
	c.expect(c.get("Facebook handshake", "/webhooks/facebook?hub.mode=subscribe&hub.challenge=42&hub.verify_token="+canaryVerifyToken), http.StatusOK)
	c.expect(c.get("Facebook handshake with a guess", "/webhooks/facebook?hub.mode=subscribe&hub.challenge=42&hub.verify_token="+canaryName), http.StatusForbidden)
	p.graph.AddComment("202_8_1", time.Now().Add(-time.Hour))
	b, _ := json.Marshal(text("-facebook"))
	delivery := fmt.Sprintf(`{"object":"page","entry":[{"id":"100000000000202","time":%d,"changes":[{"field":"feed","value":
	  {"item":"comment","verb":"add","post_id":"202_8","comment_id":"202_8_1","parent_id":"202_8","from":{"id":"93","name":%q},
	   "message":%s,"created_time":%d}}]}]}`, time.Now().Unix(), canaryName, b, time.Now().Add(-time.Hour).Unix())
	c.expect(c.post("Facebook delivery", "/webhooks/facebook", "application/json", delivery,
		"X-Hub-Signature-256", sign(canaryAppSecret, delivery)), http.StatusOK)
	c.expect(c.post("forged Facebook delivery", "/webhooks/facebook", "application/json", delivery,
		"X-Hub-Signature-256", sign(canaryName, delivery)), http.StatusUnauthorized)
	notJSON := `{"object":"page","entry":[` + string(b)
	c.expect(c.post("signed Facebook delivery that is not JSON", "/webhooks/facebook", "application/json", notJSON,
		"X-Hub-Signature-256", sign(canaryAppSecret, notJSON)), http.StatusBadRequest)

	// Google: a review fetched with the organisation's token, a push with a guessed token, and a
	// push naming a review Google does not have.
	review := "accounts/1000000002/locations/2000000003/reviews/canary-1"
	p.google.AddReview(google.Review{Name: review, ReviewID: "canary-1", Reviewer: canaryName, Stars: "1", Comment: text("-google"),
		CreatedAt: time.Now().Add(-time.Hour), UpdatedAt: time.Now().Add(-time.Hour)})
	pushFor := func(name string) string {
		data, _ := json.Marshal(map[string]string{"type": google.TypeNewReview, "review": name, "location": "accounts/1000000002/locations/2000000003"})
		return jsonOf(map[string]any{"message": map[string]string{"data": base64.StdEncoding.EncodeToString(data), "messageId": "c-" + name}})
	}
	c.expect(c.post("Google push", "/webhooks/google?token="+canaryPushToken, "application/json", pushFor(review)), http.StatusNoContent)
	c.expect(c.post("Google push with a guessed token", "/webhooks/google?token="+canaryName, "application/json", pushFor(review)), http.StatusUnauthorized)
	p.google.FailNext(1, http.StatusInternalServerError)
	c.expect(c.post("Google push while Google fails", "/webhooks/google", "application/json",
		pushFor("accounts/1000000002/locations/2000000003/reviews/"+canaryNotReviewName), "Authorization", "Bearer "+canaryPushToken),
		http.StatusServiceUnavailable)

	// Staff intake: a review from another site, and paper cards with a bad row.
	staff := []string{"Authorization", "Bearer " + canaryIntakeToken}
	c.expect(c.post("third-party review", "/v1/third-party-reviews", "application/json", jsonOf(map[string]string{
		"practice": "charlton-medical-centre", "site": "NHS website", "url": "https://example.org/r/canary", "text": text("-other-site"),
		"author": canaryName}), staff...), http.StatusAccepted)
	c.expect(c.post("third-party review with a guessed token", "/v1/third-party-reviews", "application/json", "{}",
		"Authorization", "Bearer "+canaryName), http.StatusUnauthorized)
	today := time.Now().Format("2006-01-02")
	c.expect(c.post("paper cards with a bad row", "/v1/practices/charlton-medical-centre/fft-cards", "text/csv",
		"date,answer,text,practice\n"+today+",Brilliant,"+text("-card")+",charlton-medical-centre\n", staff...), http.StatusUnprocessableEntity)

	// A message no handler can process ends in the dead-letter stream; operators list it.
	poison := feedback.Item{ID: feedback.ItemID("riverside", feedback.WebsiteReview, "canary-poison"), Organisation: "riverside",
		Practice: "riverside-surgery", Channel: feedback.WebsiteReview, SourceID: "canary-poison", Text: text("-poison"),
		Email: canaryEmail, Author: canaryName, WrittenAt: time.Now()}
	data, id, err := event.NewReceived(poison, "corr-canary", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	nc, err := p.Connect("canary")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := bus.NewPublisher(nc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := pub.Publish(p.Settings.Topology.Subject(event.Received), bus.NewMessage(id, data, "corr-canary")); err != nil {
		t.Fatal(err)
	}
	_ = pub.Close()
	bustest.WaitFor(t, "the dead letter", func() bool {
		e := c.get("dead letters", "/ops/api/dead-letters", "Authorization", "Bearer "+canaryOpsToken)
		return e.status == http.StatusOK && strings.Contains(e.body, "riverside")
	})
	c.expect(c.get("dead letters with a guessed token", "/ops/api/dead-letters", "Authorization", "Bearer "+canaryName), http.StatusUnauthorized)

	// Everything arrives where it should: the markers did travel through the system.
	bustest.WaitFor(t, "every message to a patient sent", func() bool {
		var messages, done int
		_ = p.db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE state IN ('sent', 'failed', 'cancelled')) FROM outbox`).Scan(&messages, &done)
		return messages >= 2 && done == messages && len(p.graph.Sent()) == 1 && len(p.notify.Sent()) >= 1
	})
	for _, e := range p.notify.Sent() {
		if e.To != canaryEmail {
			t.Errorf("an email went to %q", e.To)
		}
	}
	var stored int
	bustest.WaitFor(t, "the five items with the text", func() bool {
		_ = p.db.Get(&stored, `SELECT count(*) FROM items WHERE strpos(body, $1) > 0`, canaryText)
		return stored == 5
	})

	// The inbox: a Practice Manager signs in and opens an item; the item API is asked with a
	// token of the wrong organisation and with a guessed one.
	var itemID string
	if err := p.db.Get(&itemID, `SELECT id FROM items WHERE source_id = 'canary-api-0001'`); err != nil {
		t.Fatal(err)
	}
	m := signInManager(t, p.running, "charlton-medical-centre", "canary.manager@charlton.example")
	if status, page := m.get("/inbox/items/" + itemID); status != http.StatusOK || !strings.Contains(page, canaryText) {
		t.Fatalf("the item page: %d", status)
	}
	var session []string
	for _, ck := range m.client.Jar.(*cookiejar.Jar).Cookies(mustURL(t, p.URL()+"/inbox/")) {
		session = append(session, ck.Value)
	}
	if len(session) == 0 {
		t.Fatal("no session cookie after signing in")
	}
	c.get("item API with another organisation's token", "/v1/organisations/charlton-medical-centre/items/"+itemID,
		"Authorization", "Bearer "+p.tokens["trent-meadows-stretton"])
	c.expect(c.get("item API with a guessed token", "/v1/organisations/charlton-medical-centre/items/"+itemID,
		"Authorization", "Bearer "+canaryName), http.StatusUnauthorized)

	metrics := c.get("metrics", "/metrics")
	c.expect(metrics, http.StatusOK)
	if !strings.Contains(metrics.body, `signpost_items_received_total{channel="google_review"} 1`) {
		t.Error("/metrics does not count the items: the search below would prove little")
	}
	logs := p.logs.String()
	if lines := strings.Count(logs, "\n"); !strings.Contains(logs, itemID) || lines < 20 {
		t.Fatalf("%d log lines, the item's id in them: %v: the search below would prove little", lines, strings.Contains(logs, itemID))
	}

	markers := map[string]string{
		"patient text": canaryText, "a patient's name": canaryName, "a patient's email address": canaryEmail,
		"the Facebook app secret": canaryAppSecret, "the Facebook verify token": canaryVerifyToken,
		"the Google push token": canaryPushToken, "the intake token": canaryIntakeToken, "the operators' token": canaryOpsToken,
		"Google's access token": gToken, "the Facebook page token": pageToken, "the Notify API key": notifyKey[len(notifyKey)-36:],
		"the Practice Manager's password": pmPassword, "a personal API token": p.tokens["charlton-medical-centre"],
		"a review name Google does not have": canaryNotReviewName,
	}
	for i, s := range session {
		markers[fmt.Sprintf("session cookie %d", i+1)] = s
	}
	places := map[string]string{"the logs": logs, "/metrics": metrics.body}
	refusals := 0
	for _, e := range c.exchanges {
		if e.status >= 400 && e.what != shownAgain.what {
			refusals++
			places["the "+e.what+" answer ("+fmt.Sprint(e.status)+")"] = e.body + fmt.Sprint(e.header)
		}
	}
	if refusals < 15 {
		t.Fatalf("only %d error answers: the search would prove little", refusals)
	}
	for where, content := range places {
		lower := strings.ToLower(content)
		for what, marker := range markers {
			if marker != "" && strings.Contains(lower, strings.ToLower(marker)) {
				t.Errorf("%s contain %s", where, what)
			}
		}
	}
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// sign is the X-Hub-Signature-256 value Meta sends with body.
func sign(secret, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(body))
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}
