package inbox_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/signpost/signpost/shared/event"
)

func TestApprovingAReplyToAGoogleReviewQueuesItForTheNotifier(t *testing.T) {
	e := start(t)
	e.user(t, trent, "pm@trent.example", "manager")
	name := "accounts/1000000002/locations/2000000003/reviews/r1"
	g := e.store(t, item{org: trent, practice: "stretton-medical-centre", channel: "google_review", text: "Great team", rating: "5",
		route: "official_review", kinds: []string{"respond"}, reply: "Thank you for your feedback", sourceID: name})
	web := e.store(t, item{org: trent, practice: "stretton-medical-centre", channel: "fft_web", text: "Good", rating: "good",
		route: "official_review", kinds: []string{"respond"}, reply: "Thank you"})
	pm := e.person(t)
	pm.signIn("pm@trent.example")
	if status, body, _ := pm.get("/inbox/items/" + g.String()); status != http.StatusOK || !strings.Contains(body, "Thank you for your feedback") {
		t.Fatalf("item page %d without the suggested reply", status)
	}
	if status, body, _ := pm.post("/inbox/items/"+g.String()+"/reply", url.Values{"body": {"   "}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "Write the reply") {
		t.Errorf("an empty reply: %d", status)
	}
	if status, body, _ := pm.post("/inbox/items/"+g.String()+"/reply", url.Values{"body": {strings.Repeat("é", 2049)}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "too long") {
		t.Errorf("a reply over 4096 bytes: %d", status)
	}
	status, _, h := pm.post("/inbox/items/"+g.String()+"/reply", url.Values{"body": {"Thank you, we will pass this on to the team."}})
	if status != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "reply-google") {
		t.Fatalf("approve: %d %q", status, h.Get("Location"))
	}
	var rr struct {
		ReviewName string `db:"review_name"`
		Body       string `db:"body"`
		State      string `db:"state"`
		ApprovedBy string `db:"approved_by"`
	}
	if err := e.db.Get(&rr, `SELECT review_name, body, state, approved_by FROM review_replies WHERE item_id = $1`, g); err != nil {
		t.Fatal(err)
	}
	if rr.ReviewName != name || rr.Body != "Thank you, we will pass this on to the team." || rr.State != "approved" || rr.ApprovedBy != "pm@trent.example" {
		t.Errorf("review reply %+v", rr)
	}
	if status, _, h := pm.post("/inbox/items/"+web.String()+"/reply", url.Values{"body": {"Thank you"}}); status != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "reply-hand") {
		t.Errorf("approve a web FFT reply: %d %q", status, h.Get("Location"))
	}
	if n := count(t, e.db, `SELECT count(*) FROM review_replies`); n != 1 {
		t.Errorf("%d review replies, want only Google's", n)
	}
	if n := count(t, e.db, `SELECT count(*) FROM inbox_entries WHERE state = 'handled' AND kind = 'respond'`); n != 2 {
		t.Errorf("%d respond entries handled, want 2", n)
	}
	_, body, _ := pm.get("/inbox/items/" + g.String())
	if !strings.Contains(body, "Waiting to post on Google") || !strings.Contains(body, "approved reply by pm@trent.example") {
		t.Error("the item page does not show the approved reply's progress and history")
	}
}

func TestCorrectingADecisionKeepsAnExampleAndRoutesTheItemAgain(t *testing.T) {
	e := start(t)
	e.user(t, charlton, "pm@charlton.example", "manager")
	id := e.store(t, item{org: charlton, practice: charlton, channel: "website_review", text: "Could you add evening appointments?",
		route: "complaint", kinds: []string{"signpost", "needs_review"}, needsReview: true, reply: "Please use the Complaints Procedure"})
	pm := e.person(t)
	pm.signIn("pm@charlton.example")
	pm.get("/inbox/items/" + id.String())
	if status, _, _ := pm.post("/inbox/items/"+id.String()+"/decision", url.Values{"decision": {"correct"}, "route": {"sideways"}}); status != http.StatusUnprocessableEntity {
		t.Errorf("an unknown route: %d, want 422", status)
	}
	status, _, h := pm.post("/inbox/items/"+id.String()+"/decision", url.Values{"decision": {"correct"}, "route": {"official_review"}, "flag": {"staff_identified"}})
	if status != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "corrected") {
		t.Fatalf("correct: %d %q", status, h.Get("Location"))
	}
	var ex struct {
		Kind, Body, FromRoute, Route, Revision string
		Published                              bool
	}
	if err := e.db.QueryRow(`SELECT kind, body, from_route, route, revision, published_at IS NOT NULL FROM decision_corrections WHERE item_id = $1`, id).
		Scan(&ex.Kind, &ex.Body, &ex.FromRoute, &ex.Route, &ex.Revision, &ex.Published); err != nil {
		t.Fatal(err)
	}
	if ex.Kind != "corrected" || ex.Body != "Could you add evening appointments?" || ex.FromRoute != "complaint" || ex.Route != "official_review" || !ex.Published {
		t.Errorf("labelled example %+v", ex)
	}
	if n := count(t, e.db, `SELECT count(*) FROM items WHERE id = $1 AND revision = $2`, id, ex.Revision); n != 1 {
		t.Error("the item did not move to the corrected decision")
	}
	if n := count(t, e.db, `SELECT count(*) FROM inbox_entries WHERE item_id = $1 AND state = 'open'`, id); n != 0 {
		t.Errorf("%d open entries left for the notifier to plan again", n)
	}
	var routed []event.RoutedPayload
	for _, m := range e.nats.Messages(t, e.nats.Topology.FeedbackStream()) {
		var p event.RoutedPayload
		if _, err := event.Decode(m.Data, event.Routed, event.RoutedVersion, &p); err == nil {
			routed = append(routed, p)
		}
	}
	if len(routed) != 1 || routed[0].Item.ID != id || routed[0].Item.Revision != ex.Revision || routed[0].Decision.Route != "official_review" ||
		routed[0].Decision.NeedsReview || len(routed[0].Decision.Flags) != 1 || routed[0].Decision.ModelVersion != "practice-manager" {
		t.Fatalf("published %+v", routed)
	}
	_, body, _ := pm.get("/inbox/items/" + id.String())
	if !strings.Contains(body, `data-route="official_review"`) || !strings.Contains(body, "corrected decision by pm@charlton.example") {
		t.Error("the item page does not show the corrected decision and its history")
	}
}

func TestAnUnpublishedCorrectionIsPublishedByTheSweep(t *testing.T) {
	e := start(t)
	e.user(t, charlton, "pm@charlton.example", "manager")
	id := e.store(t, item{org: charlton, practice: charlton, channel: "website_review", text: "The nurse was kind",
		route: "official_review", kinds: []string{"respond", "needs_review"}, needsReview: true, reply: "Thanks"})
	pm := e.person(t)
	pm.signIn("pm@charlton.example")
	pm.get("/inbox/items/" + id.String())
	if status, _, h := pm.post("/inbox/items/"+id.String()+"/decision", url.Values{"decision": {"confirm"}}); status != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "confirmed") {
		t.Fatalf("confirm: %d %q", status, h.Get("Location"))
	}
	// As if the process had stopped between the commit and JetStream's acknowledgement.
	mustExec(t, e.db, `UPDATE decision_corrections SET published_at = NULL, corrected_at = now() - interval '1 minute'`)
	if n, err := e.in.RepublishOnce(context.Background()); err != nil || n != 1 {
		t.Fatalf("sweep published %d (%v), want 1", n, err)
	}
	if n, _ := e.in.RepublishOnce(context.Background()); n != 0 {
		t.Errorf("the sweep published %d again", n)
	}
	var routed int
	for _, m := range e.nats.Messages(t, e.nats.Topology.FeedbackStream()) {
		var p event.RoutedPayload
		if _, err := event.Decode(m.Data, event.Routed, event.RoutedVersion, &p); err == nil && p.Item.ID == id && !p.Decision.NeedsReview {
			routed++
		}
	}
	if routed != 1 { // the same event id twice is stored once
		t.Errorf("%d routed events in the stream, want 1", routed)
	}
}

func TestComplaintCasesAndModerationMoveOnAndEveryActionIsAudited(t *testing.T) {
	e := start(t)
	e.user(t, trent, "admin@trent.example", "administrator")
	e.user(t, trent, "pm@trent.example", "manager")
	c := e.store(t, item{org: trent, practice: "trent-meadows-medical-practice", channel: "complaint_form", text: "Referral lost",
		route: "complaint", kinds: []string{"complaint_case"}})
	mustExec(t, e.db, `INSERT INTO complaint_cases (id, item_id, organisation, practice, received_on, acknowledge_by)
		VALUES (gen_random_uuid(), $1, $2, 'trent-meadows-medical-practice', '2026-03-02', '2026-03-05')`, c, trent)
	m := e.store(t, item{org: trent, practice: "trent-meadows-medical-practice", channel: "facebook_comment", text: "Dr X is useless",
		route: "unofficial_review", flags: []string{"abusive"}, kinds: []string{"moderation", "ignored"}})
	mustExec(t, e.db, `INSERT INTO moderation_requests (id, item_id, organisation, flags, hide, legal_review, state)
		VALUES (gen_random_uuid(), $1, $2, '{abusive}', true, false, 'pending')`, m, trent)
	pm := e.person(t)
	pm.signIn("pm@trent.example")
	_, list, _ := pm.get("/inbox/views/complaints")
	if !strings.Contains(list, "Overdue: acknowledge by Thu 5 Mar 2026") {
		t.Error("the overdue complaint case is not marked in the complaints view (today is 10 March 2026)")
	}
	if status, _, _ := pm.post("/inbox/items/"+m.String()+"/reported", nil); status != http.StatusConflict {
		t.Errorf("reporting a post the policy hides before it is hidden: %d, want 409", status)
	}
	mustExec(t, e.db, `UPDATE moderation_requests SET state = 'hidden'`) // the notifier hid it
	for _, a := range []struct{ path, field, value, flash string }{
		{"/inbox/items/" + c.String() + "/case", "to", "acknowledged", "acknowledged"},
		{"/inbox/items/" + c.String() + "/case", "to", "responded", "responded"},
		{"/inbox/items/" + m.String() + "/reported", "", "", "reported"},
		{"/inbox/items/" + m.String() + "/handled", "kind", "moderation", "handled"},
	} {
		form := url.Values{}
		if a.field != "" {
			form.Set(a.field, a.value)
		}
		if status, _, h := pm.post(a.path, form); status != http.StatusSeeOther || !strings.Contains(h.Get("Location"), a.flash) {
			t.Errorf("POST %s %v: %d %q", a.path, form, status, h.Get("Location"))
		}
	}
	if status, _, _ := pm.post("/inbox/items/"+c.String()+"/case", url.Values{"to": {"acknowledged"}}); status != http.StatusConflict {
		t.Errorf("acknowledging a case already responded: %d, want 409", status)
	}
	var caseState, modState string
	_ = e.db.Get(&caseState, `SELECT state FROM complaint_cases`)
	_ = e.db.Get(&modState, `SELECT state FROM moderation_requests`)
	if caseState != "responded" || modState != "reported" {
		t.Errorf("case %s, moderation %s", caseState, modState)
	}
	pm.get("/inbox/items/" + c.String())
	if status, body, _ := pm.get("/inbox/audit"); status != http.StatusForbidden || strings.Contains(body, "viewed item") {
		t.Errorf("a manager reading the audit log: %d, want 403", status)
	}
	admin := e.person(t)
	admin.signIn("admin@trent.example")
	status, body, _ := admin.get("/inbox/audit")
	if status != http.StatusOK {
		t.Fatalf("audit page %d", status)
	}
	for _, want := range []string{"marked complaint acknowledged", "marked complaint responded", "marked post reported", "marked handled", "viewed item", "signed in"} {
		if !strings.Contains(body, want) {
			t.Errorf("the audit page lacks %q", want)
		}
	}
	var rows []struct {
		Action string `db:"action"`
		Email  string `db:"user_email"`
		Client string `db:"client"`
		Via    string `db:"via"`
	}
	if err := e.db.Select(&rows, `SELECT action, user_email, client, via FROM audit_log WHERE item_id = $1 ORDER BY id`, c); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].Action != "marked complaint acknowledged" || rows[2].Action != "viewed item" ||
		rows[0].Email != "pm@trent.example" || rows[0].Client != "127.0.0.1" || rows[0].Via != "page" {
		t.Errorf("audit rows of the case %+v", rows)
	}
}

func TestTheFFTMonthlyReportCountsAnswersByCollectionMethod(t *testing.T) {
	e := start(t)
	e.user(t, trent, "pm@trent.example", "manager")
	for _, a := range []struct{ channel, rating, when string }{
		{"fft_web", "very_good", "2026-03-01T00:30:00Z"}, {"fft_web", "very_good", "2026-03-15T12:00:00Z"},
		{"fft_paper", "very_good", "2026-03-20T12:00:00Z"}, {"fft_sms", "poor", "2026-03-31T22:30:00Z"},
		{"fft_paper", "dont_know", "2026-03-02T09:00:00Z"},
		{"fft_web", "good", "2026-02-28T23:30:00Z"},    // February in London
		{"fft_web", "good", "2026-03-31T23:30:00Z"},    // 1 April in London (summer time)
		{"google_review", "5", "2026-03-10T12:00:00Z"}, // not FFT
	} {
		e.store(t, item{org: trent, practice: "stretton-medical-centre", channel: a.channel, rating: a.rating, text: "answer",
			route: "official_review", writtenAt: mustTime(t, a.when)})
	}
	e.store(t, item{org: trent, practice: "trent-meadows-medical-practice", channel: "fft_web", rating: "poor", route: "official_review",
		writtenAt: mustTime(t, "2026-03-10T12:00:00Z")})
	pm := e.person(t)
	pm.signIn("pm@trent.example")
	status, body, _ := pm.get("/inbox/reports/fft?practice=stretton-medical-centre&month=2026-03")
	if status != http.StatusOK || !strings.Contains(body, `id="fft-total">5<`) {
		t.Fatalf("report %d:\n%s", status, body)
	}
	_, csv, h := pm.get("/inbox/reports/fft.csv?practice=stretton-medical-centre&month=2026-03")
	want := "practice,month,answer,SMS,Web,Paper,Total\n" +
		"stretton-medical-centre,2026-03,Very good,0,2,1,3\n" +
		"stretton-medical-centre,2026-03,Good,0,0,0,0\n" +
		"stretton-medical-centre,2026-03,Neither good nor poor,0,0,0,0\n" +
		"stretton-medical-centre,2026-03,Poor,1,0,0,1\n" +
		"stretton-medical-centre,2026-03,Very poor,0,0,0,0\n" +
		"stretton-medical-centre,2026-03,Don't know,0,0,1,1\n" +
		"stretton-medical-centre,2026-03,Total,1,2,2,5\n"
	if csv != want || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
		t.Errorf("CSV:\n%s\nwant:\n%s", csv, want)
	}
	if status, body, _ := pm.get("/inbox/reports/fft?month=March"); status != http.StatusBadRequest || !strings.Contains(body, "year-month") {
		t.Errorf("a bad month: %d", status)
	}
}

func TestAViewExportsAsCSVWithItsFilters(t *testing.T) {
	e := start(t)
	e.user(t, trent, "pm@trent.example", "manager")
	e.store(t, item{org: trent, practice: "stretton-medical-centre", channel: "facebook_comment", text: "=HYPERLINK(\"x\") waited for ages",
		route: "complaint", kinds: []string{"delete_requested"}, rating: "@SUM(1+1)"}) // every cell is defused, not only the text
	e.store(t, item{org: trent, practice: "trent-meadows-medical-practice", channel: "complaint_form", text: "Lost referral",
		route: "complaint", kinds: []string{"complaint_case"}})
	pm := e.person(t)
	pm.signIn("pm@trent.example")
	_, csv, h := pm.get("/inbox/views/complaints/export.csv?channel=facebook_comment")
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], `'=HYPERLINK`) || !strings.Contains(lines[1], `,'@SUM(1+1),`) ||
		!strings.Contains(h.Get("Content-Disposition"), "attachment") {
		t.Errorf("export:\n%s", csv)
	}
	if n := count(t, e.db, `SELECT count(*) FROM audit_log WHERE action = 'exported' AND detail LIKE '%channel=facebook_comment%rows=1%'`); n != 1 {
		t.Errorf("%d audit lines for the export", n)
	}
	if status, body, _ := pm.get("/inbox/views/complaints?channel=fax&from=yesterday"); status != http.StatusBadRequest ||
		!strings.Contains(body, "Choose a channel") || !strings.Contains(body, "year-month-day") {
		t.Errorf("bad filters: %d", status)
	}
}

func TestTheAPIServesAnItemToItsOrganisationsToken(t *testing.T) {
	e := start(t)
	e.user(t, charlton, "pm@charlton.example", "manager")
	id := e.store(t, item{org: charlton, practice: charlton, channel: "website_review", text: "Kind staff", route: "official_review",
		kinds: []string{"respond"}, reply: "Thank you"})
	token := issue(t, e, "pm@charlton.example")
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/v1/organisations/"+charlton+"/items/"+id.String(), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct {
		Item     struct{ Text string }
		Decision struct{ Route string }
		Actions  struct {
			Inbox []struct{ Kind, SuggestedReply string }
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.StatusCode != http.StatusOK || v.Item.Text != "Kind staff" ||
		v.Decision.Route != "official_review" || len(v.Actions.Inbox) != 1 {
		t.Fatalf("%d %+v %v", resp.StatusCode, v, err)
	}
	pm := e.person(t)
	pm.signIn("pm@charlton.example")
	if status, _, _ := pm.get("/v1/organisations/" + charlton + "/items/" + id.String()); status != http.StatusOK {
		t.Errorf("the API with the session cookie: %d", status)
	}
	if n := count(t, e.db, `SELECT count(*) FROM audit_log WHERE action = 'viewed item' AND via = 'api' AND item_id = $1`, id); n != 2 {
		t.Errorf("%d audit lines saying the item was read through the API, want 2 (by token, by cookie)", n)
	}
	if strings.Contains(e.logs.String(), token) {
		t.Error("the logs contain the API token")
	}
}

func issue(t *testing.T, e *env, email string) string {
	t.Helper()
	token, err := issueToken(e, email)
	if err != nil {
		t.Fatal(err)
	}
	return token
}
