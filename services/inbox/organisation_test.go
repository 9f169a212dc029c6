package inbox_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/signpost/signpost/services/inbox"
)

// A person of one organisation reaches nothing of another through any page or API endpoint, by
// trying the other organisation's ids, slugs and practices: every answer is the same as for
// something that does not exist, and no text leaks.
func TestAnotherOrganisationsItemsAreOutOfReachEverywhere(t *testing.T) {
	e := start(t)
	e.user(t, charlton, "pm@charlton.example", "administrator")
	e.user(t, trent, "pm@trent.example", "administrator")
	secret := "Zanzibarina at Stretton was rude to me"
	theirs := e.store(t, item{org: trent, practice: "stretton-medical-centre", channel: "google_review", text: secret, rating: "1",
		route: "complaint", kinds: []string{"signpost"}, reply: "Please use our Complaints Procedure"})
	mustExec(t, e.db, `INSERT INTO complaint_cases (id, item_id, organisation, practice, received_on, acknowledge_by)
		VALUES (gen_random_uuid(), $1, $2, 'stretton-medical-centre', '2026-03-09', '2026-03-12')`, theirs, trent)
	mustExec(t, e.db, `INSERT INTO moderation_requests (id, item_id, organisation, flags, hide, legal_review, state)
		VALUES (gen_random_uuid(), $1, $2, '{staff_identified}', false, false, 'pending')`, theirs, trent)
	e.store(t, item{org: trent, practice: "stretton-medical-centre", channel: "fft_web", text: "Fine", rating: "good",
		route: "official_review", kinds: []string{"respond"}, reply: "Thanks"})

	pm := e.person(t)
	pm.signIn("pm@charlton.example")
	missing := "00000000-0000-4000-8000-000000000000"
	_, missingPage, _ := pm.get("/inbox/items/" + missing)
	id := theirs.String()
	for _, path := range []string{"/inbox/items/" + id, "/inbox/items/" + missing} {
		status, body, _ := pm.get(path)
		if status != http.StatusNotFound || strings.Contains(body, "Zanzibarina") || !sameExceptCSRF(body, missingPage) {
			t.Errorf("GET %s: %d", path, status)
		}
	}
	for _, a := range []struct {
		path string
		form url.Values
	}{
		{"/reply", url.Values{"body": {"Hello"}}},
		{"/decision", url.Values{"decision": {"confirm"}}},
		{"/decision", url.Values{"decision": {"correct"}, "route": {"other"}}},
		{"/handled", url.Values{"kind": {"signpost"}}},
		{"/case", url.Values{"to": {"acknowledged"}}},
		{"/reported", nil},
	} {
		if status, body, _ := pm.post("/inbox/items/"+id+a.path, a.form); status != http.StatusNotFound || strings.Contains(body, "Zanzibarina") {
			t.Errorf("POST %s on their item: %d, want 404", a.path, status)
		}
	}
	for _, path := range []string{
		"/inbox/views/complaints?practice=stretton-medical-centre", "/inbox/views/complaints?q=Zanzibarina",
		"/inbox/views/respond?state=all", "/inbox/views/complaints/export.csv?q=Zanzibarina",
		"/inbox/views/complaints/export.csv?state=all", "/inbox/reports/fft?practice=stretton-medical-centre",
		"/inbox/reports/fft.csv?practice=stretton-medical-centre&month=2026-03", "/inbox/audit",
	} {
		status, body, _ := pm.get(path)
		if strings.Contains(body, "rude to me") || strings.Contains(body, id) || strings.Contains(body, "Stretton") {
			t.Errorf("GET %s (%d) shows the other organisation's item, id or practice", path, status)
		}
		if status != http.StatusOK && status != http.StatusBadRequest { // an error page would show nothing either, proving nothing
			t.Errorf("GET %s: %d, want the page (200) or its refusal of another organisation's practice (400)", path, status)
		}
	}

	// The API, with the person's token and with their session cookie.
	token, err := inbox.IssueAPIToken(context.Background(), e.db, "pm@charlton.example", "test")
	if err != nil {
		t.Fatal(err)
	}
	api := func(path string, auth func(*http.Request)) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
		auth(req)
		status, body, _ := pm.do(req)
		return status, body
	}
	bearer := func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
	cookie := func(*http.Request) {}
	_, missingAPI := api("/v1/organisations/"+charlton+"/items/"+missing, bearer)
	for name, auth := range map[string]func(*http.Request){"token": bearer, "cookie": cookie} {
		for _, path := range []string{
			"/v1/organisations/" + trent + "/items/" + id, "/v1/organisations/" + charlton + "/items/" + id,
			"/v1/organisations/" + trent + "/items/" + missing,
		} {
			if status, body := api(path, auth); status != http.StatusNotFound || body != missingAPI {
				t.Errorf("%s: GET %s: %d %s, want the same 404 as a missing item", name, path, status, body)
			}
		}
		if status, body := api("/v1/organisations/"+trent+"/templates/respond/preview?practice=stretton-medical-centre", auth); status != http.StatusNotFound || strings.Contains(body, "Stretton") {
			t.Errorf("%s: preview of their template: %d %s", name, status, body)
		}
	}
	if status, _ := api("/v1/organisations/"+charlton+"/items/"+missing, func(*http.Request) {}); status != http.StatusNotFound {
		t.Errorf("own organisation, missing item, by cookie: %d", status)
	}
	if status, _ := api("/v1/organisations/"+trent+"/items/"+id, func(r *http.Request) { r.Header.Set("Authorization", "Bearer spi_wrong") }); status != http.StatusUnauthorized {
		t.Errorf("a wrong token: %d, want 401", status)
	}
	// Nothing of theirs changed, and their people still see it.
	if n := count(t, e.db, `SELECT count(*) FROM inbox_entries WHERE organisation = $1 AND state = 'open'`, trent); n != 2 {
		t.Errorf("%d of their entries still open, want 2", n)
	}
	if n := count(t, e.db, `SELECT count(*) FROM reply_approvals`) + count(t, e.db, `SELECT count(*) FROM decision_corrections`); n != 0 {
		t.Errorf("%d replies or corrections recorded on their item", n)
	}
	them := e.person(t)
	them.signIn("pm@trent.example")
	if status, body, _ := them.get("/inbox/items/" + id); status != http.StatusOK || !strings.Contains(body, "Zanzibarina") {
		t.Errorf("their own person: %d", status)
	}
}

func sameExceptCSRF(a, b string) bool {
	return csrfField.ReplaceAllString(a, "") == csrfField.ReplaceAllString(b, "")
}
