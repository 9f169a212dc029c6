package ingest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/signpost/signpost/services/ingest"
	"github.com/signpost/signpost/shared/google"
)

// hugeBody is a body of size bytes that starts like a real one and is generated as it is read,
// so the test itself holds none of it in memory.
type hugeBody struct {
	prefix string
	size   int64
	read   int64
	sent   atomic.Int64 // read, for the test to look at while the client may still be sending
}

func (b *hugeBody) Read(p []byte) (int, error) {
	if b.read >= b.size {
		return 0, io.EOF
	}
	n := int64(len(p))
	n = min(n, b.size-b.read)
	for i := range n {
		if at := b.read + i; at < int64(len(b.prefix)) {
			p[i] = b.prefix[at]
		} else {
			p[i] = 'a'
		}
	}
	b.read += n
	b.sent.Store(b.read)
	return int(n), nil
}

// intakeEndpoint is one of the intake's endpoints that take a body.
type intakeEndpoint struct {
	name, path, contentType, prefix string
	header                          map[string]string
	limit                           int64
	page                            bool // answers with an HTML page rather than problem+json
}

func intakeEndpoints() []intakeEndpoint {
	return []intakeEndpoint{
		{"submissions API", "/v1/submissions", "application/json",
			`{"practice":"charlton-medical-centre","channel":"website_review","text":"`, nil, ingest.MaxBody, false},
		{"review form", "/practices/charlton-medical-centre/review", "application/x-www-form-urlencoded",
			"rating=5&text=", nil, ingest.MaxBody, true},
		{"Facebook webhook", "/webhooks/facebook", "application/json", `{"object":"page","entry":[{"id":"` + trentPage + `","changes":[`,
			map[string]string{"X-Hub-Signature-256": "sha256=" + strings.Repeat("0", 64)}, ingest.MaxWebhookBody, false},
		{"Google push", "/webhooks/google?token=" + pushToken, "application/json", `{"message":{"data":"`, nil, google.MaxPushBytes, false},
		{"paper FFT cards", "/v1/practices/charlton-medical-centre/fft-cards", "text/csv", "date,answer,text,practice\n",
			map[string]string{"Authorization": "Bearer " + intakeToken}, ingest.MaxCSVBody, false},
		{"third-party review", "/v1/third-party-reviews", "application/json",
			`{"practice":"charlton-medical-centre","site":"x","url":"https://x.example","text":"`,
			map[string]string{"Authorization": "Bearer " + intakeToken}, ingest.MaxBody, false},
	}
}

// TestOversizedBodiesAreRefusedBeforeParsingWithBoundedMemory sends 50 MB to every endpoint that
// takes a body, once declaring its length (refused before a byte is read) and once chunked (cut
// at the limit as it is read), and measures what the process allocated meanwhile.
func TestOversizedBodiesAreRefusedBeforeParsingWithBoundedMemory(t *testing.T) {
	const size = 50 << 20
	srv, n, _ := serverWithConfig(t, nil)
	client := &http.Client{Transport: &http.Transport{}}
	for _, e := range intakeEndpoints() {
		for _, declared := range []bool{true, false} {
			name := e.name + map[bool]string{true: ", length declared", false: ", chunked"}[declared]
			t.Run(name, func(t *testing.T) {
				body := &hugeBody{prefix: e.prefix, size: size}
				req, _ := http.NewRequest(http.MethodPost, srv.URL+e.path, body)
				req.ContentLength = -1 // chunked
				if declared {
					req.ContentLength = size
				}
				req.Header.Set("Content-Type", e.contentType)
				for k, v := range e.header {
					req.Header.Set(k, v)
				}
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				answer, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				runtime.ReadMemStats(&after)
				allocated := after.TotalAlloc - before.TotalAlloc

				if resp.StatusCode != http.StatusRequestEntityTooLarge {
					t.Fatalf("status %d, want 413: %s", resp.StatusCode, answer)
				}
				if e.page {
					if !strings.Contains(string(answer), "too long to send") {
						t.Errorf("the page does not say the form is too long: %s", answer)
					}
				} else {
					var p struct {
						Status int
						Detail string
					}
					if json.Unmarshal(answer, &p) != nil || p.Status != 413 || !strings.Contains(p.Detail, "limit") {
						t.Errorf("problem %s, want one naming the limit", answer)
					}
				}
				if sent := body.sent.Load(); declared && sent > 4<<20 { // at most what the sockets' buffers hold
					t.Errorf("%d bytes were sent before the refusal of a body declared too large", sent)
				}
				// At most the limit is read, and held once.
				if bound := uint64(e.limit + e.limit/2 + 1<<20); allocated > bound || allocated > size/4 {
					t.Errorf("allocated %d bytes refusing a %d-byte body (limit %d), want under %d", allocated, size, e.limit, min(bound, size/4))
				}
				t.Logf("allocated %.1f MB refusing %d MB (limit %.2f MB)", float64(allocated)/(1<<20), size>>20, float64(e.limit)/(1<<20))
			})
		}
	}
	if items, removed := published(t, n); len(items)+len(removed) > 0 {
		t.Errorf("published %d items and %d removals from oversized bodies", len(items), len(removed))
	}
}
