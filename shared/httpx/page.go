package httpx

import (
	"bytes"
	"html/template"
	"net/http"
)

// Page content security policies: a staff page with no script, and one whose own script refreshes it.
const (
	PolicyNoScript = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
	PolicyScript   = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

// PageHeaders are the headers of a page for signed-in staff: the content security policy, never
// framed, sniffed or cached (it may show patient data).
func PageHeaders(h http.Header, policy string) {
	h.Set("Content-Security-Policy", policy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
}

// RenderPage writes t's "layout" template with data and the page headers. If the template fails,
// nothing of it is sent: the page is fallback (plain HTML) with status 500, and the error is
// returned for the log.
func RenderPage(w http.ResponseWriter, status int, t *template.Template, data any, policy, fallback string) error {
	var buf bytes.Buffer
	err := t.ExecuteTemplate(&buf, "layout", data)
	if err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(fallback)
	}
	PageHeaders(w.Header(), policy)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return err
}
