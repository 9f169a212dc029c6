package inbox_test

import (
	"net/http"
	"strings"
	"testing"
)

// Every answer with patients' details is kept out of caches, and every page refuses framing, runs
// only the inbox's own script and is not sniffed as something else.
func TestPagesWithPatientsDetailsCarryTheSecurityHeaders(t *testing.T) {
	e := start(t)
	e.user(t, charlton, "pm@charlton.example", "administrator")
	id := e.store(t, item{org: charlton, practice: charlton, channel: "website_review", text: "Kind nurse", route: "official_review", kinds: []string{"respond"}})
	if _, _, h := e.person(t).get("/inbox/sign-in"); !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("the sign-in page's CSP is %q", h.Get("Content-Security-Policy"))
	}
	pm := e.person(t)
	pm.signIn("pm@charlton.example")
	for _, path := range []string{"/inbox/items/" + id.String(), "/inbox/views/respond", "/inbox/audit", "/inbox/reports/fft",
		"/inbox/items/00000000-0000-4000-8000-000000000000"} {
		_, _, h := pm.get(path)
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("GET %s: CSP %q lacks %q", path, csp, want)
			}
		}
		if h.Get("Cache-Control") != "no-store" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("GET %s: Cache-Control %q, X-Content-Type-Options %q, X-Frame-Options %q", path, h.Get("Cache-Control"),
				h.Get("X-Content-Type-Options"), h.Get("X-Frame-Options"))
		}
	}
	for _, path := range []string{"/inbox/views/respond/export.csv", "/inbox/reports/fft.csv", "/v1/organisations/" + charlton + "/items/" + id.String()} {
		status, _, h := pm.get(path)
		if status != http.StatusOK || h.Get("Cache-Control") != "no-store" || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: %d, Cache-Control %q, X-Content-Type-Options %q", path, status, h.Get("Cache-Control"), h.Get("X-Content-Type-Options"))
		}
	}
}
