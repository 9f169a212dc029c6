package ingest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/signpost/signpost/services/ingest"
)

// FuzzJSONIntake posts arbitrary bodies to the two JSON endpoints (website submissions and
// reviews from other sites), through the real handlers and a real NATS server: every answer is a
// 202 with an item id or a refusal in problem+json saying why; nothing else, and never a crash.
func FuzzJSONIntake(f *testing.F) {
	srv, _, _ := serverWithConfig(f, func(c *ingest.Config) {
		c.FormsPerMinute, c.FormBurst, c.RequestsPerMinute, c.RequestBurst = 1<<30, 1<<30, 1<<30, 1<<30
	})
	for _, seed := range []string{
		`{"practice":"charlton-medical-centre","channel":"website_review","text":"Lovely nurse","rating":"5"}`,
		`{"practice":"stretton-medical-centre","channel":"fft_web","rating":"very_good","text":""}`,
		`{"practice":"charlton-medical-centre","channel":"complaint_form","text":"x","email":"a@b.org","submission_id":"abcdefgh"}`,
		`{"practice":"charlton-medical-centre","site":"NHS website","url":"https://example.org/r/1","text":"ok","rating":"4","written_at":"2026-01-02T03:04:05Z"}`,
		`{"practice":"charlton-medical-centre","site":"x","url":"http://x","text":"","author":"\u0000\ud800"}`,
		`{"text":1e999}`, `[]`, `null`, `{"practice":"charlton-medical-centre"}{}`, "\xff\xfe{",
	} {
		f.Add([]byte(seed))
	}
	handler := srv.Config.Handler
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, path := range []string{"/v1/submissions", "/v1/third-party-reviews"} {
			req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(string(body)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+intakeToken)
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, req)
			switch rec.Code {
			case http.StatusAccepted:
				var a ingest.Accepted
				if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil || uuid.Validate(a.ItemID) != nil || a.Status != "received" {
					t.Fatalf("%s accepted with %s", path, rec.Body)
				}
			case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity:
				var p struct {
					Status int
					Detail string
				}
				if rec.Header().Get("Content-Type") != "application/problem+json" || json.Unmarshal(rec.Body.Bytes(), &p) != nil ||
					p.Status != rec.Code || p.Detail == "" {
					t.Fatalf("%s refused with %d but not a problem saying why: %s", path, rec.Code, rec.Body)
				}
			default:
				t.Fatalf("%s answered %d: %s", path, rec.Code, rec.Body)
			}
		}
	})
}
