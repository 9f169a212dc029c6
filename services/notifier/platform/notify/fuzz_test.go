package notify

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzAPIError reads any error answer GOV.UK Notify may give: the error never quotes the
// recipient's address or the message's personalisation, whatever Notify echoes.
func FuzzAPIError(f *testing.F) {
	f.Add(400, []byte(`{"status_code":400,"errors":[{"error":"ValidationError","message":"email_address patient@example.org Not a valid email address"}]}`), "")
	f.Add(429, []byte(`{"errors":[{"error":"RateLimitError","message":"Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"}]}`), "60")
	f.Add(500, []byte(`{"errors":null}`), "x")
	f.Add(400, []byte(`{"errors":[{"error":"patient@example.org"}]}`), "")
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter string) {
		e := Email{To: "patient@example.org", Personalisation: map[string]string{"body": "Please use our Complaints Procedure"}}
		err := apiError(&http.Response{StatusCode: status, Header: http.Header{"Retry-After": {retryAfter}}}, body, redactions(e)...)
		msg := strings.ToLower(strings.ReplaceAll(err.Error(), "[redacted]", "\x00"))
		if strings.Contains(msg, "patient@example.org") || strings.Contains(msg, "please use our complaints procedure") {
			t.Fatalf("the error quotes the recipient or the message: %s", err.Error())
		}
		if err.RetryAfter < 0 {
			t.Fatalf("Retry-After %v", err.RetryAfter)
		}
	})
}
