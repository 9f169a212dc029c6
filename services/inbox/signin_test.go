package inbox_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/signpost/signpost/services/inbox"
)

func TestSignInStartsASessionAndSignOutEndsItOnTheServer(t *testing.T) {
	e := start(t)
	e.user(t, charlton, "pm@charlton.example", "manager")
	pm := e.person(t)
	if status, _, h := pm.get("/inbox/views/respond"); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/inbox/sign-in") {
		t.Fatalf("signed out, a view answered %d to %q", status, h.Get("Location"))
	}
	status, _, h := pm.post("/inbox/sign-in", url.Values{"email": {"PM@charlton.example"}, "password": {password}})
	cookie := h.Get("Set-Cookie")
	if status != http.StatusSeeOther || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Strict") {
		t.Fatalf("sign-in %d, cookie %q", status, cookie)
	}
	if status, body, _ := pm.get("/inbox/views/respond"); status != http.StatusOK || !strings.Contains(body, "pm@charlton.example") {
		t.Fatalf("signed in, the view answered %d", status)
	}
	u, _ := url.Parse(e.srv.URL)
	cookies := pm.client.Jar.Cookies(u) // the same cookie, kept elsewhere
	if len(cookies) != 1 {
		t.Fatalf("%d cookies", len(cookies))
	}
	if status, _, h := pm.post("/inbox/sign-out", nil); status != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "signed-out") {
		t.Fatalf("sign-out %d %q", status, h.Get("Location"))
	}
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/inbox/views/respond", nil)
	req.AddCookie(cookies[0])
	if status, _, _ := e.person(t).do(req); status != http.StatusSeeOther {
		t.Errorf("after sign-out, the old cookie still opens the inbox (%d)", status)
	}
	if n := count(t, e.db, `SELECT count(*) FROM sessions WHERE ended_at IS NOT NULL`); n != 1 {
		t.Errorf("%d ended sessions, want 1", n)
	}
	if strings.Contains(e.logs.String(), "pm@charlton.example") || strings.Contains(e.logs.String(), password) {
		t.Error("the logs contain the email address or the password")
	}
}

func TestSecureCookiesUnlessInsecureIsAllowed(t *testing.T) {
	e := start(t)
	e.user(t, charlton, "pm@charlton.example", "manager")
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/inbox/sign-in",
		strings.NewReader(url.Values{"email": {"pm@charlton.example"}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	c := resp.Header.Get("Set-Cookie")
	if !strings.HasPrefix(c, "__Host-signpost_inbox=") || !strings.Contains(c, "Secure") || !strings.Contains(c, "Path=/") {
		t.Errorf("over https the cookie is %q, want a Secure __Host- cookie", c)
	}
}

func TestFormsWithoutTheSessionsCSRFTokenAreRefused(t *testing.T) {
	e := start(t)
	e.user(t, charlton, "pm@charlton.example", "manager")
	id := e.store(t, item{org: charlton, practice: charlton, channel: "website_review", text: "Kind nurse", route: "official_review", kinds: []string{"respond"}, reply: "Thank you"})
	pm := e.person(t)
	pm.signIn("pm@charlton.example")
	for name, token := range map[string]string{"missing": "", "wrong": "not-the-token"} {
		status, body, _ := pm.post("/inbox/items/"+id.String()+"/handled", url.Values{"kind": {"respond"}, "csrf": {token}})
		if status != http.StatusForbidden || !strings.Contains(body, "nothing was changed") {
			t.Errorf("%s CSRF token: %d", name, status)
		}
	}
	other := e.person(t)
	e.user(t, charlton, "other@charlton.example", "manager")
	other.signIn("other@charlton.example")
	if status, _, _ := pm.post("/inbox/items/"+id.String()+"/handled", url.Values{"kind": {"respond"}, "csrf": {other.csrf}}); status != http.StatusForbidden {
		t.Errorf("another session's CSRF token: %d, want 403", status)
	}
	if n := count(t, e.db, `SELECT count(*) FROM inbox_entries WHERE state = 'handled'`); n != 0 {
		t.Fatalf("%d entries handled by refused forms", n)
	}
	// Signing out is a state change too: a forged sign-out is refused and the session lives on.
	if status, _, _ := pm.post("/inbox/sign-out", url.Values{"csrf": {"not-the-token"}}); status != http.StatusForbidden {
		t.Errorf("sign-out with a wrong CSRF token: %d, want 403", status)
	}
	// A form posted from another origin is refused before its token is looked at, sign-in
	// included (so no page elsewhere can sign the browser in to an account of its choosing).
	for _, path := range []string{"/inbox/items/" + id.String() + "/handled", "/inbox/sign-in"} {
		form := url.Values{"kind": {"respond"}, "csrf": {pm.csrf}, "email": {"other@charlton.example"}, "password": {password}}
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp, err := pm.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s from another site: %d, want 403", path, resp.StatusCode)
		}
	}
	if n := count(t, e.db, `SELECT count(*) FROM inbox_entries WHERE state = 'handled'`) + count(t, e.db, `SELECT count(*) FROM sessions WHERE ended_at IS NOT NULL`); n != 0 {
		t.Fatalf("%d entries handled or sessions ended by refused forms", n)
	}
	if status, _, _ := pm.post("/inbox/items/"+id.String()+"/handled", url.Values{"kind": {"respond"}}); status != http.StatusSeeOther {
		t.Errorf("with the session's token: %d, want 303", status)
	}
}

func TestFailedSignInsAreThrottledPerAccountAndPerClient(t *testing.T) {
	e := start(t)
	e.user(t, charlton, "pm@charlton.example", "manager")
	pm := e.person(t)
	wrong := url.Values{"email": {"pm@charlton.example"}, "password": {"not the password"}}
	for i := range 5 {
		if status, body, _ := pm.post("/inbox/sign-in", wrong); status != http.StatusUnauthorized || !strings.Contains(body, "not right") {
			t.Fatalf("attempt %d: %d", i+1, status)
		}
	}
	status, body, h := pm.post("/inbox/sign-in", url.Values{"email": {"pm@charlton.example"}, "password": {password}})
	if status != http.StatusTooManyRequests || !strings.Contains(body, "too many failed attempts") || h.Get("Retry-After") == "" {
		t.Fatalf("after 5 failures the right password answered %d (Retry-After %q)", status, h.Get("Retry-After"))
	}
	e.clock.Advance(16 * time.Minute)
	pm.signIn("pm@charlton.example")

	// One client trying many accounts is stopped too, whether or not the accounts exist.
	for i := range 20 {
		status, _, _ := pm.post("/inbox/sign-in", url.Values{"email": {"guess" + string(rune('a'+i)) + "@charlton.example"}, "password": {"x"}})
		if status != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i+1, status)
		}
	}
	if status, _, _ := pm.post("/inbox/sign-in", url.Values{"email": {"another@charlton.example"}, "password": {"x"}}); status != http.StatusTooManyRequests {
		t.Errorf("after 20 failures from one client: %d, want 429", status)
	}
}

func TestASessionEndsAfterTheIdleTimeout(t *testing.T) {
	e := start(t)
	e.user(t, charlton, "pm@charlton.example", "manager")
	pm := e.person(t)
	pm.signIn("pm@charlton.example")
	e.clock.Advance(25 * time.Minute)
	if status, _, _ := pm.get("/inbox/views/respond"); status != http.StatusOK {
		t.Fatalf("after 25 idle minutes: %d, want the page", status)
	}
	e.clock.Advance(25 * time.Minute) // 25 minutes after the last request: still within 30
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/inbox/views/respond", nil)
	req.Header.Set("X-Signpost-Live", "1") // the page refreshing itself is not activity
	if status, _, _ := pm.do(req); status != http.StatusOK {
		t.Fatalf("a live refresh: %d", status)
	}
	e.clock.Advance(6 * time.Minute) // 31 minutes after the last request by the person
	if status, _, h := pm.get("/inbox/views/respond"); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/inbox/sign-in") {
		t.Errorf("after 31 idle minutes: %d to %q, want sign-in", status, h.Get("Location"))
	}
}

// Wrong passwords sent all at once are counted one after another: no more of them are checked
// than the limit allows, however many arrive before the first is counted.
func TestWrongPasswordsSentAtOnceCannotOutrunTheThrottle(t *testing.T) {
	e := start(t)
	e.user(t, charlton, "pm@charlton.example", "manager")
	const attempts = 24
	statuses := make(chan int, attempts)
	var wg sync.WaitGroup
	for i := range attempts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"email": {"pm@charlton.example"}, "password": {fmt.Sprintf("guess number %d", i)}}
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/inbox/sign-in", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	got := map[int]int{}
	for s := range statuses {
		got[s]++
	}
	if got[http.StatusUnauthorized] != 5 || got[http.StatusTooManyRequests] != attempts-5 {
		t.Errorf("%d wrong passwords at once were answered %v: want 5 checked (401) and the rest refused (429)", attempts, got)
	}
}

// Behind a proxy, the client is the address the proxy saw (the last of X-Forwarded-For), not one
// the client wrote in front of it; and an IPv6 client is counted by its /64.
func TestAForgedForwardedForCannotDodgeTheClientThrottle(t *testing.T) {
	e := start(t, func(c *inbox.Config) { c.TrustProxy = true })
	e.user(t, charlton, "pm@charlton.example", "manager")
	signIn := func(email, pw, forwarded string) int {
		form := url.Values{"email": {email}, "password": {pw}}
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/inbox/sign-in", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", forwarded)
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for name, forwarded := range map[string]func(i int) string{
		"forged first address": func(i int) string { return fmt.Sprintf("198.51.100.%d, 203.0.113.7", i) },
		"addresses of one /64": func(i int) string { return fmt.Sprintf("2001:db8:1:2::%x", i+1) },
	} {
		for i := range 20 {
			if status := signIn(fmt.Sprintf("guess%d-%d@charlton.example", len(name), i), "x", forwarded(i)); status != http.StatusUnauthorized {
				t.Fatalf("%s: guess %d answered %d", name, i+1, status)
			}
		}
		if status := signIn("another@charlton.example", "x", forwarded(99)); status != http.StatusTooManyRequests {
			t.Errorf("%s: after 20 failures from one client: %d, want 429", name, status)
		}
	}
	if status := signIn("pm@charlton.example", password, "192.0.2.1, 203.0.113.8"); status != http.StatusSeeOther {
		t.Fatalf("sign-in from another client: %d", status)
	}
	var client string
	if err := e.db.Get(&client, `SELECT client FROM audit_log WHERE action = 'signed in'`); err != nil || client != "203.0.113.8" {
		t.Errorf("the audit log has the client %q (%v), want the address the proxy saw", client, err)
	}
}

// With secure cookies only the __Host- cookie is read: a cookie of the plain name, which a sibling
// site or a network attacker on plain http could have set, signs nobody in.
func TestOnlyTheHostCookieCountsWhenCookiesAreSecure(t *testing.T) {
	e := start(t, func(c *inbox.Config) { c.InsecureCookies = false })
	e.user(t, charlton, "pm@charlton.example", "manager")
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/inbox/sign-in",
		strings.NewReader(url.Values{"email": {"pm@charlton.example"}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var token string
	for _, c := range resp.Cookies() {
		if c.Name == "__Host-signpost_inbox" && c.Secure {
			token = c.Value
		}
	}
	if token == "" {
		t.Fatalf("sign-in set %q, want a Secure __Host- cookie", resp.Header.Get("Set-Cookie"))
	}
	for name, want := range map[string]int{"__Host-signpost_inbox": http.StatusOK, "signpost_inbox": http.StatusSeeOther} {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/inbox/views/respond", nil)
		req.AddCookie(&http.Cookie{Name: name, Value: token})
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("the session's token in a cookie named %s: %d, want %d", name, resp.StatusCode, want)
		}
	}
}

// After signing in, the browser goes only to a page of the inbox, whatever next says.
func TestSignInOnlyEverRedirectsWithinTheInbox(t *testing.T) {
	e := start(t)
	e.user(t, charlton, "pm@charlton.example", "manager")
	for next, want := range map[string]string{
		"/inbox/items/x?flash=reply": "/inbox/items/x?flash=reply",
		"https://evil.example/inbox": "/inbox", "//evil.example/inbox": "/inbox", "/\\evil.example": "/inbox",
		"/inbox\\@evil.example": "/inbox", "javascript:alert(1)": "/inbox", "/inbox/..//evil.example": "/evil.example",
		"/ops": "/inbox", "/inbox\r\nSet-Cookie: x=y": "/inbox",
	} {
		status, _, h := e.person(t).post("/inbox/sign-in", url.Values{"email": {"pm@charlton.example"}, "password": {password}, "next": {next}})
		if loc := h.Get("Location"); status != http.StatusSeeOther || loc != want {
			t.Errorf("next %q: %d to %q, want %q", next, status, loc, want)
		}
	}
}
