package inbox

import (
	"net/http"
	"strconv"

	"github.com/jmoiron/sqlx"

	"github.com/signpost/signpost/services/inbox/internal/audit"
	"github.com/signpost/signpost/services/inbox/internal/auth"
	"github.com/signpost/signpost/services/inbox/internal/views"
)

type signInPage struct {
	frame
	Email, Next string
}

func (in *Inbox) signInForm(w http.ResponseWriter, r *http.Request) {
	if _, err := in.sessions.Peek(r.Context(), in.sessionToken(r)); err == nil {
		http.Redirect(w, r, nextPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	page := signInPage{frame: frame{Title: "Sign in", Now: in.now(), Flash: flashFrom(r.URL.Query())}, Next: nextPath(r.URL.Query().Get("next"))}
	in.render(w, http.StatusOK, "signin", page)
}

// signIn checks the email and password. Failed attempts are counted per email (whether or not an
// account has it) and per client address; past the limit, sign-in is paused for a while and the
// page says until when. The refusal never says whether the email has an account.
func (in *Inbox) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	_ = r.ParseForm()
	email, password, next := r.PostFormValue("email"), r.PostFormValue("password"), nextPath(r.PostFormValue("next"))
	client := in.client(r)
	page := signInPage{frame: frame{Title: "Sign in", Now: in.now()}, Email: email, Next: next}
	refuse := func(status int, text string) {
		page.Problems = []views.Problem{{Field: "password", Text: text}}
		in.render(w, status, "signin", page)
	}
	if email == "" || password == "" {
		refuse(http.StatusBadRequest, "Enter your email address and your password.")
		return
	}
	// The attempt is counted before the password is checked, so that attempts sent at the same
	// moment cannot all be checked before any of them is counted.
	until, locked, err := in.throttle.Attempt(r.Context(), email, client)
	if err != nil {
		in.log.Error().Err(err).Msg("sign-in throttle")
		refuse(http.StatusServiceUnavailable, "Signing in is not possible just now. Wait a moment and try again.")
		return
	}
	if locked {
		in.log.Warn().Str("client", client).Str("outcome", "throttled").Msg("sign-in refused")
		w.Header().Set("Retry-After", strconv.Itoa(int(until.Sub(in.now()).Seconds())+1))
		refuse(http.StatusTooManyRequests, "There have been too many failed attempts to sign in, so signing in is paused until "+
			until.In(london).Format("15:04")+". Try again then, or ask your organisation's administrator to help.")
		return
	}
	u, ok, err := auth.Authenticate(r.Context(), in.db, in.cfg.PasswordCost.argon2id(), email, password)
	if err != nil {
		in.log.Error().Err(err).Msg("sign-in")
		refuse(http.StatusServiceUnavailable, "Signing in is not possible just now. Wait a moment and try again.")
		return
	}
	if !ok {
		in.log.Info().Str("client", client).Str("outcome", "refused").Msg("sign-in refused")
		refuse(http.StatusUnauthorized, "The email address or the password is not right. Check them and try again.")
		return
	}
	token, err := in.sessions.Start(r.Context(), u, client)
	if err == nil {
		err = in.throttle.Succeeded(r.Context(), email, client)
	}
	if err == nil {
		p := auth.Principal{UserID: u.ID, Organisation: u.Organisation, Email: u.Email, Role: u.Role, Token: token, Via: "page"}
		err = in.inScope(r.Context(), p, func(tx *sqlx.Tx) error {
			return audit.Record(r.Context(), tx, in.record(r, p, audit.SignedIn, nil, ""))
		})
	}
	if err != nil {
		in.log.Error().Err(err).Msg("start session")
		refuse(http.StatusServiceUnavailable, "Signing in is not possible just now. Wait a moment and try again.")
		return
	}
	in.log.Info().Str("user_id", u.ID.String()).Str("organisation", u.Organisation).Str("outcome", "signed_in").Msg("signed in")
	in.setSession(w, r, token)
	http.Redirect(w, r, next, http.StatusSeeOther)
}
