package ops_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/signpost/signpost/services/ops"
)

// browser is an operator's browser: it keeps cookies and does not follow redirects by itself,
// so tests can see where each one leads.
type browser struct {
	srv    *httptest.Server
	client *http.Client
}

func newBrowser(t *testing.T, h *harness) *browser {
	t.Helper()
	srv := httptest.NewServer(h.mux)
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &browser{srv: srv, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(t *testing.T, method, path string, form url.Values) *http.Response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// get fetches a page and returns its HTML, failing unless it answers status.
func (b *browser) get(t *testing.T, path string, status int) string {
	t.Helper()
	resp := b.do(t, "GET", path, nil)
	return read(t, resp, status)
}

// post sends a form and returns where it redirected to, failing unless it answers status.
func (b *browser) post(t *testing.T, path string, form url.Values, status int) (string, string) {
	t.Helper()
	resp := b.do(t, "POST", path, form)
	return resp.Header.Get("Location"), read(t, resp, status)
}

func (b *browser) signIn(t *testing.T, tok string) {
	t.Helper()
	if loc, _ := b.post(t, "/ops/sign-in", url.Values{"token": {tok}}, http.StatusSeeOther); loc != "/ops" {
		t.Fatalf("sign-in redirected to %q", loc)
	}
}

func read(t *testing.T, resp *http.Response, status int) string {
	t.Helper()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d: %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, status, b)
	}
	return string(b)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

func csrf(t *testing.T, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in the page:\n%s", page)
	}
	return m[1]
}

func TestSignInWithTheWrongTokenIsRefused(t *testing.T) {
	h := newHarness(t)
	b := newBrowser(t, h)
	if loc := b.do(t, "GET", "/ops", nil).Header.Get("Location"); loc != "/ops/sign-in" {
		t.Fatalf("signed-out visit went to %q, want the sign-in page", loc)
	}
	form := b.get(t, "/ops/sign-in", http.StatusOK)
	if !strings.Contains(form, `<label for="token">`) || !strings.Contains(form, `id="token"`) {
		t.Fatal("the token field has no label")
	}
	resp := b.do(t, "POST", "/ops/sign-in", url.Values{"token": {"not-the-token"}})
	page := read(t, resp, http.StatusUnauthorized)
	if !strings.Contains(page, "not the operator token") || len(resp.Cookies()) != 0 {
		t.Fatal("a wrong token was not refused with a message, or got a cookie")
	}
	if loc := b.do(t, "GET", "/ops", nil).Header.Get("Location"); loc != "/ops/sign-in" {
		t.Fatal("the page opened after a refused sign-in")
	}
	if l := h.logs.find("sign-in"); len(l) != 1 || l[0].Fields["outcome"] != "refused" {
		t.Fatalf("log = %s", h.logs)
	}
}

func TestSignedInPageListsDeadLettersButNeverPayloads(t *testing.T) {
	h := newHarness(t)
	b := newBrowser(t, h)
	resp := b.do(t, "POST", "/ops/sign-in", url.Values{"token": {token}})
	read(t, resp, http.StatusSeeOther)
	cookies := resp.Cookies()
	if len(cookies) != 1 {
		t.Fatalf("cookies = %v", cookies)
	}
	c := cookies[0]
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/ops" || c.Secure ||
		c.Value == "" || strings.Contains(c.Value, token) {
		t.Fatalf("session cookie = %+v", c)
	}

	resp = b.do(t, "GET", "/ops", nil)
	page := read(t, resp, http.StatusOK)
	for _, want := range []string{"classifier model not loaded", "feedback.received", "classify",
		`href="/ops/dead-letters/7/replay"`, `href="/ops/dead-letters/7/discard"`, `href="/ops/dead-letters/replay-all"`,
		"Dead letters (2)", "<h1>", `lang="en-GB"`, `name="viewport"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "PATIENT-PAYLOAD") || strings.Contains(page, "943 476 5919") {
		t.Fatal("the page shows a payload")
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "style-src 'self'", "form-action 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if css := b.do(t, "GET", "/ops/ops.css", nil); css.Header.Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("stylesheet served as %q", css.Header.Get("Content-Type"))
	}
	confirm := b.get(t, "/ops/dead-letters/7/discard", http.StatusOK)
	if strings.Contains(confirm, "PATIENT-PAYLOAD") || !strings.Contains(confirm, "not shown because it is patient data") {
		t.Fatal("the confirmation page shows a payload")
	}
}

func TestSessionCookieIsSecureOverTLS(t *testing.T) {
	h := newHarness(t)
	req := httptest.NewRequest("POST", "https://ops.example/ops/sign-in", strings.NewReader("token="+token))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	h.mux.ServeHTTP(w, req)
	if c := w.Result().Cookies(); len(c) != 1 || !c[0].Secure {
		t.Fatalf("cookie over TLS = %+v", c)
	}
}

func TestAnotherProcessesCookieDoesNotSignIn(t *testing.T) {
	h := newHarness(t)
	other := newHarness(t) // same token, different per-process key
	b := newBrowser(t, other)
	b.signIn(t, token)
	u, _ := url.Parse(b.srv.URL + "/ops")
	stolen := b.client.Jar.Cookies(u)

	b2 := newBrowser(t, h)
	u2, _ := url.Parse(b2.srv.URL + "/ops")
	b2.client.Jar.SetCookies(u2, stolen)
	if loc := b2.do(t, "GET", "/ops", nil).Header.Get("Location"); loc != "/ops/sign-in" {
		t.Fatal("a cookie signed by another process opened the page")
	}
}

func TestReplayThroughTheConfirmationForm(t *testing.T) {
	h := newHarness(t)
	b := newBrowser(t, h)
	b.signIn(t, token)

	confirm := b.get(t, "/ops/dead-letters/7/replay", http.StatusOK)
	for _, want := range []string{"Replay dead letter 7?", "feedback.received", `action="/ops/dead-letters/7/replay"`, "Cancel"} {
		if !strings.Contains(confirm, want) {
			t.Errorf("confirmation page lacks %q", want)
		}
	}
	token := csrf(t, confirm)

	// Without the CSRF token, or with another, the POST is refused and nothing changes.
	for _, form := range []url.Values{{}, {"csrf": {"0123abcd"}}} {
		_, page := b.post(t, "/ops/dead-letters/7/replay", form, http.StatusForbidden)
		if !strings.Contains(page, "nothing was changed") {
			t.Errorf("403 page does not say nothing changed: %s", page)
		}
	}
	if !h.store.Has(7) || len(h.store.Republished()) != 0 {
		t.Fatal("a POST without the CSRF token replayed")
	}

	loc, _ := b.post(t, "/ops/dead-letters/7/replay", url.Values{"csrf": {token}}, http.StatusSeeOther)
	if loc != "/ops?flash=replayed&seq=7" {
		t.Fatalf("redirected to %q", loc)
	}
	if h.store.Has(7) || len(h.store.Republished()) != 1 {
		t.Fatal("the confirmed replay did not happen")
	}
	page := b.get(t, loc, http.StatusOK)
	if !strings.Contains(page, "Dead letter 7 was replayed") || strings.Contains(page, `href="/ops/dead-letters/7/replay"`) {
		t.Fatal("the page after replaying does not say so, or still lists it")
	}
	if l := h.logs.find("replay"); len(l) != 1 || l[0].Fields["via"] != "page" || l[0].Fields["outcome"] != "replayed" {
		t.Fatalf("log = %s", h.logs)
	}

	// Replaying it again (say from a second tab) says it has gone.
	loc, _ = b.post(t, "/ops/dead-letters/7/replay", url.Values{"csrf": {token}}, http.StatusSeeOther)
	if page := b.get(t, loc, http.StatusOK); !strings.Contains(page, "no longer in the dead-letter stream") {
		t.Fatal("a second replay does not say the dead letter has gone")
	}
}

func TestDiscardAndReplayAllThroughThePage(t *testing.T) {
	h := newHarness(t)
	h.store.Add(ops.DeadLetter{Seq: 11, Origin: "feedback.received", Handler: "classify", Reason: "timeout"}, []byte(payload))
	h.store.FailReplay(11, errors.New("nats: timeout"))
	b := newBrowser(t, h)
	b.signIn(t, token)

	tok := csrf(t, b.get(t, "/ops/dead-letters/9/discard", http.StatusOK))
	if loc, _ := b.post(t, "/ops/dead-letters/9/discard", url.Values{"csrf": {tok}}, http.StatusSeeOther); loc != "/ops?flash=discarded&seq=9" {
		t.Fatalf("discard redirected to %q", loc)
	}
	if h.store.Has(9) || len(h.store.Republished()) != 0 {
		t.Fatal("discard did not just remove it")
	}

	confirm := b.get(t, "/ops/dead-letters/replay-all", http.StatusOK)
	if !strings.Contains(confirm, "Replay all 2 dead letters?") {
		t.Fatalf("replay-all confirmation:\n%s", confirm)
	}
	// A dead letter that arrives after the operator looked is not part of what they confirmed.
	h.store.Add(ops.DeadLetter{Seq: 20, Origin: "feedback.received", Handler: "classify", Reason: "late"}, []byte(payload))
	if _, page := b.post(t, "/ops/dead-letters/replay-all", url.Values{"seq": {"7", "11"}}, http.StatusForbidden); page == "" {
		t.Fatal("replay-all without the CSRF token was not refused")
	}
	loc, _ := b.post(t, "/ops/dead-letters/replay-all", url.Values{"csrf": {csrf(t, confirm)}, "seq": {"7", "11"}}, http.StatusSeeOther)
	page := b.get(t, loc, http.StatusOK)
	if !strings.Contains(page, "Replayed 1 dead letter.") || !strings.Contains(page, "1 could not be replayed") {
		t.Fatalf("flash after replay-all:\n%s", page)
	}
	if h.store.Has(7) || !h.store.Has(11) || !h.store.Has(20) {
		t.Fatal("replay-all did not replay exactly what was confirmed")
	}
}

func TestSignOutNeedsTheFormAndEndsTheSession(t *testing.T) {
	h := newHarness(t)
	b := newBrowser(t, h)
	b.signIn(t, token)
	page := b.get(t, "/ops", http.StatusOK)
	b.post(t, "/ops/sign-out", url.Values{}, http.StatusForbidden)
	b.get(t, "/ops", http.StatusOK)
	loc, _ := b.post(t, "/ops/sign-out", url.Values{"csrf": {csrf(t, page)}}, http.StatusSeeOther)
	if !strings.Contains(b.get(t, loc, http.StatusOK), "You have signed out") {
		t.Fatal("no signed-out message")
	}
	if loc := b.do(t, "GET", "/ops", nil).Header.Get("Location"); loc != "/ops/sign-in" {
		t.Fatal("the page still opens after signing out")
	}
}

func TestFlashCannotCarryWordsFromALink(t *testing.T) {
	h := newHarness(t)
	b := newBrowser(t, h)
	b.signIn(t, token)
	page := b.get(t, "/ops?flash=Call+0800+now&seq=<b>1</b>", http.StatusOK)
	if strings.Contains(page, "0800") || strings.Contains(page, "<b>1") || strings.Contains(page, `class="flash`) {
		t.Fatal("words from the query string reached the page")
	}
}
