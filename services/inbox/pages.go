package inbox

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/signpost/signpost/services/inbox/internal/audit"
	"github.com/signpost/signpost/services/inbox/internal/auth"
	"github.com/signpost/signpost/services/inbox/internal/scope"
	"github.com/signpost/signpost/services/inbox/internal/views"
)

func (in *Inbox) pageRoutes(mux *http.ServeMux) {
	cop := http.NewCrossOriginProtection() // refuses cross-site POSTs before the CSRF token is even looked at
	page := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, cop.Handler(h)) }
	person := func(pattern string, h handler) { page(pattern, in.signedIn(h)) }

	mux.HandleFunc("GET /inbox/inbox.css", serveStatic(stylesheet, "text/css; charset=utf-8"))
	mux.HandleFunc("GET /inbox/live.js", serveStatic(liveScript, "text/javascript; charset=utf-8"))
	page("GET /inbox/sign-in", in.signInForm)
	page("POST /inbox/sign-in", in.signIn)
	page("GET /inbox/events", in.events)
	person("POST /inbox/sign-out", in.signOut)
	person("GET /inbox", in.home)
	person("GET /inbox/{$}", in.home)
	person("GET /inbox/views/{view}", in.list)
	person("GET /inbox/views/{view}/export.csv", in.export)
	person("GET /inbox/items/{id}", in.item)
	person("POST /inbox/items/{id}/reply", in.approveReply)
	person("POST /inbox/items/{id}/decision", in.decide)
	person("POST /inbox/items/{id}/handled", in.markHandled)
	person("POST /inbox/items/{id}/case", in.moveCase)
	person("POST /inbox/items/{id}/reported", in.markReported)
	person("GET /inbox/reports/fft", in.fftReport)
	person("GET /inbox/reports/fft.csv", in.fftCSV)
	person("GET /inbox/audit", in.auditLog)
}

// inScope runs fn confined to the person's organisation.
func (in *Inbox) inScope(ctx context.Context, p auth.Principal, fn func(*sqlx.Tx) error) error {
	return scope.InOrganisation(ctx, in.db, p.Organisation, fn)
}

// record is an audit line for the request.
func (in *Inbox) record(r *http.Request, p auth.Principal, action string, item *uuid.UUID, detail string) audit.Entry {
	return audit.Entry{Organisation: p.Organisation, UserID: p.UserID, UserEmail: p.Email, Action: action, ItemID: item,
		Detail: detail, Client: in.client(r), Via: p.Via}
}

// frame builds the page frame for the person, with the views' counts read in tx.
func (in *Inbox) frame(r *http.Request, tx *sqlx.Tx, p auth.Principal, title, current string) (frame, error) {
	names, _ := in.practices(p.Organisation)
	f := frame{Title: title, User: &p, Organisation: in.organisationName(p.Organisation), CSRF: auth.CSRFToken(p.Token),
		Views: views.All, Current: current, Practices: names, Now: in.now(), Flash: flashFrom(r.URL.Query()), Live: true}
	counts, err := views.Counts(r.Context(), tx, p.Organisation)
	f.Counts = counts
	return f, err
}

// unavailable tells the person the database could not be reached, and logs why (never text).
func (in *Inbox) unavailable(w http.ResponseWriter, r *http.Request, p auth.Principal, err error) {
	in.log.Error().Err(err).Str("path", r.URL.Path).Str("user_id", p.UserID.String()).Msg("inbox request failed")
	w.Header().Set("Retry-After", "5")
	in.message(w, r, &p, http.StatusServiceUnavailable, "Signpost is not available just now",
		"Nothing was changed. Wait a moment and try again.")
}

// notFound is the same for an item that does not exist and one of another organisation.
func (in *Inbox) notFound(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	in.message(w, r, &p, http.StatusNotFound, "Page not found",
		"There is no such item or page in your organisation's inbox. Check the link, or go back to the inbox.")
}

func (in *Inbox) home(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	var counts map[string]int
	if err := in.inScope(r.Context(), p, func(tx *sqlx.Tx) (err error) {
		counts, err = views.Counts(r.Context(), tx, p.Organisation)
		return err
	}); err != nil {
		in.unavailable(w, r, p, err)
		return
	}
	to := "respond"
	for _, v := range views.All {
		if counts[v.Slug] > 0 {
			to = v.Slug
			break
		}
	}
	http.Redirect(w, r, "/inbox/views/"+to, http.StatusSeeOther)
}

type listPage struct {
	frame
	View          views.View
	Filter        views.Filter
	Rows          []views.Row
	More          bool
	Channels      []string
	Flags         []string
	PracticeSlugs []string
	ExportURL     string
}

func (in *Inbox) list(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	v, ok := views.Find(r.PathValue("view"))
	if !ok {
		in.notFound(w, r, p)
		return
	}
	_, slugs := in.practices(p.Organisation)
	filter, problems := views.ParseFilter(r.URL.Query().Get, slugs)
	page := listPage{View: v, Filter: filter, Channels: channelNames(), Flags: flagNames(), PracticeSlugs: slugs}
	err := in.inScope(r.Context(), p, func(tx *sqlx.Tx) (err error) {
		if page.frame, err = in.frame(r, tx, p, v.Title, v.Slug); err != nil {
			return err
		}
		page.Rows, err = views.List(r.Context(), tx, p.Organisation, v, filter, views.Limit+1)
		return err
	})
	if err != nil {
		in.unavailable(w, r, p, err)
		return
	}
	if len(page.Rows) > views.Limit {
		page.Rows, page.More = page.Rows[:views.Limit], true
	}
	q := r.URL.Query()
	q.Del("flash")
	page.ExportURL = "/inbox/views/" + v.Slug + "/export.csv?" + q.Encode()
	page.Problems = problems
	status := http.StatusOK
	if len(problems) > 0 {
		status = http.StatusBadRequest
	}
	in.render(w, status, "list", page)
}

func (in *Inbox) export(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	v, ok := views.Find(r.PathValue("view"))
	if !ok {
		in.notFound(w, r, p)
		return
	}
	_, slugs := in.practices(p.Organisation)
	filter, problems := views.ParseFilter(r.URL.Query().Get, slugs)
	if len(problems) > 0 {
		in.message(w, r, &p, http.StatusBadRequest, "The export could not be made", problems[0].Text+" Go back to the view and change the filter.")
		return
	}
	var rows []views.Row
	err := in.inScope(r.Context(), p, func(tx *sqlx.Tx) (err error) {
		if rows, err = views.List(r.Context(), tx, p.Organisation, v, filter, 0); err != nil {
			return err
		}
		return audit.Record(r.Context(), tx, in.record(r, p, audit.Exported, nil, "view="+v.Slug+" "+filter.Describe()+" rows="+itoa(len(rows))))
	})
	if err != nil {
		in.unavailable(w, r, p, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="signpost-`+v.Slug+`-`+in.now().In(london).Format("2006-01-02")+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if err := views.WriteCSV(w, rows, london); err != nil {
		in.log.Warn().Err(err).Msg("export interrupted")
	}
}

func (in *Inbox) signOut(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	if err := in.sessions.End(r.Context(), p.Token); err != nil {
		in.unavailable(w, r, p, err)
		return
	}
	if err := in.inScope(r.Context(), p, func(tx *sqlx.Tx) error {
		return audit.Record(r.Context(), tx, in.record(r, p, audit.SignedOut, nil, ""))
	}); err != nil {
		in.log.Error().Err(err).Msg("audit sign-out")
	}
	in.setSession(w, r, "")
	http.Redirect(w, r, "/inbox/sign-in?flash=signed-out", http.StatusSeeOther)
}

// parseItem reads {id}; a malformed id is as missing as an unknown one.
func parseItem(r *http.Request) (uuid.UUID, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	return id, err == nil
}

func itemURL(id uuid.UUID, flash string) string {
	u := "/inbox/items/" + id.String()
	if flash != "" {
		u += "?" + url.Values{"flash": {flash}}.Encode()
	}
	return u
}

// done answers an action: back to the item with a flash, 404 for a missing item, 409 with the
// reason for an action that does not fit.
func (in *Inbox) done(w http.ResponseWriter, r *http.Request, p auth.Principal, id uuid.UUID, err error, flash string) {
	switch {
	case err == nil:
		http.Redirect(w, r, itemURL(id, flash), http.StatusSeeOther)
	case errors.Is(err, errNotFound):
		in.notFound(w, r, p)
	case isNotApplicable(err):
		in.message(w, r, &p, http.StatusConflict, "That could not be done", err.Error()+" Nothing was changed.")
	default:
		in.unavailable(w, r, p, err)
	}
}
