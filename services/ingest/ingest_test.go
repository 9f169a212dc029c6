package ingest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/rs/zerolog"

	"github.com/signpost/signpost/services/ingest"
	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/bustest"
	"github.com/signpost/signpost/shared/event"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/google"
	"github.com/signpost/signpost/shared/httpx"
	"github.com/signpost/signpost/shared/metrics"
	"github.com/signpost/signpost/shared/policy"
)

const intakeToken = "intake-token-for-tests-0123456789"

const (
	appSecret   = "facebook-app-secret-for-tests"
	verifyToken = "facebook-verify-token"
	pushToken   = "google-push-token-for-tests"
	googleToken = "google-access-token-trent"
	trentPage   = "100000000000202"
)

func server(t *testing.T) (*httptest.Server, bustest.NATS) {
	srv, n, _ := serverWithGoogle(t)
	return srv, n
}

func serverWithGoogle(t *testing.T) (*httptest.Server, bustest.NATS, *google.Fake) {
	t.Helper()
	return serverWithConfig(t, nil)
}

// serverWithConfig serves the intake with the tests' secrets, then what configure changes.
func serverWithConfig(t testing.TB, configure func(*ingest.Config)) (*httptest.Server, bustest.NATS, *google.Fake) {
	t.Helper()
	fake := &google.Fake{Token: googleToken}
	gsrv := httptest.NewServer(fake)
	t.Cleanup(gsrv.Close)
	n := bustest.Start(t)
	nc, err := n.Connect("ingest-test")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := bus.NewPublisher(nc, watermill.NopLogger{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pub.Close() })
	set, err := policy.Load(policy.Examples())
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	cfg := ingest.Config{IntakeToken: intakeToken, FormsPerMinute: 600, FormBurst: 100,
		FacebookAppSecret: appSecret, FacebookVerifyToken: verifyToken, GooglePushToken: pushToken,
		Google: &google.Client{BaseURL: gsrv.URL}, GoogleTokens: map[string]string{"trent-meadows-stretton": googleToken},
	}
	if configure != nil {
		configure(&cfg)
	}
	in, err := ingest.New(cfg, set, pub, n.Topology, metrics.New(), zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	in.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, n, fake
}

func post(t *testing.T, url, contentType, body string) *http.Response {
	t.Helper()
	resp, err := http.Post(url+"/v1/submissions", contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestBadInputIsRefusedWithAReasonAndNothingIsPublished(t *testing.T) {
	srv, n := server(t)
	for _, c := range []struct {
		name, contentType, body string
		status                  int
		field                   string
	}{
		{"missing practice", "application/json", `{"channel":"website_review","text":"hi"}`, 422, "practice"},
		{"unknown practice", "application/json", `{"practice":"elsewhere","channel":"website_review","text":"hi"}`, 422, "practice"},
		{"unknown channel", "application/json", `{"practice":"charlton-medical-centre","channel":"tiktok","text":"hi"}`, 422, "channel"},
		{"channel the practice has no form for", "application/json", `{"practice":"stretton-medical-centre","channel":"website_review","text":"hi"}`, 422, "channel"},
		{"empty text", "application/json", `{"practice":"charlton-medical-centre","channel":"website_review","text":"   "}`, 422, "text"},
		{"bad email", "application/json", `{"practice":"charlton-medical-centre","channel":"complaint_form","text":"hi","email":"not-an-address"}`, 422, "email"},
		{"rating on a complaint", "application/json", `{"practice":"charlton-medical-centre","channel":"complaint_form","text":"hi","rating":"5"}`, 422, "rating"},
		{"FFT without its answer", "application/json", `{"practice":"stretton-medical-centre","channel":"fft_web","text":"fine"}`, 422, "rating"},
		{"body over 64 KiB", "application/json", `{"practice":"charlton-medical-centre","channel":"website_review","text":"` + strings.Repeat("a", 70<<10) + `"}`, 413, ""},
		{"wrong content type", "text/plain", `{"practice":"charlton-medical-centre","channel":"website_review","text":"hi"}`, 415, ""},
		{"form encoding", "application/x-www-form-urlencoded", `practice=charlton-medical-centre&channel=website_review&text=hi`, 415, ""},
		{"not JSON", "application/json", `{"practice":`, 400, ""},
		{"unknown field", "application/json", `{"practice":"charlton-medical-centre","channel":"website_review","text":"hi","nhs_number":"1"}`, 422, "nhs_number"},
		{"wrong type", "application/json", `{"practice":"charlton-medical-centre","channel":"website_review","text":42}`, 422, "text"},
		{"two objects", "application/json", `{"practice":"charlton-medical-centre","channel":"website_review","text":"hi"}{}`, 400, ""},
		{"bad email, echoed nowhere", "application/json", `{"practice":"charlton-medical-centre","channel":"complaint_form","text":"hi","email":"not-an-address"}`, 422, "email"},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp := post(t, srv.URL, c.contentType, c.body)
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.status)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q, want application/problem+json", ct)
			}
			var p httpx.Problem
			if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
				t.Fatal(err)
			}
			if p.Status != c.status || p.Detail == "" {
				t.Errorf("problem without status or detail: %+v", p)
			}
			if c.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != c.field) {
				t.Errorf("problem does not name field %s: %+v", c.field, p.Errors)
			}
			if b, _ := json.Marshal(p); strings.Contains(string(b), "not-an-address") {
				t.Error("the problem repeats what the patient typed")
			}
		})
	}
	if got := n.Messages(t, n.Topology.FeedbackStream()); len(got) != 0 {
		t.Errorf("%d messages published for refused submissions", len(got))
	}
}

func TestAcceptedSubmissionIsDurableBeforeTheAnswerAndResubmissionIsOneItem(t *testing.T) {
	srv, n := server(t)
	body := `{"practice":"charlton-medical-centre","channel":"website_review","text":"Lovely nurse","rating":"5","submission_id":"form-0001"}`
	var ids []string
	for range 2 {
		resp := post(t, srv.URL, "application/json; charset=utf-8", body)
		if resp.StatusCode != http.StatusAccepted {
			b, _ := io.ReadAll(resp.Body)
			t.Fatalf("status %d: %s", resp.StatusCode, b)
		}
		var a ingest.Accepted
		if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ItemID)
		if resp.Header.Get("X-Correlation-ID") == "" {
			t.Error("no correlation id in the answer")
		}
	}
	want := feedback.ItemID("charlton-medical-centre", feedback.WebsiteReview, "form-0001").String()
	if ids[0] != want || ids[1] != want {
		t.Errorf("item ids %v, want both %s (derived from the submission id)", ids, want)
	}
	msgs := n.Messages(t, n.Topology.FeedbackStream())
	if len(msgs) != 1 { // the second publish carries the same Nats-Msg-Id and is dropped by JetStream
		t.Fatalf("%d messages in the stream, want 1", len(msgs))
	}
	var p event.ReceivedPayload
	if _, err := event.Decode(msgs[0].Data, event.Received, event.ReceivedVersion, &p); err != nil {
		t.Fatal(err)
	}
	if p.Item.Text != "Lovely nurse" || p.Item.Rating != "5" || p.Item.Organisation != "charlton-medical-centre" {
		t.Errorf("published item %+v", p.Item)
	}
	schemas, err := event.LoadSchemas()
	if err != nil {
		t.Fatal(err)
	}
	if err := schemas.Validate(event.Received, msgs[0].Data); err != nil {
		t.Errorf("published event does not match its schema: %v", err)
	}
}

func TestNATSDownAnswers503(t *testing.T) {
	srv, n := server(t)
	if n.Server == nil {
		t.Skip("needs the embedded server to stop it (NATS_URL is set)")
	}
	n.Server.Shutdown()
	resp := post(t, srv.URL, "application/json", `{"practice":"charlton-medical-centre","channel":"website_review","text":"hello"}`)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("status %d (Retry-After %q), want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}
