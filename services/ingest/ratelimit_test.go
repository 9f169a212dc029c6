package ingest_test

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/signpost/signpost/services/ingest"
)

// publicRequest builds one request to an endpoint anyone can call; none of them is valid, so
// nothing is published, but each counts against the client's limit.
type publicRequest struct {
	name   string
	build  func(base string) *http.Request
	burst  int  // requests the client may make at once
	page   bool // a person reads the refusal in a browser
	sample string
}

func publicRequests() []publicRequest {
	post := func(path, contentType, body string, header ...string) func(string) *http.Request {
		return func(base string) *http.Request {
			req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
			req.Header.Set("Content-Type", contentType)
			for i := 0; i+1 < len(header); i += 2 {
				req.Header.Set(header[i], header[i+1])
			}
			return req
		}
	}
	get := func(path string) func(string) *http.Request {
		return func(base string) *http.Request { req, _ := http.NewRequest(http.MethodGet, base+path, nil); return req }
	}
	const forms, others = 2, 3
	return []publicRequest{
		{"submissions API", post("/v1/submissions", "application/json", `{"practice":"charlton-medical-centre"}`), forms, false, ""},
		{"review form", post("/practices/charlton-medical-centre/review", "application/x-www-form-urlencoded",
			"text=My+words+%3Cb%3Estay%3C%2Fb%3E&email=not-an-address"), forms, true, "My words &lt;b&gt;stay&lt;/b&gt;"},
		{"form page", get("/practices/charlton-medical-centre/review"), others, false, ""},
		{"Facebook handshake", get("/webhooks/facebook?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1"), others, false, ""},
		{"Facebook delivery", post("/webhooks/facebook", "application/json", "{}", "X-Hub-Signature-256", "sha256=00"), others, false, ""},
		{"Google push", post("/webhooks/google?token=guess", "application/json", "{}"), others, false, ""},
		{"paper FFT cards", post("/v1/practices/charlton-medical-centre/fft-cards", "text/csv", "x", "Authorization", "Bearer guess"), others, false, ""},
		{"third-party review", post("/v1/third-party-reviews", "application/json", "{}", "Authorization", "Bearer guess"), others, false, ""},
	}
}

// TestEveryPublicEndpointLimitsEachClient makes one client (by its forwarded address, the
// server trusting its proxy) exceed its burst on each endpoint: the next request is refused with
// 429, Retry-After and a reason, while another client is still served.
func TestEveryPublicEndpointLimitsEachClient(t *testing.T) {
	srv, n, _ := serverWithConfig(t, func(c *ingest.Config) {
		c.TrustProxy, c.FormsPerMinute, c.FormBurst, c.RequestsPerMinute, c.RequestBurst = true, 6, 2, 6, 3
	})
	for i, e := range publicRequests() {
		t.Run(e.name, func(t *testing.T) {
			send := func(client string) (*http.Response, string) {
				req := e.build(srv.URL)
				req.Header.Set("X-Forwarded-For", client)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp, string(b)
			}
			client, other := "198.51.100."+strconv.Itoa(2*i+1), "198.51.100."+strconv.Itoa(2*i+2)
			for j := range e.burst {
				if resp, body := send(client); resp.StatusCode == http.StatusTooManyRequests {
					t.Fatalf("request %d of a burst of %d refused: %s", j+1, e.burst, body)
				}
			}
			resp, body := send(client)
			if resp.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("request %d: status %d, want 429", e.burst+1, resp.StatusCode)
			}
			if wait, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || wait < 1 || wait > 11 {
				t.Errorf("Retry-After %q, want the seconds until a request is allowed (10 at 6 a minute)", resp.Header.Get("Retry-After"))
			}
			if e.page {
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !strings.Contains(body, "seconds, then send") {
					t.Errorf("a patient sees %s: %s", ct, body)
				}
				if !strings.Contains(body, e.sample) || strings.Contains(body, "<b>stay") {
					t.Errorf("the page does not give back what the patient wrote, escaped: %s", body)
				}
			} else if resp.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(body, "Retry-After") {
				t.Errorf("refusal %s: %s", resp.Header.Get("Content-Type"), body)
			}
			if resp, body := send(other); resp.StatusCode == http.StatusTooManyRequests {
				t.Errorf("another client was refused: %s", body)
			}
		})
	}
	if items, removed := published(t, n); len(items)+len(removed) > 0 {
		t.Errorf("published %d items and %d removals", len(items), len(removed))
	}
}
