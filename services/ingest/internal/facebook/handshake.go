package facebook

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"net/http"
)

// MaxChallengeLength is the longest hub.challenge, in bytes, that Handshake echoes.
const MaxChallengeLength = 256

// Handshake answers Facebook's subscription check: a GET with hub.mode=subscribe,
// hub.verify_token and hub.challenge. When the mode is subscribe and the token equals
// verifyToken (compared in constant time), it replies 200 with the challenge as a text/plain
// body. A wrong mode or token gets 403, a missing challenge or one that is longer than
// MaxChallengeLength or not printable ASCII gets 400, and any method but GET or HEAD gets 405;
// these replies are application/problem+json and never echo the request. An empty verifyToken
// matches nothing.
func Handshake(verifyToken string) http.HandlerFunc {
	want := sha256.Sum256([]byte(verifyToken))
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeProblem(w, http.StatusMethodNotAllowed, "the verification handshake is a GET")
			return
		}
		q := r.URL.Query()
		if q.Get("hub.mode") != "subscribe" {
			writeProblem(w, http.StatusForbidden, "hub.mode must be subscribe")
			return
		}
		got := sha256.Sum256([]byte(q.Get("hub.verify_token")))
		if verifyToken == "" || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			writeProblem(w, http.StatusForbidden, "hub.verify_token does not match the verify token configured for this webhook")
			return
		}
		challenge := q.Get("hub.challenge")
		if !validChallenge(challenge) {
			writeProblem(w, http.StatusBadRequest, "hub.challenge must be 1 to 256 printable ASCII characters")
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(challenge))
	}
}

func validChallenge(s string) bool {
	if s == "" || len(s) > MaxChallengeLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// writeProblem sends an RFC 9457 problem, in the shape the other Signpost services use.
func writeProblem(w http.ResponseWriter, status int, detail string) {
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(struct {
		Type   string `json:"type"`
		Title  string `json:"title"`
		Status int    `json:"status"`
		Detail string `json:"detail"`
	}{"about:blank", http.StatusText(status), status, detail})
}
