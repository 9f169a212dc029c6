package ingest_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/signpost/signpost/services/ingest"
	"github.com/signpost/signpost/services/ingest/internal/facebook"
)

// TestForgedFacebookDeliveriesPublishNothing sends a real delivery with what a forger could put
// in its headers; only the HMAC of the exact bytes with the app's secret is let in.
func TestForgedFacebookDeliveriesPublishNothing(t *testing.T) {
	srv, n := server(t)
	valid := facebook.Sign([]byte(appSecret), []byte(delivery))
	other := `{"object":"page","entry":[]}`
	emptyKey := hmac.New(sha256.New, nil)
	emptyKey.Write([]byte(delivery))
	for _, c := range []struct {
		name, body string
		headers    [][2]string
	}{
		{"empty signature", delivery, [][2]string{{facebook.SignatureHeader, ""}}},
		{"prefix only", delivery, [][2]string{{facebook.SignatureHeader, "sha256="}}},
		{"signature of a different body", delivery, [][2]string{{facebook.SignatureHeader, facebook.Sign([]byte(appSecret), []byte(other))}}},
		{"valid body, signature truncated", delivery, [][2]string{{facebook.SignatureHeader, valid[:len(valid)-2]}}},
		{"HMAC with an empty key", delivery, [][2]string{{facebook.SignatureHeader, "sha256=" + hex.EncodeToString(emptyKey.Sum(nil))}}},
		{"a body appended after the signed one", delivery + " ", [][2]string{{facebook.SignatureHeader, valid}}},
		{"the wrong value first, the right one second", delivery, [][2]string{{facebook.SignatureHeader, "sha256=" + strings.Repeat("0", 64)},
			{facebook.SignatureHeader, valid}}},
		{"sha1 header with the right digest", delivery, [][2]string{{"X-Hub-Signature", valid}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/webhooks/facebook", strings.NewReader(c.body))
			req.Header.Set("Content-Type", "application/json")
			for _, h := range c.headers {
				req.Header.Add(h[0], h[1])
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(b), "signed") {
				t.Errorf("status %d (%s), want 401 saying it is not signed", resp.StatusCode, b)
			}
			if strings.Contains(string(b), strings.TrimPrefix(valid, "sha256=")) || strings.Contains(string(b), appSecret) {
				t.Errorf("the refusal gives away the digest or the secret: %s", b)
			}
		})
	}
	if items, removed := published(t, n); len(items)+len(removed) != 0 {
		t.Fatalf("published %d items and %d removals from forged deliveries", len(items), len(removed))
	}
	upper := "sha256=" + strings.ToUpper(strings.TrimPrefix(valid, "sha256="))
	if resp := postDelivery(t, srv.URL, delivery, map[string]string{facebook.SignatureHeader: upper}); resp.StatusCode != http.StatusOK {
		t.Errorf("upper-case hex of the right digest: %d, want 200", resp.StatusCode)
	}
}

// TestUnconfiguredWebhooksRefuseEverything: with no app secret or push token set, nothing signed
// or authenticated with an empty secret gets in, and the answer says intake is not set up (so
// Meta and Pub/Sub deliver again once it is).
func TestUnconfiguredWebhooksRefuseEverything(t *testing.T) {
	srv, n, _ := serverWithConfig(t, func(c *ingest.Config) { c.FacebookAppSecret, c.GooglePushToken = "", "" })
	emptyKey := hmac.New(sha256.New, nil)
	emptyKey.Write([]byte(delivery))
	resp := postDelivery(t, srv.URL, delivery, map[string]string{facebook.SignatureHeader: "sha256=" + hex.EncodeToString(emptyKey.Sum(nil))})
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("Facebook without an app secret: %d, want 503", resp.StatusCode)
	}
	for _, query := range []string{"", "?token=", "?token=%20"} {
		resp, err := http.Post(srv.URL+"/webhooks/google"+query, "application/json", strings.NewReader(googlePush(t)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("Google without a push token, query %q: %d, want 503", query, resp.StatusCode)
		}
	}
	if items, removed := published(t, n); len(items)+len(removed) != 0 {
		t.Fatalf("published %d items and %d removals", len(items), len(removed))
	}
}

func googlePush(t *testing.T) string {
	t.Helper()
	data, _ := json.Marshal(map[string]string{"type": "NEW_REVIEW", "review": "accounts/1000000002/locations/2000000003/reviews/r1",
		"location": "accounts/1000000002/locations/2000000003"})
	body, _ := json.Marshal(map[string]any{"message": map[string]string{"data": base64.StdEncoding.EncodeToString(data), "messageId": "1"}})
	return string(body)
}

// TestGooglePushesWithoutTheTokenPublishNothing tries the token where it does not belong or
// nearly right.
func TestGooglePushesWithoutTheTokenPublishNothing(t *testing.T) {
	srv, n := server(t)
	for name, c := range map[string]struct{ query, auth string }{
		"no token":                   {"", ""},
		"token in another parameter": {"?access_token=" + pushToken, ""},
		"token with a suffix":        {"?token=" + pushToken + "x", ""},
		"token prefix":               {"?token=" + pushToken[:len(pushToken)-1], ""},
		"token in upper case":        {"?token=" + strings.ToUpper(pushToken), ""},
		"basic instead of bearer":    {"", "Basic " + base64.StdEncoding.EncodeToString([]byte(pushToken))},
		"bearer without a token":     {"", "Bearer "},
		"wrong bearer":               {"", "Bearer " + pushToken + "0"},
	} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/webhooks/google"+c.query, strings.NewReader(googlePush(t)))
		req.Header.Set("Content-Type", "application/json")
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, resp.StatusCode)
		}
	}
	if items, _ := published(t, n); len(items) != 0 {
		t.Fatalf("published %d items", len(items))
	}
}
