package ops

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/signpost/signpost/shared/httpx"
)

// sessionCookie is the page's sign-in cookie. Its value is an HMAC of the operator token under
// the per-process key, so it never carries the token and stops working when the process restarts.
const sessionCookie = "ops_session"

// sessionMaxAge is how long a browser keeps a sign-in: about one on-call shift.
const sessionMaxAge = 12 * 60 * 60

// mac is the hex HMAC-SHA256 of label and value under the per-process key.
func (o *Ops) mac(label, value string) string {
	h := hmac.New(sha256.New, o.key)
	h.Write([]byte(label))
	h.Write([]byte{0})
	h.Write([]byte(value))
	return hex.EncodeToString(h.Sum(nil))
}

// tokenMatches reports whether given is the operator token, in constant time. Both sides are
// hashed first so neither the content nor the length of the token leaks through timing.
func (o *Ops) tokenMatches(given string) bool {
	if o.token == "" || given == "" {
		return false
	}
	return hmac.Equal([]byte(o.mac("token", given)), []byte(o.mac("token", o.token)))
}

// session is the cookie value a signed-in operator holds.
func (o *Ops) session() string { return o.mac("session", o.token) }

// csrfToken is the hidden form field that proves a POST came from a page this process served to
// the signed-in operator.
func (o *Ops) csrfToken() string { return o.mac("csrf", o.session()) }

// signedIn reports whether the request carries a valid session cookie.
func (o *Ops) signedIn(r *http.Request) bool {
	if o.token == "" {
		return false
	}
	c, err := r.Cookie(sessionCookie)
	return err == nil && hmac.Equal([]byte(c.Value), []byte(o.session()))
}

// csrfValid reports whether a parsed form carries this session's CSRF token.
func (o *Ops) csrfValid(r *http.Request) bool {
	return hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(o.csrfToken()))
}

// setSession signs the browser in, or out when value is empty.
func setSession(w http.ResponseWriter, r *http.Request, value string) {
	c := &http.Cookie{Name: sessionCookie, Value: value, Path: "/ops", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, MaxAge: sessionMaxAge,
		Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"}
	if value == "" {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

// requireBearer lets through only API calls carrying the operator token as a bearer token.
func (o *Ops) requireBearer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="ops"`)
			httpx.WriteProblem(w, httpx.Problem{Status: http.StatusUnauthorized,
				Detail: "Send the operator token in the header: Authorization: Bearer <token>."})
			return
		}
		if !o.tokenMatches(strings.TrimSpace(token)) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="ops", error="invalid_token"`)
			httpx.WriteProblem(w, httpx.Problem{Status: http.StatusUnauthorized,
				Detail: "That bearer token is not the operator token. Check OPS_TOKEN (or the token you pasted) and try again."})
			return
		}
		next.ServeHTTP(w, r)
	})
}
