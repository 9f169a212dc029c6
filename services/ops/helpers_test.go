package ops_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/signpost/signpost/services/ops"
	"github.com/signpost/signpost/services/ops/internal/fake"
)

const (
	token = "op-token-3f9a1c0b7e"
	// payload stands for the patient data in a dead letter: it must never appear anywhere.
	payload = "PATIENT-PAYLOAD Dr Patel was rude, my NHS number is 943 476 5919"
)

var deadLetteredAt = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// logEntry is one line the service logged.
type logEntry struct {
	Msg    string
	Fields map[string]any
}

type logRecorder struct {
	mu      sync.Mutex
	entries []logEntry
}

func (l *logRecorder) log(msg string, f map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, logEntry{msg, f})
}

// find returns the entries whose action is action.
func (l *logRecorder) find(action string) []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []logEntry
	for _, e := range l.entries {
		if e.Fields["action"] == action {
			out = append(out, e)
		}
	}
	return out
}

func (l *logRecorder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, _ := json.Marshal(l.entries)
	return string(b)
}

type harness struct {
	store *fake.Store
	ops   *ops.Ops
	mux   *http.ServeMux
	logs  *logRecorder
}

// newHarness serves the real handlers over a fake holding dead letters 7 and 9.
func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{store: fake.New(), mux: http.NewServeMux(), logs: &logRecorder{}}
	h.store.Add(ops.DeadLetter{Seq: 7, MessageID: "msg-7", Origin: "feedback.received", Handler: "classify",
		Reason: "classifier model not loaded", Attempts: 5, At: deadLetteredAt}, []byte(payload))
	h.store.Add(ops.DeadLetter{Seq: 9, MessageID: "msg-9", Origin: "feedback.classified", Handler: "route",
		Reason: "policy for practice charlton-medical-centre missing", Attempts: 3, At: deadLetteredAt.Add(time.Minute)}, []byte(payload))
	h.ops = ops.New(h.store, h.store, token, h.logs.log)
	h.ops.Routes(h.mux)
	return h
}

// api calls the JSON API with bearer (none when empty) and body (none when empty).
func (h *harness) api(t *testing.T, method, path, bearer, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	h.mux.ServeHTTP(w, req)
	return w
}

// problem decodes a problem+json answer, failing unless it is one with the status.
func problem(t *testing.T, w *httptest.ResponseRecorder, status int) map[string]any {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json", ct)
	}
	var p map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if d, _ := p["detail"].(string); d == "" {
		t.Fatalf("problem without a detail: %s", w.Body)
	}
	return p
}

func decode[T any](t *testing.T, w *httptest.ResponseRecorder, status int) T {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body)
	}
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("%v: %s", err, w.Body)
	}
	return v
}
