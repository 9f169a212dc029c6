package ops

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// maxForm bounds what a page form may post (replay-all carries one field per dead letter).
const maxForm = 1 << 20

func (o *Ops) pageRoutes(mux *http.ServeMux) {
	cop := http.NewCrossOriginProtection() // refuses cross-site POSTs before the CSRF token is even looked at
	page := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, cop.Handler(h)) }
	op := func(pattern string, h http.HandlerFunc) { page(pattern, o.operator(h)) }

	mux.HandleFunc("GET /ops/ops.css", serveCSS)
	mux.HandleFunc("GET /ops/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/ops", http.StatusMovedPermanently)
	})
	page("GET /ops/sign-in", o.signInForm)
	page("POST /ops/sign-in", o.signIn)
	op("GET /ops", o.dashboard)
	op("POST /ops/sign-out", o.signOut)
	op("GET /ops/dead-letters/replay-all", o.confirmReplayAll)
	op("POST /ops/dead-letters/replay-all", o.replayAllForm)
	op("GET /ops/dead-letters/{seq}/{action}", o.confirmOne)
	op("POST /ops/dead-letters/{seq}/{action}", o.actOne)
}

// operator lets through only signed-in operators, and on a POST only with this session's CSRF
// token. Anyone else is sent to sign in.
func (o *Ops) operator(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !o.signedIn(r) {
			http.Redirect(w, r, "/ops/sign-in", http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			if err := r.ParseForm(); err != nil || !o.csrfValid(r) {
				o.log("form refused: missing or wrong CSRF token", map[string]any{"action": "csrf", "path": r.URL.Path})
				o.render(w, http.StatusForbidden, "message", messagePage{frame: o.frame(r, "Form refused"),
					Heading: "This form could not be accepted",
					Text:    "It has expired or did not come from the operations page, so nothing was changed. Go back to the operations page and try again."})
				return
			}
		}
		next(w, r)
	}
}

func (o *Ops) signInForm(w http.ResponseWriter, r *http.Request) {
	if o.signedIn(r) {
		http.Redirect(w, r, "/ops", http.StatusSeeOther)
		return
	}
	f := o.frame(r, "Sign in")
	if r.URL.Query().Get("flash") == "signed-out" {
		f.Flash = &flash{Text: "You have signed out."}
	}
	o.render(w, http.StatusOK, "signin", f)
}

func (o *Ops) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err == nil && o.tokenMatches(r.PostFormValue("token")) {
		setSession(w, r, o.session())
		o.log("operator signed in", map[string]any{"action": "sign-in", "outcome": "signed_in"})
		http.Redirect(w, r, "/ops", http.StatusSeeOther)
		return
	}
	o.log("sign-in refused", map[string]any{"action": "sign-in", "outcome": "refused"})
	f := o.frame(r, "Sign in")
	f.Problem = "That is not the operator token. Check it and try again."
	o.render(w, http.StatusUnauthorized, "signin", f)
}

func (o *Ops) signOut(w http.ResponseWriter, r *http.Request) {
	setSession(w, r, "")
	o.log("operator signed out", map[string]any{"action": "sign-out", "outcome": "signed_out"})
	http.Redirect(w, r, "/ops/sign-in?flash=signed-out", http.StatusSeeOther)
}

func (o *Ops) dashboard(w http.ResponseWriter, r *http.Request) {
	d := dashboardPage{frame: o.frame(r, "Queues and dead letters")}
	d.Flash = flashFrom(r.URL.Query())
	status := http.StatusOK
	if states, err := o.st.State(r.Context()); err != nil {
		o.log("reading stream state failed", map[string]any{"action": "streams", "error": err.Error()})
		d.StreamsError, status = fmt.Sprintf("Could not read the stream state (%v). Check that NATS is up and reload this page.", err), http.StatusServiceUnavailable
	} else {
		d.Snapshot = o.rates.observe(d.Now, states)
	}
	if list, err := o.listDeadLetters(r); err != nil {
		d.DeadLettersError, status = fmt.Sprintf("Could not read the dead-letter stream (%v). Check that NATS is up and reload this page.", err), http.StatusServiceUnavailable
	} else {
		d.DeadLetters = list
	}
	o.render(w, status, "dashboard", d)
}

func (o *Ops) confirmOne(w http.ResponseWriter, r *http.Request) {
	seq, action, ok := o.pathAction(w, r)
	if !ok {
		return
	}
	d, err := o.dl.Get(r.Context(), seq)
	switch {
	case errors.Is(err, ErrNotFound):
		http.Redirect(w, r, flashURL("gone", seq), http.StatusSeeOther)
	case err != nil:
		o.render(w, http.StatusBadGateway, "message", messagePage{frame: o.frame(r, "Could not read dead letter"),
			Heading: fmt.Sprintf("Could not read dead letter %d", seq),
			Text:    fmt.Sprintf("Reading it failed (%v). Check that NATS is up and try again.", err)})
	default:
		o.render(w, http.StatusOK, "confirm", confirmPage{frame: o.frame(r, confirmTitle(action, seq)), Action: action, Letter: d})
	}
}

func (o *Ops) actOne(w http.ResponseWriter, r *http.Request) {
	seq, action, ok := o.pathAction(w, r)
	if !ok {
		return
	}
	act, done := o.replay, "replayed"
	if action == "discard" {
		act, done = o.discard, "discarded"
	}
	err := act(r.Context(), seq, "page")
	switch {
	case err == nil:
		http.Redirect(w, r, flashURL(done, seq), http.StatusSeeOther)
	case errors.Is(err, ErrNotFound):
		http.Redirect(w, r, flashURL("gone", seq), http.StatusSeeOther)
	default:
		d, gerr := o.dl.Get(r.Context(), seq)
		if gerr != nil {
			d = DeadLetter{Seq: seq}
		}
		p := confirmPage{frame: o.frame(r, confirmTitle(action, seq)), Action: action, Letter: d}
		p.Problem = fmt.Sprintf("That did not work (%v). Nothing was lost: dead letter %d is still in the dead-letter stream. Check that NATS is up and try again.", err, seq)
		o.render(w, http.StatusBadGateway, "confirm", p)
	}
}

func (o *Ops) confirmReplayAll(w http.ResponseWriter, r *http.Request) {
	list, err := o.listDeadLetters(r)
	if err != nil {
		o.render(w, http.StatusServiceUnavailable, "message", messagePage{frame: o.frame(r, "Could not list dead letters"),
			Heading: "Could not list the dead letters",
			Text:    fmt.Sprintf("Reading the dead-letter stream failed (%v). Check that NATS is up and try again.", err)})
		return
	}
	if len(list) == 0 {
		http.Redirect(w, r, "/ops?flash=none", http.StatusSeeOther)
		return
	}
	title := fmt.Sprintf("Replay all %d dead letters?", len(list))
	o.render(w, http.StatusOK, "confirm", confirmPage{frame: o.frame(r, title), Action: "replay-all", Letters: list})
}

// replayAllForm replays exactly the dead letters the confirmation page listed, not any that
// arrived after the operator looked.
func (o *Ops) replayAllForm(w http.ResponseWriter, r *http.Request) {
	var seqs []uint64
	for _, s := range r.PostForm["seq"] {
		if seq, ok := parseSeq(s); ok {
			seqs = append(seqs, seq)
		}
	}
	if len(seqs) == 0 {
		http.Redirect(w, r, "/ops?flash=none", http.StatusSeeOther)
		return
	}
	res := o.replayAll(r.Context(), seqs, "page")
	q := url.Values{"flash": {"replayed-all"}, "ok": {strconv.Itoa(res.Replayed)}, "failed": {strconv.Itoa(res.Failed)}}
	http.Redirect(w, r, "/ops?"+q.Encode(), http.StatusSeeOther)
}

// pathAction reads {seq} and {action} (replay or discard), answering 404 otherwise.
func (o *Ops) pathAction(w http.ResponseWriter, r *http.Request) (uint64, string, bool) {
	seq, ok := parseSeq(r.PathValue("seq"))
	action := r.PathValue("action")
	if !ok || (action != "replay" && action != "discard") {
		o.render(w, http.StatusNotFound, "message", messagePage{frame: o.frame(r, "Page not found"),
			Heading: "Page not found", Text: "Choose Replay or Discard next to a dead letter on the operations page."})
		return 0, "", false
	}
	return seq, action, true
}

func confirmTitle(action string, seq uint64) string {
	if action == "discard" {
		return fmt.Sprintf("Discard dead letter %d?", seq)
	}
	return fmt.Sprintf("Replay dead letter %d?", seq)
}
