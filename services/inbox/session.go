package inbox

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/signpost/signpost/services/inbox/internal/auth"
	"github.com/signpost/signpost/shared/httpx"
)

// The session cookie. Served securely it is named __Host-…, which browsers only accept when
// Secure, without Domain, on Path=/.
const (
	cookieSecure = "__Host-signpost_inbox"
	cookiePlain  = "signpost_inbox"
)

// maxForm bounds what a page form may post (a reply is at most 4 KiB).
const maxForm = 64 << 10

// secure reports whether the session cookie must be Secure for this request.
func (in *Inbox) secure(r *http.Request) bool {
	return !in.cfg.InsecureCookies || r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

// setSession sets the session cookie, or clears it when token is empty. No Max-Age: the cookie
// lasts until the browser closes, and the server ends the session on idleness or at its maximum.
func (in *Inbox) setSession(w http.ResponseWriter, r *http.Request, token string) {
	name := cookiePlain
	if in.secure(r) {
		name = cookieSecure
	}
	c := &http.Cookie{Name: name, Value: token, Path: "/", HttpOnly: true, Secure: in.secure(r), SameSite: http.SameSiteStrictMode}
	if token == "" {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

// sessionToken is the session cookie's token. With secure cookies only the __Host- cookie counts:
// a plain-named cookie could have been planted by a sibling site or over plain http, to sign the
// browser in to someone else's session.
func (in *Inbox) sessionToken(r *http.Request) string {
	names := []string{cookieSecure, cookiePlain}
	if !in.cfg.InsecureCookies {
		names = names[:1]
	}
	for _, name := range names {
		if c, err := r.Cookie(name); err == nil && c.Value != "" {
			return c.Value
		}
	}
	return ""
}

// client is where the request came from, for the audit log and throttling.
func (in *Inbox) client(r *http.Request) string { return httpx.ClientAddress(r, in.cfg.TrustProxy) }

// handler is a page or API handler for a signed-in person.
type handler func(w http.ResponseWriter, r *http.Request, p auth.Principal)

// liveHeader marks the requests the page's script makes to refresh itself: they are not the
// person's activity, so they do not restart the idle timer.
const liveHeader = "X-Signpost-Live"

// signedIn lets through only people signed in to a live session, and on a POST only with the
// session's CSRF token. Anyone else is sent to sign in.
func (in *Inbox) signedIn(next handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := in.sessionToken(r)
		var p auth.Principal
		var err error
		if r.Method == http.MethodGet && r.Header.Get(liveHeader) == "1" || fromAnotherSite(r) {
			p, err = in.sessions.Peek(r.Context(), token) // not the person's activity: the idle timer runs on
		} else {
			p, err = in.sessions.Touch(r.Context(), token)
		}
		switch {
		case errors.Is(err, auth.ErrSignedOut):
			if token != "" {
				in.setSession(w, r, "")
			}
			to := "/inbox/sign-in"
			if r.Method == http.MethodGet && r.Header.Get(liveHeader) == "" {
				to += "?" + url.Values{"next": {r.URL.RequestURI()}}.Encode()
			} else if token != "" {
				to += "?flash=ended"
			}
			if r.Header.Get(liveHeader) == "1" {
				w.Header().Set("X-Signpost-Signed-Out", "1")
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		case err != nil:
			in.log.Error().Err(err).Msg("read session")
			in.message(w, r, nil, http.StatusServiceUnavailable, "Signpost is not available just now",
				"Your session could not be checked. Wait a moment and reload the page.")
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		if fromAnotherSite(r) {
			in.log.Warn().Str("user_id", p.UserID.String()).Str("path", r.URL.Path).Msg("request refused: sent from another site")
			in.message(w, r, &p, http.StatusForbidden, "Open this page from the inbox",
				"The link came from another website, so it was not followed and nothing was recorded or changed. Go to the inbox and open the page from there.")
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			if err := r.ParseForm(); err != nil || !auth.CSRFValid(p.Token, r.PostFormValue("csrf")) {
				in.log.Warn().Str("user_id", p.UserID.String()).Str("path", r.URL.Path).Msg("form refused: missing or wrong CSRF token")
				in.message(w, r, &p, http.StatusForbidden, "This form could not be accepted",
					"It has expired or did not come from a Signpost page, so nothing was changed. Go back, reload the page and try again.")
				return
			}
		}
		next(w, r, p)
	}
}

// fromAnotherSite reports whether the browser says the request was made by a page of another
// origin (Sec-Fetch-Site). SameSite=Strict keeps the cookie off requests from other sites, but a
// sibling site (another subdomain) still sends it: its <img> or <iframe> could otherwise open an
// item or an export as the person, putting a view or an export they never made in the audit log.
// Links typed, bookmarked, or followed within the inbox say same-origin or none.
func fromAnotherSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-site", "cross-site":
		return true
	}
	return false
}

// nextPath is where to go after signing in: a path of the inbox, never another site.
func nextPath(s string) string {
	if strings.HasPrefix(s, "/inbox") && !strings.HasPrefix(s, "//") && !strings.ContainsAny(s, "\\\r\n") {
		return s
	}
	return "/inbox"
}
