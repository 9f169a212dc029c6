package main

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/signpost/signpost/shared/bustest"
)

// hostileText is what an attacker types into every free-text field: SQL injection, markup that
// runs script if shown unescaped, a template action, a text box breaker and non-ASCII.
const hostileText = `Robert'); DROP TABLE items;-- ' OR '1'='1 <script>alert("x")</script></textarea>` +
	`<img src=x onerror=alert(1)> {{.PracticeName}} ${7*7} é😡 waited two hours`

// hostileEmail is a valid address that carries SQL.
const hostileEmail = `o'brien'--+or'1'='1@example.org`

// TestHostileTextIsStoredVerbatimAndShownEscaped sends the hostile text through every way in,
// reads it back from Postgres byte for byte, and looks at the pages that show it.
func TestHostileTextIsStoredVerbatimAndShownEscaped(t *testing.T) {
	const intake = "hostile-intake-token-0123456789abcdef"
	s := startSystem(t, map[string]string{"FACEBOOK_APP_SECRET": fbSecret, "INGEST_API_TOKEN": intake})
	jsonOf := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	post := func(path, contentType, body string, header ...string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, s.URL()+path, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	staff := []string{"Authorization", "Bearer " + intake}
	for what, status := range map[string]int{
		"submission": post("/v1/submissions", "application/json", jsonOf(map[string]string{"practice": "charlton-medical-centre",
			"channel": "complaint_form", "text": hostileText, "email": hostileEmail, "submission_id": "hostile-api-1"})),
		"form": post("/practices/charlton-medical-centre/review", "application/x-www-form-urlencoded",
			url.Values{"text": {hostileText}, "email": {hostileEmail}, "submission_id": {"hostile-form-1"}}.Encode()),
		"third-party review": post("/v1/third-party-reviews", "application/json", jsonOf(map[string]string{
			"practice": "charlton-medical-centre", "site": "Rate'MyGP;--", "url": "https://example.org/r?id=1'--", "text": hostileText,
			"author": hostileText}), staff...),
		"paper card": post("/v1/practices/charlton-medical-centre/fft-cards", "text/csv", "date,answer,text,practice\n"+
			time.Now().Format("2006-01-02")+`,Poor,"`+strings.ReplaceAll(hostileText, `"`, `""`)+`",charlton-medical-centre`+"\n", staff...),
		// Postgres text cannot hold U+0000: it is dropped at intake rather than leaving an item
		// that can never be stored.
		"submission with a NUL": post("/v1/submissions", "application/json", `{"practice":"charlton-medical-centre",`+
			`"channel":"website_review","text":"nul\u0000byte, waited two hours","submission_id":"hostile-nul-1"}`),
	} {
		if status/100 != 2 && status != http.StatusSeeOther {
			t.Fatalf("%s: status %d", what, status)
		}
	}
	b, _ := json.Marshal(hostileText)
	deliver(t, s, fmt.Sprintf(`{"object":"page","entry":[{"id":"100000000000202","time":%d,"changes":[{"field":"feed","value":
	  {"item":"comment","verb":"add","post_id":"202_6","comment_id":"202_6_1","parent_id":"202_6","from":{"id":"96","name":%s},
	   "message":%s,"created_time":%d}}]}]}`, time.Now().Unix(), b, b, time.Now().Unix()))

	bustest.WaitFor(t, "six items decided", func() bool {
		var n int
		_ = s.db.Get(&n, `SELECT count(*) FROM items i JOIN decisions d ON d.item_id = i.id`)
		return n == 6
	})
	var rows []struct {
		Channel string `db:"channel"`
		Source  string `db:"source_id"`
		Body    string `db:"body"`
		Author  string `db:"author"`
		Email   string `db:"email"`
	}
	if err := s.db.Select(&rows, `SELECT channel, source_id, body, author, email FROM items ORDER BY channel`); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		switch {
		case r.Source == "hostile-nul-1":
			if r.Body != "nulbyte, waited two hours" {
				t.Errorf("the text with a NUL was stored as %q", r.Body)
			}
			continue
		case r.Body != hostileText:
			t.Errorf("%s text stored as %q", r.Channel, r.Body)
		}
		if (r.Channel == "facebook_comment" || r.Channel == "third_party_review") && r.Author != hostileText {
			t.Errorf("%s author stored as %q", r.Channel, r.Author)
		}
		if (r.Channel == "complaint_form" || r.Channel == "website_review") && r.Email != hostileEmail {
			t.Errorf("%s email stored as %q", r.Channel, r.Email)
		}
		if r.Channel == "third_party_review" && !strings.HasPrefix(r.Source, "Rate'MyGP;--:") {
			t.Errorf("third-party source stored as %q", r.Source)
		}
	}
	var tables int
	_ = s.db.Get(&tables, `SELECT count(*) FROM information_schema.tables WHERE table_name = 'items'`)
	if tables != 1 {
		t.Fatal("the items table is gone")
	}

	// The Practice Manager's item page shows it as text.
	var itemID string
	if err := s.db.Get(&itemID, `SELECT id FROM items WHERE source_id = 'hostile-api-1'`); err != nil {
		t.Fatal(err)
	}
	m := signInManager(t, s, "charlton-medical-centre", "hostile.manager@charlton.example")
	status, itemPage := m.get("/inbox/items/" + itemID)
	if status != http.StatusOK {
		t.Fatalf("item page: %d", status)
	}
	if strings.Contains(itemPage, `<script>alert("x")`) || strings.Contains(itemPage, "<img src=x") {
		t.Error("the inbox's item page shows the text as markup")
	}
	if !strings.Contains(html.UnescapeString(itemPage), hostileText) {
		t.Error("the inbox's item page does not show the text")
	}

	// A patient's form with a mistake comes back with the text in its box, inert, in a browser.
	ctx := browser(t)
	dialogs := make(chan string, 4)
	chromedp.ListenTarget(ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs <- d.Message
		}
	})
	var value, source string
	var live int
	if err := chromedp.Run(ctx,
		chromedp.Navigate(s.URL()+"/practices/charlton-medical-centre/complaint"),
		chromedp.SetValue(`#text`, hostileText, chromedp.ByQuery),
		chromedp.SendKeys(`#email`, `"><script>alert(3)</script>`, chromedp.ByQuery),
		chromedp.Click(`button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
		chromedp.Value(`#text`, &value, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('script, img, iframe, [onerror]').length`, &live),
		chromedp.OuterHTML(`html`, &source, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	if value != hostileText {
		t.Errorf("the text box holds %q, want the text as typed", value)
	}
	if live != 0 {
		t.Errorf("%d live elements came from what was typed", live)
	}
	if regexp.MustCompile(`<script|<img`).MatchString(source) {
		t.Error("the page source has markup from what was typed")
	}
	select {
	case msg := <-dialogs:
		t.Errorf("a script ran: dialog %q", msg)
	default:
	}
}
