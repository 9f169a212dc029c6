package graph

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzAPIError reads any error answer Graph may give: the error never quotes the message or the
// comment it was about, whatever Graph echoes.
func FuzzAPIError(f *testing.F) {
	f.Add(400, []byte(`{"error":{"message":"(#10) Cannot reply to 202_5_1: Three weeks waiting","type":"OAuthException","code":10,"error_subcode":2018278,"fbtrace_id":"AbC"}}`), "5")
	f.Add(500, []byte(`{"error":null}`), "")
	f.Add(400, []byte(`{"error":{"type":"Three weeks waiting","fbtrace_id":"202_5_1"}}`), "")
	f.Add(429, []byte(`not json`), "Sat, 21 Nov 2026 12:01:00 GMT")
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter string) {
		const sent, comment = "Three weeks waiting", "202_5_1"
		e := apiError(&http.Response{StatusCode: status, Header: http.Header{"Retry-After": {retryAfter}}}, body, sent, comment)
		msg := strings.ReplaceAll(e.Error(), "[redacted]", "\x00")
		if strings.Contains(strings.ToLower(msg), strings.ToLower(sent)) || strings.Contains(msg, comment) {
			t.Fatalf("the error quotes what was sent: %s", e.Error())
		}
		if e.RetryAfter < 0 || len(e.Message) > 400 {
			t.Fatalf("Retry-After %v, message of %d bytes", e.RetryAfter, len(e.Message))
		}
	})
}
