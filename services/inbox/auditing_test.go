package inbox_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// The page's own refresh (X-Signpost-Live) is not a new view of an item it already shows; but
// anyone can send the header, so a refresh without a recent view of the person's is recorded.
func TestALiveRefreshIsAuditedUnlessThePersonJustViewedTheItem(t *testing.T) {
	e := start(t)
	e.user(t, charlton, "pm@charlton.example", "manager")
	e.user(t, charlton, "other@charlton.example", "manager")
	id := e.store(t, item{org: charlton, practice: charlton, channel: "website_review", text: "Kind nurse", route: "official_review", kinds: []string{"respond"}})
	views := func(email string) int {
		return count(t, e.db, `SELECT count(*) FROM audit_log WHERE action = 'viewed item' AND item_id = $1 AND user_email = $2`, id, email)
	}
	refresh := func(p *person) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/inbox/items/"+id.String(), nil)
		req.Header.Set("X-Signpost-Live", "1")
		if status, body, _ := p.do(req); status != http.StatusOK || !strings.Contains(body, "Kind nurse") {
			t.Fatalf("live refresh: %d", status)
		}
	}
	pm := e.person(t)
	pm.signIn("pm@charlton.example")
	refresh(pm)
	if n := views("pm@charlton.example"); n != 1 {
		t.Errorf("an item read with the live header and no view before: %d views recorded, want 1", n)
	}
	refresh(pm)
	pm.get("/inbox/items/" + id.String())
	refresh(pm)
	if n := views("pm@charlton.example"); n != 2 {
		t.Errorf("after a refresh, a view and a refresh: %d views recorded, want 2 (refreshes of a page just viewed are not views)", n)
	}
	other := e.person(t)
	other.signIn("other@charlton.example")
	refresh(other)
	if n := views("other@charlton.example"); n != 1 {
		t.Errorf("another person's refresh: %d views recorded for them, want 1", n)
	}
}

// A request another site's page makes with the person's cookie (a sibling subdomain's <img> or
// <iframe>: SameSite=Strict does not stop those) neither shows nor records anything; the inbox's
// own links and typed addresses work.
func TestRequestsFromAnotherSiteAreRefusedAndNotRecorded(t *testing.T) {
	e := start(t)
	e.user(t, charlton, "pm@charlton.example", "manager")
	id := e.store(t, item{org: charlton, practice: charlton, channel: "website_review", text: "Kind nurse", route: "official_review", kinds: []string{"respond"}})
	pm := e.person(t)
	pm.signIn("pm@charlton.example")
	lastSeen := e.clock.Now()
	e.clock.Advance(10 * time.Minute) // a request that counts as the person's activity would move last_seen_at on
	audited := func() int { return count(t, e.db, `SELECT count(*) FROM audit_log WHERE action <> 'signed in'`) }
	get := func(path, site string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
		req.Header.Set("Sec-Fetch-Site", site)
		status, body, _ := pm.do(req)
		return status, body
	}
	for _, path := range []string{"/inbox/items/" + id.String(), "/inbox/views/respond/export.csv", "/inbox/reports/fft.csv",
		"/v1/organisations/" + charlton + "/items/" + id.String()} {
		for _, site := range []string{"same-site", "cross-site"} {
			if status, body := get(path, site); status != http.StatusForbidden || strings.Contains(body, "Kind nurse") {
				t.Errorf("GET %s from a %s page: %d, want 403 without the text", path, site, status)
			}
		}
	}
	if n := audited(); n != 0 {
		t.Errorf("%d audit lines for requests refused", n)
	}
	if n := count(t, e.db, `SELECT count(*) FROM sessions WHERE last_seen_at > $1`, lastSeen); n != 0 {
		t.Errorf("requests from another site kept the session awake")
	}
	for _, site := range []string{"same-origin", "none"} {
		if status, body := get("/inbox/items/"+id.String(), site); status != http.StatusOK || !strings.Contains(body, "Kind nurse") {
			t.Errorf("the item opened with Sec-Fetch-Site %s: %d", site, status)
		}
		if status, body := get("/inbox/views/respond/export.csv", site); status != http.StatusOK || !strings.Contains(body, "Kind nurse") {
			t.Errorf("the export with Sec-Fetch-Site %s: %d", site, status)
		}
	}
}
