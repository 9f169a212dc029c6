package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/signpost/signpost/services/inbox"
	"github.com/signpost/signpost/shared/bustest"
)

const pmPassword = "a long practice manager password"

// TestAPracticeManagerWorksThroughTheInbox is the journey in headless Chromium: sign in,
// see a new complaint arrive without reloading, open it, approve a reply, correct the decision and
// see the actions change, sign out; the session is then dead on the server, and every view and
// action is in the audit log.
func TestAPracticeManagerWorksThroughTheInbox(t *testing.T) {
	// No delivery pass after start-up: the complaint's email waits, so the correction's effect on it is certain.
	s := startSystem(t, map[string]string{"DELIVERY_POLL": "1h"})
	if err := inbox.AddUser(context.Background(), s.db, "charlton-medical-centre", "pm@charlton.example", inbox.RoleManager, pmPassword); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			var rows []string
			_ = s.db.Select(&rows, `SELECT 'entry '||kind||' '||state FROM inbox_entries UNION ALL SELECT 'message '||medium||' '||state||' '||state_reason FROM outbox
				UNION ALL SELECT 'decision '||revision||' '||route FROM decisions`)
			var html string
			_ = chromedp.Run(ctx, chromedp.OuterHTML("#actions", &html, chromedp.ByQuery))
			t.Fatalf("%s: %v\nrows: %v\n%s", what, err, rows, html)
		}
	}
	var focused, heading string
	run("sign in",
		chromedp.EmulateViewport(375, 812), // a phone
		chromedp.Navigate(s.URL()+"/inbox"),
		chromedp.WaitVisible(`#email`, chromedp.ByQuery),
		chromedp.KeyEvent("\t"),
		chromedp.Evaluate(`document.activeElement.textContent`, &focused),
		chromedp.SendKeys(`#email`, "pm@charlton.example", chromedp.ByQuery),
		chromedp.SendKeys(`#password`, pmPassword, chromedp.ByQuery),
		chromedp.Click(`button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`nav.views-nav`, chromedp.ByQuery),
		chromedp.Navigate(s.URL()+"/inbox/views/complaints"),
		chromedp.WaitVisible(`body[data-live-state="open"]`, chromedp.ByQuery),
		chromedp.Text(`h1`, &heading, chromedp.ByQuery),
		chromedp.Evaluate(`window.notReloaded = true`, nil),
	)
	if focused != "Skip to main content" || !strings.HasPrefix(heading, "Complaints") {
		t.Errorf("first Tab focuses %q; heading %q", focused, heading)
	}
	assertFitsThePhone(t, ctx, "the complaints view")

	id := s.submit(t, `{"practice":"charlton-medical-centre","channel":"website_review","text":"I waited two hours and the receptionist was rude to me","email":"pat@example.org","submission_id":"inbox-browser-1"}`)
	var stillSamePage bool
	run("see the complaint arrive",
		chromedp.WaitVisible(`li.entry[data-item="`+id+`"]`, chromedp.ByQuery),
		chromedp.Evaluate(`window.notReloaded === true`, &stillSamePage),
	)
	if !stillSamePage {
		t.Error("the page reloaded to show the new complaint")
	}
	urgent := s.submit(t, `{"practice":"charlton-medical-centre","channel":"website_review","text":"Nobody rang back and honestly I don't want to be here any more, I can't go on","submission_id":"inbox-browser-2"}`)
	var alert string
	run("see an urgent item stand out",
		chromedp.WaitVisible(`#live-alert:not(:empty)`, chromedp.ByQuery),
		chromedp.Text(`#live-alert`, &alert, chromedp.ByQuery),
		chromedp.WaitVisible(`.views-nav a.has-urgent`, chromedp.ByQuery),
	)
	if !strings.Contains(alert, "urgent") {
		t.Errorf("the urgent alert says %q", alert)
	}

	var text, reply, flash string
	run("open the complaint and approve an edited reply",
		chromedp.Click(`li.entry[data-item="`+id+`"] a`, chromedp.ByQuery),
		chromedp.WaitVisible(`#item-text`, chromedp.ByQuery),
		chromedp.Text(`#item-text`, &text, chromedp.ByQuery),
		chromedp.Value(`#reply`, &reply, chromedp.ByQuery),
	)
	if text != "I waited two hours and the receptionist was rude to me" || !strings.Contains(reply, "Complaints Procedure") {
		t.Fatalf("item text %q, suggested reply %q", text, reply)
	}
	assertFitsThePhone(t, ctx, "the item page")
	run("approve the reply",
		chromedp.SetValue(`#reply`, reply+" We are sorry.", chromedp.ByQuery),
		chromedp.Click(`#approve-reply`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash[data-flash^="reply"]`, chromedp.ByQuery),
		chromedp.Text(`.flash`, &flash, chromedp.ByQuery),
		chromedp.WaitVisible(`#approved-reply`, chromedp.ByQuery),
	)
	if !strings.Contains(flash, "The reply was approved") {
		t.Errorf("after approving: %q", flash)
	}
	var approved string
	if err := s.db.Get(&approved, `SELECT body FROM reply_approvals WHERE item_id = $1`, id); err != nil || !strings.HasSuffix(approved, "We are sorry.") {
		t.Errorf("approved reply %q (%v)", approved, err)
	}

	var route string
	run("correct the decision and see the actions change",
		chromedp.Click(`#route-official_review`, chromedp.ByQuery),
		chromedp.Click(`#save-correction`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash[data-flash="corrected"]`, chromedp.ByQuery),
		chromedp.Text(`.flash`, &flash, chromedp.ByQuery),
		chromedp.WaitVisible(`tr[data-entry-kind="respond"][data-entry-state="open"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`tr[data-message="email"][data-message-state="cancelled"]`, chromedp.ByQuery),
		chromedp.Text(`#decision-route`, &route, chromedp.ByQuery),
	)
	if !strings.Contains(flash, "corrected") || route != "Official review" {
		t.Errorf("after correcting: %q, route %q", flash, route)
	}
	var example string
	if err := s.db.Get(&example, `SELECT route FROM decision_corrections WHERE item_id = $1 AND kind = 'corrected'`, id); err != nil || example != "official_review" {
		t.Errorf("labelled example %q (%v)", example, err)
	}

	cookies, err := getCookies(ctx)
	if err != nil || len(cookies) != 1 || !cookies[0].HTTPOnly || cookies[0].SameSite != network.CookieSameSiteStrict {
		t.Fatalf("cookies %+v (%v), want one HttpOnly SameSite=Strict session cookie", cookies, err)
	}
	var signedOut string
	run("sign out",
		chromedp.Click(`header form button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash[data-flash="signed-out"]`, chromedp.ByQuery),
		chromedp.Text(`.flash`, &signedOut, chromedp.ByQuery),
	)
	if signedOut != "You have signed out." {
		t.Errorf("after signing out: %q", signedOut)
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL()+"/inbox/items/"+id, nil)
	req.AddCookie(&http.Cookie{Name: cookies[0].Name, Value: cookies[0].Value})
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/inbox/sign-in") {
		t.Errorf("the signed-out session still opens the item: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	var trail []struct {
		Action string  `db:"action"`
		Item   *string `db:"item_id"`
	}
	bustest.WaitFor(t, "the audit trail", func() bool {
		return s.db.Select(&trail, `SELECT action, item_id::text FROM audit_log WHERE user_email = 'pm@charlton.example' ORDER BY id`) == nil
	})
	var got []string
	for _, a := range trail {
		if a.Item != nil && *a.Item != id {
			continue
		}
		got = append(got, a.Action)
	}
	want := "signed in,viewed item,approved reply,viewed item,corrected decision,viewed item,signed out"
	if strings.Join(got, ",") != want {
		t.Errorf("audit trail %v, want %s", got, want)
	}
	if n := s.db.QueryRow(`SELECT 1 FROM inbox_entries WHERE item_id = $1 AND kind = 'urgent'`, urgent).Scan(new(int)); n != nil {
		t.Errorf("the urgent alert came without an urgent entry for the item: %v", n)
	}
}

func getCookies(ctx context.Context) ([]*network.Cookie, error) {
	var out []*network.Cookie
	err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) (err error) {
		out, err = network.GetCookies().Do(ctx)
		return err
	}))
	return out, err
}

// assertFitsThePhone checks that the page needs no sideways scrolling at the phone's width.
func assertFitsThePhone(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	var overflow int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.documentElement.scrollWidth - window.innerWidth`, &overflow)); err != nil {
		t.Fatal(err)
	}
	if overflow > 0 {
		var wide string
		_ = chromedp.Run(ctx, chromedp.Evaluate(`Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > window.innerWidth).map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8).join(' ')`, &wide))
		t.Errorf("%s is %dpx wider than a 375px phone (%s)", page, overflow, wide)
	}
}
