package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// intake behaves like POST /v1/practices/{practice}/fft-cards for one bad row in the file.
func intake(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("Authorization") != "Bearer tok" || r.Header.Get("Content-Type") != "text/csv" ||
			r.URL.Path != "/v1/practices/charlton-medical-centre/fft-cards" || !strings.HasPrefix(string(body), "date,") {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		errs := []map[string]string{{"field": "row 3 (line 3): answer", "detail": `"Brilliant" is not an FFT answer`}}
		if r.URL.Query().Get("skip_bad_rows") == "true" {
			_ = json.NewEncoder(w).Encode(map[string]any{"imported": 1, "skipped": 1, "errors": errs})
			return
		}
		w.WriteHeader(http.StatusUnprocessableEntity)
		_ = json.NewEncoder(w).Encode(map[string]any{"detail": "1 row(s) need correcting; nothing was imported", "errors": errs})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestImportReportsRowsAndFailsWhenNothingWasImported(t *testing.T) {
	srv := intake(t)
	file := filepath.Join(t.TempDir(), "cards.csv")
	_ = os.WriteFile(file, []byte("date,answer,text,practice\n"), 0o600)
	env := func(k string) string { return map[string]string{"INGEST_API_TOKEN": "tok"}[k] }
	var out strings.Builder
	err := run(context.Background(), []string{"-url", srv.URL, "-practice", "charlton-medical-centre", file}, env, &out)
	if err == nil || !strings.Contains(err.Error(), "nothing was imported") || !strings.Contains(out.String(), "row 3 (line 3): answer") {
		t.Errorf("err %v, out %q", err, out.String())
	}
	out.Reset()
	err = run(context.Background(), []string{"-url", srv.URL, "-practice", "charlton-medical-centre", "-skip-bad-rows", file}, env, &out)
	if err != nil || !strings.Contains(out.String(), "imported 1 card(s), skipped 1") {
		t.Errorf("err %v, out %q", err, out.String())
	}
	if err := run(context.Background(), []string{"-practice", "x", file}, func(string) string { return "" }, &out); err == nil {
		t.Error("no token must fail")
	}
}
