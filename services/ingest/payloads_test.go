package ingest_test

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/services/ingest/internal/facebook"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/google"
)

// hostile is what an attacker types into every free-text field: SQL injection, markup that runs
// script if shown unescaped, a template action, a form field breaker and non-ASCII.
const hostile = `Robert'); DROP TABLE items;-- ' OR '1'='1 <script>alert("x")</script></textarea>` +
	`<img src=x onerror=alert(1)> {{.PracticeName}} ${7*7} é😡`

// hostileEmail is a valid address that carries SQL.
const hostileEmail = `o'brien'--+or'1'='1@example.org`

// TestHostileTextIsTakenInVerbatim sends the hostile text in every free-text field of every
// channel and finds it, byte for byte, in what is published.
func TestHostileTextIsTakenInVerbatim(t *testing.T) {
	srv, n, fake := serverWithGoogle(t)
	js, _ := json.Marshal(map[string]string{"practice": "charlton-medical-centre", "channel": "complaint_form",
		"text": hostile, "email": hostileEmail})
	if resp := post(t, srv.URL, "application/json", string(js)); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("submission: %d", resp.StatusCode)
	}

	form := url.Values{"text": {hostile}, "email": {hostileEmail}, "rating": {"1"}, "submission_id": {"hostile-form-0001"}}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(srv.URL+"/practices/charlton-medical-centre/review", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("form: %d", resp.StatusCode)
	}

	msg, _ := json.Marshal(hostile)
	fb := `{"object":"page","entry":[{"id":"` + trentPage + `","time":1763719200,"changes":[{"field":"feed","value":
	  {"item":"comment","verb":"add","post_id":"202_7","comment_id":"202_7_1","parent_id":"202_7",
	   "from":{"id":"9007","name":` + string(msg) + `},"message":` + string(msg) + `,"created_time":1763719100}}]}]}`
	if resp := postDelivery(t, srv.URL, fb, map[string]string{facebook.SignatureHeader: facebook.Sign([]byte(appSecret), []byte(fb))}); resp.StatusCode != http.StatusOK {
		t.Fatalf("Facebook: %d", resp.StatusCode)
	}

	review := "accounts/1000000002/locations/2000000003/reviews/hostile-1"
	fake.AddReview(google.Review{Name: review, ReviewID: "hostile-1", Reviewer: hostile, Stars: "1", Comment: hostile,
		CreatedAt: time.Now().Add(-time.Hour), UpdatedAt: time.Now().Add(-time.Hour)})
	if status := push(t, srv.URL, pushToken, google.TypeNewReview, review); status != http.StatusNoContent {
		t.Fatalf("Google: %d", status)
	}

	staff := func(path, contentType, body string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", "Bearer "+intakeToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
	}
	js, _ = json.Marshal(map[string]string{"practice": "charlton-medical-centre", "site": "<b>Rate'MyGP</b>;--",
		"url": "https://example.org/r?id=1'%20OR%20'1'='1", "text": hostile, "author": hostile})
	staff("/v1/third-party-reviews", "application/json", string(js))
	staff("/v1/practices/charlton-medical-centre/fft-cards", "text/csv", "date,answer,text,practice\n"+
		time.Now().Format("2006-01-02")+`,Poor,"`+strings.ReplaceAll(hostile, `"`, `""`)+`",charlton-medical-centre`+"\n")

	items, _ := published(t, n)
	byChannel := map[feedback.Channel]feedback.Item{}
	for _, it := range items {
		byChannel[it.Channel] = it
	}
	for _, c := range []struct {
		channel feedback.Channel
		field   string
		got     func(feedback.Item) string
		want    string
	}{
		{feedback.ComplaintForm, "text", func(i feedback.Item) string { return i.Text }, hostile},
		{feedback.ComplaintForm, "email", func(i feedback.Item) string { return i.Email }, hostileEmail},
		{feedback.WebsiteReview, "text", func(i feedback.Item) string { return i.Text }, hostile},
		{feedback.WebsiteReview, "email", func(i feedback.Item) string { return i.Email }, hostileEmail},
		{feedback.FacebookComment, "message", func(i feedback.Item) string { return i.Text }, hostile},
		{feedback.FacebookComment, "author", func(i feedback.Item) string { return i.Author }, hostile},
		{feedback.GoogleReview, "comment", func(i feedback.Item) string { return i.Text }, hostile},
		{feedback.GoogleReview, "reviewer", func(i feedback.Item) string { return i.Author }, hostile},
		{feedback.ThirdPartyReview, "text", func(i feedback.Item) string { return i.Text }, hostile},
		{feedback.ThirdPartyReview, "author", func(i feedback.Item) string { return i.Author }, hostile},
		{feedback.ThirdPartyReview, "site", func(i feedback.Item) string { return strings.Split(i.SourceID, ":")[0] }, "<b>Rate'MyGP</b>;--"},
		{feedback.FFTPaper, "text", func(i feedback.Item) string { return i.Text }, hostile},
	} {
		it, ok := byChannel[c.channel]
		if !ok {
			t.Errorf("nothing published for %s", c.channel)
			continue
		}
		if got := c.got(it); got != c.want {
			t.Errorf("%s %s published as %q, want %q", c.channel, c.field, got, c.want)
		}
	}
}

var textarea = regexp.MustCompile(`(?s)<textarea[^>]*>(.*?)</textarea>`)

// TestAFormShownAgainEscapesWhatWasTyped: a form with a mistake comes back with the hostile
// text in its text box, as text: no element of it is live on the page.
func TestAFormShownAgainEscapesWhatWasTyped(t *testing.T) {
	srv, _ := server(t)
	for _, form := range []string{"review", "complaint"} {
		resp, err := http.PostForm(srv.URL+"/practices/charlton-medical-centre/"+form,
			url.Values{"text": {hostile}, "email": {`"><script>alert(3)</script>@x`}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := string(b)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s: status %d", form, resp.StatusCode)
		}
		for _, live := range []string{"<script", "<img", "</textarea><"} {
			if strings.Contains(page, live) {
				t.Errorf("%s form: %q is live on the page", form, live)
			}
		}
		m := textarea.FindStringSubmatch(page)
		if m == nil || html.UnescapeString(m[1]) != hostile {
			t.Errorf("%s form: the text box holds %q, want the text as typed", form, m)
		}
		if !strings.Contains(page, html.EscapeString(`"><script>alert(3)</script>@x`)) &&
			!strings.Contains(page, "&#34;&gt;&lt;script&gt;alert(3)&lt;/script&gt;@x") {
			t.Errorf("%s form: the email field does not give back what was typed, escaped", form)
		}
	}
}

// TestANulCharacterIsDroppedAtIntake: Postgres text cannot hold U+0000, so an item carrying one
// would never be stored; intake publishes the text without it.
func TestANulCharacterIsDroppedAtIntake(t *testing.T) {
	srv, n := server(t)
	if resp := post(t, srv.URL, "application/json", `{"practice":"charlton-medical-centre","channel":"website_review",`+
		`"text":"nul\u0000byte","email":"a\u0000@example.org"}`); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an email address with a NUL: %d, want 422", resp.StatusCode)
	}
	if resp := post(t, srv.URL, "application/json", `{"practice":"charlton-medical-centre","channel":"website_review",`+
		`"text":"nul\u0000byte"}`); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("status %d", resp.StatusCode)
	}
	items, _ := published(t, n)
	if len(items) != 1 || items[0].Text != "nulbyte" {
		t.Errorf("published %+v", items)
	}
}
