package ingest_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/services/ingest/internal/facebook"
	"github.com/signpost/signpost/shared/bustest"
	"github.com/signpost/signpost/shared/event"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/google"
)

// received returns the items published to feedback.received, and the removals.
func published(t *testing.T, n bustest.NATS) (items []feedback.Item, removed []event.RemovedPayload) {
	t.Helper()
	for _, m := range n.Messages(t, n.Topology.FeedbackStream()) {
		switch m.Subject {
		case n.Topology.Subject(event.Received):
			var p event.ReceivedPayload
			if _, err := event.Decode(m.Data, event.Received, event.ReceivedVersion, &p); err != nil {
				t.Fatal(err)
			}
			items = append(items, p.Item)
		case n.Topology.Subject(event.Removed):
			var p event.RemovedPayload
			if _, err := event.Decode(m.Data, event.Removed, event.RemovedVersion, &p); err != nil {
				t.Fatal(err)
			}
			removed = append(removed, p)
		}
	}
	return items, removed
}

// A delivery in Meta's documented shape: two entries, unicode escapes, an edit, a removal, the
// page's own reply, a post and a recommendation.
const delivery = `{"object":"page","entry":[
 {"id":"` + trentPage + `","time":1763719200,"changes":[
  {"field":"feed","value":{"item":"comment","verb":"add","post_id":"202_1","comment_id":"202_1_11","parent_id":"202_1",
    "from":{"id":"9001","name":"Ren\u00e9e"},"message":"Waited 3 weeks for a call back \ud83d\ude21 caf\u00e9 closed too","created_time":1763719100}},
  {"field":"feed","value":{"item":"comment","verb":"add","post_id":"202_1","comment_id":"202_1_12","parent_id":"202_1_11",
    "from":{"id":"` + trentPage + `","name":"Trent Meadows"},"message":"Please contact the practice manager","created_time":1763719150}},
  {"field":"feed","value":{"item":"comment","verb":"edited","post_id":"202_1","comment_id":"202_1_13","parent_id":"202_1",
    "from":{"id":"9002","name":"Sam"},"message":"Actually they sorted it, thank you","created_time":1763719160}}]},
 {"id":"` + trentPage + `","time":1763719300,"changes":[
  {"field":"feed","value":{"item":"comment","verb":"remove","post_id":"202_1","comment_id":"202_1_14","parent_id":"202_1",
    "from":{"id":"9003","name":"Kim"},"created_time":1763719170}},
  {"field":"feed","value":{"item":"status","verb":"add","post_id":"202_2","from":{"id":"9004","name":"Lee"},
    "message":"Does anyone know if the Saturday clinic is on?","created_time":1763719180}},
  {"field":"feed","value":{"item":"rating","verb":"add","open_graph_story_id":"777","recommendation_type":"negative",
    "review_text":"Never again","reviewer_id":"9005","reviewer_name":"Ash","created_time":1763719190}}]}]}`

func postDelivery(t *testing.T, url, body string, header map[string]string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/webhooks/facebook", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestFacebookDeliveryBecomesItemsOnceDurable(t *testing.T) {
	srv, n := server(t)
	sig := map[string]string{facebook.SignatureHeader: facebook.Sign([]byte(appSecret), []byte(delivery))}
	for range 2 { // Meta retries deliveries: the second changes nothing
		if resp := postDelivery(t, srv.URL, delivery, sig); resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	items, removed := published(t, n)
	bySource := map[string]feedback.Item{}
	for _, it := range items {
		bySource[it.SourceID] = it
	}
	if len(items) != 4 {
		t.Fatalf("%d items published, want 4 (the page's own reply is not a patient item): %+v", len(items), items)
	}
	first := bySource["202_1_11"]
	if first.Channel != feedback.FacebookComment || first.Organisation != "trent-meadows-stretton" ||
		!strings.Contains(first.Text, "café") || !strings.Contains(first.Text, "😡") || first.Revision != "" {
		t.Errorf("comment: %+v", first)
	}
	if edit := bySource["202_1_13"]; edit.Revision == "" || edit.Text != "Actually they sorted it, thank you" {
		t.Errorf("an edit must be a new revision: %+v", edit)
	}
	if post := bySource["202_2"]; post.Channel != feedback.FacebookPost {
		t.Errorf("post: %+v", post)
	}
	if rec := bySource["777"]; rec.Channel != feedback.FacebookRecommendation || rec.Rating != "doesnt_recommend" || rec.Text != "Never again" {
		t.Errorf("recommendation: %+v", rec)
	}
	if _, own := bySource["202_1_12"]; own {
		t.Error("the page's own reply was taken in")
	}
	if len(removed) != 1 || removed[0].SourceID != "202_1_14" ||
		removed[0].ItemID != feedback.ItemID("trent-meadows-stretton", feedback.FacebookComment, "202_1_14") {
		t.Errorf("removals: %+v", removed)
	}
}

func TestADeliveryForAPageNoPolicyNamesIsNotAcknowledged(t *testing.T) {
	srv, _ := server(t)
	body := strings.ReplaceAll(delivery, trentPage, "999999999")
	resp := postDelivery(t, srv.URL, body, map[string]string{facebook.SignatureHeader: facebook.Sign([]byte(appSecret), []byte(body))})
	if resp.StatusCode < 500 {
		t.Errorf("status %d: Meta must deliver it again once the page is configured", resp.StatusCode)
	}
}

func TestFacebookDeliveriesWithoutAValidSignaturePublishNothing(t *testing.T) {
	srv, n := server(t)
	good := facebook.Sign([]byte(appSecret), []byte(delivery))
	flipped := []byte(delivery)
	flipped[len(flipped)/2] ^= 0x01
	sha1Only := "sha1=" + strings.Repeat("ab", 20)
	for name, c := range map[string]struct {
		body   string
		header map[string]string
	}{
		"flipped byte":           {string(flipped), map[string]string{facebook.SignatureHeader: good}},
		"missing header":         {delivery, nil},
		"sha1 only":              {delivery, map[string]string{"X-Hub-Signature": sha1Only}},
		"sha1 in the 256 header": {delivery, map[string]string{facebook.SignatureHeader: sha1Only}},
		"another app's secret":   {delivery, map[string]string{facebook.SignatureHeader: facebook.Sign([]byte("other"), []byte(delivery))}},
	} {
		if resp := postDelivery(t, srv.URL, c.body, c.header); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, resp.StatusCode)
		}
	}
	if items, removed := published(t, n); len(items)+len(removed) != 0 {
		t.Errorf("published %d items and %d removals from unsigned deliveries", len(items), len(removed))
	}
}

func TestFacebookHandshake(t *testing.T) {
	srv, _ := server(t)
	get := func(token string) (int, string) {
		q := url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {token}, "hub.challenge": {"1158201444"}}
		resp, err := http.Get(srv.URL + "/webhooks/facebook?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := get(verifyToken); status != 200 || body != "1158201444" {
		t.Errorf("right token: %d %q", status, body)
	}
	if status, body := get("guess"); status != 403 || strings.Contains(body, "1158201444") {
		t.Errorf("wrong token: %d %q", status, body)
	}
}

func push(t *testing.T, url, token, typ, review string) int {
	t.Helper()
	data, _ := json.Marshal(map[string]string{"type": typ, "review": review,
		"location": review[:strings.Index(review, "/reviews/")]})
	body, _ := json.Marshal(map[string]any{"message": map[string]string{"data": base64.StdEncoding.EncodeToString(data),
		"messageId": "m-" + typ, "publishTime": time.Now().Format(time.RFC3339)}, "subscription": "projects/p/subscriptions/s"})
	resp, err := http.Post(url+"/webhooks/google?token="+token, "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestGoogleNotificationFetchesTheReview(t *testing.T) {
	srv, n, fake := serverWithGoogle(t)
	name := "accounts/1000000002/locations/2000000003/reviews/rev-1"
	created := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	fake.AddReview(google.Review{Name: name, ReviewID: "rev-1", Reviewer: "Pat", Stars: "2",
		Comment: "Receptionist was rude and nobody rang back", CreatedAt: created, UpdatedAt: created})
	if status := push(t, srv.URL, pushToken, google.TypeNewReview, name); status != http.StatusNoContent {
		t.Fatalf("status %d", status)
	}
	fake.AddReview(google.Review{Name: name, ReviewID: "rev-1", Reviewer: "Pat", Stars: "4",
		Comment: "They called me back after all", CreatedAt: created, UpdatedAt: created.Add(time.Hour)})
	if status := push(t, srv.URL, pushToken, google.TypeUpdatedReview, name); status != http.StatusNoContent {
		t.Fatalf("update: status %d", status)
	}
	if status := push(t, srv.URL, "wrong", google.TypeNewReview, name); status != http.StatusUnauthorized {
		t.Errorf("wrong push token: %d", status)
	}
	items, _ := published(t, n)
	if len(items) != 2 {
		t.Fatalf("%d items, want the review and its update", len(items))
	}
	if it := items[0]; it.Channel != feedback.GoogleReview || it.Practice != "stretton-medical-centre" || it.Rating != "2" ||
		it.SourceID != name || it.Revision != "" {
		t.Errorf("review: %+v", it)
	}
	if up := items[1]; up.ID != items[0].ID || up.Revision == "" || up.Rating != "4" {
		t.Errorf("an updated review must be a new revision of the same item: %+v", up)
	}
	fake.FailNext(1, http.StatusInternalServerError)
	other := "accounts/1000000002/locations/2000000002/reviews/rev-2"
	fake.AddReview(google.Review{Name: other, ReviewID: "rev-2", Stars: "5", CreatedAt: created, UpdatedAt: created})
	if status := push(t, srv.URL, pushToken, google.TypeNewReview, other); status != http.StatusServiceUnavailable {
		t.Errorf("Google failing: %d, want 503 so Pub/Sub delivers again", status)
	}
}

func postCSV(t *testing.T, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestPaperFFTWithOneBadRowImportsNothingUnlessAsked(t *testing.T) {
	srv, n := server(t)
	today := time.Now().Format("2006-01-02")
	csv := "date,answer,text,practice\n" +
		today + ",Very good,Lovely nurse,charlton-medical-centre\n" +
		today + ",Brilliant,secret patient words,charlton-medical-centre\n" +
		today + ",Poor,\"Waited an hour,\nno one said why\",charlton-medical-centre\n"
	endpoint := srv.URL + "/v1/practices/charlton-medical-centre/fft-cards"
	status, out := postCSV(t, endpoint, intakeToken, csv)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d: %v", status, out)
	}
	b, _ := json.Marshal(out)
	if !strings.Contains(string(b), "row 3 (line 3): answer") || strings.Contains(string(b), "secret patient words") {
		t.Errorf("the answer must name row 3 (as a spreadsheet shows it) and not repeat the card's text: %s", b)
	}
	if items, _ := published(t, n); len(items) != 0 {
		t.Fatalf("%d items imported from a file with a bad row", len(items))
	}
	if status, _ := postCSV(t, endpoint, "wrong", csv); status != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", status)
	}
	status, out = postCSV(t, endpoint+"?skip_bad_rows=true", intakeToken, csv)
	if status != http.StatusOK || out["imported"] != float64(2) || out["skipped"] != float64(1) {
		t.Fatalf("skipping bad rows: %d %v", status, out)
	}
	items, _ := published(t, n)
	if len(items) != 2 || items[0].Channel != feedback.FFTPaper || items[0].Rating != "very_good" {
		t.Errorf("imported %+v", items)
	}
}

func TestThirdPartyReviewNeedsTheTokenAndIsOneItem(t *testing.T) {
	srv, n := server(t)
	body := `{"practice":"charlton-medical-centre","site":"iWantGreatCare","url":"https://example.org/r/1","text":"Great care","rating":"5"}`
	do := func(token string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/third-party-reviews", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if do("nope") != http.StatusUnauthorized || do(intakeToken) != http.StatusAccepted || do(intakeToken) != http.StatusAccepted {
		t.Fatal("unexpected statuses")
	}
	items, _ := published(t, n)
	if len(items) != 1 || items[0].Channel != feedback.ThirdPartyReview || items[0].Rating != "5" {
		t.Errorf("items %+v", items)
	}
}
