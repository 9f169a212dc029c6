package inbox

import (
	"errors"
	"net/http"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/signpost/signpost/services/inbox/internal/actions"
	"github.com/signpost/signpost/services/inbox/internal/audit"
	"github.com/signpost/signpost/services/inbox/internal/auth"
	"github.com/signpost/signpost/services/inbox/internal/itemview"
	"github.com/signpost/signpost/services/inbox/internal/views"
	"github.com/signpost/signpost/shared/feedback"
)

type itemPage struct {
	frame
	V                itemview.View
	CurrentTitle     string
	Today            string
	Routes, Flags    []string
	CurrentFlags     []string
	CanReply         bool
	ReplyDraft       string
	ReplyDestination string
	ReplyProblem     string
	History          []audit.Entry
}

// viewOf is the view an item's page goes back to: that of its first open entry.
func viewOf(v itemview.View) views.View {
	for _, e := range v.Actions.Inbox {
		for _, view := range views.All {
			for _, k := range view.Kinds {
				if k == e.Kind && (e.State == "open" || len(v.Actions.Inbox) == 1) {
					return view
				}
			}
		}
	}
	return views.All[0]
}

// showItem reads the item and renders its page; the view is recorded in the audit log in the
// same transaction.
func (in *Inbox) showItem(w http.ResponseWriter, r *http.Request, p auth.Principal, id uuid.UUID, status int, replyDraft, replyProblem string) {
	var page itemPage
	err := in.inScope(r.Context(), p, func(tx *sqlx.Tx) (err error) {
		if page.V, err = itemview.Find(r.Context(), tx, p.Organisation, id); err != nil {
			return err
		}
		back := viewOf(page.V)
		if page.frame, err = in.frame(r, tx, p, "Item", back.Slug); err != nil {
			return err
		}
		page.CurrentTitle = back.Title
		if page.History, err = audit.History(r.Context(), tx, p.Organisation, id); err != nil {
			return err
		}
		if r.Header.Get(liveHeader) == "1" {
			// The open page refreshing itself is not a new view, if its opening was recorded.
			// Anyone can send the header, so without a recent view of this person's it counts.
			seen, err := audit.ViewedWithin(r.Context(), tx, p.Organisation, p.UserID, id, in.cfg.IdleTimeout)
			if err != nil || seen {
				return err
			}
		}
		return audit.Record(r.Context(), tx, in.record(r, p, audit.ViewItem, &id, ""))
	})
	switch {
	case errors.Is(err, itemview.ErrNotFound):
		in.notFound(w, r, p)
		return
	case err != nil:
		in.unavailable(w, r, p, err)
		return
	}
	it := page.V.Item
	page.Title = label(channelLabels, it.Channel) + " from " + page.Practices[it.Practice]
	page.LiveItem = it.ID.String()
	page.Today = in.now().In(london).Format("2006-01-02")
	page.Routes, page.Flags = routeNames(), flagNames()
	if d := page.V.Decision; d != nil {
		page.CurrentFlags = []string(d.Flags)
	}
	page.ReplyDestination = actions.Destination(feedback.Channel(it.Channel))
	suggested, ok := page.V.Actions.Suggested()
	page.CanReply = ok || page.V.Actions.Reply != nil
	switch {
	case replyDraft != "":
		page.ReplyDraft = replyDraft
	case page.V.Actions.Reply != nil:
		page.ReplyDraft = page.V.Actions.Reply.Body
	case ok:
		page.ReplyDraft = suggested.SuggestedReply
	}
	if replyProblem != "" {
		page.ReplyProblem = replyProblem
		page.Problems = []views.Problem{{Field: "reply", Text: replyProblem}}
	}
	in.render(w, status, "item", page)
}

func (in *Inbox) item(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	id, ok := parseItem(r)
	if !ok {
		in.notFound(w, r, p)
		return
	}
	in.showItem(w, r, p, id, http.StatusOK, "", "")
}

func (in *Inbox) approveReply(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	id, ok := parseItem(r)
	if !ok {
		in.notFound(w, r, p)
		return
	}
	body := r.PostFormValue("body")
	var dest string
	err := in.inScope(r.Context(), p, func(tx *sqlx.Tx) (err error) {
		if dest, err = actions.ApproveReply(r.Context(), tx, p.Organisation, id, p.UserID, p.Email, body); err != nil {
			return err
		}
		return audit.Record(r.Context(), tx, in.record(r, p, audit.ApprovedReply, &id, "to be posted: "+dest))
	})
	if errors.Is(err, actions.ErrEmptyReply) || errors.Is(err, actions.ErrLongReply) {
		in.showItem(w, r, p, id, http.StatusUnprocessableEntity, body, capitalise(err.Error())+".")
		return
	}
	flash := "reply-hand"
	if dest == "google" {
		flash = "reply-google"
	}
	in.done(w, r, p, id, err, flash)
}

func (in *Inbox) decide(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	id, ok := parseItem(r)
	if !ok {
		in.notFound(w, r, p)
		return
	}
	confirm := r.PostFormValue("decision") == "confirm"
	route := feedback.Route(r.PostFormValue("route"))
	var flags []feedback.Flag
	for _, f := range r.PostForm["flag"] {
		flags = append(flags, feedback.Flag(f))
	}
	var rev actions.Revision
	err := in.inScope(r.Context(), p, func(tx *sqlx.Tx) (err error) {
		if rev, err = actions.Decide(r.Context(), tx, p.Organisation, id, p.UserID, confirm, route, flags); err != nil {
			return err
		}
		action, detail := audit.ConfirmedDecision, string(rev.Decision.Route)
		if rev.Kind == actions.Corrected {
			action = audit.CorrectedDecision
		}
		for _, f := range rev.Decision.Flags {
			detail += ", " + string(f)
		}
		return audit.Record(r.Context(), tx, in.record(r, p, action, &id, "now "+detail))
	})
	if errors.Is(err, actions.ErrInvalidDecision) {
		in.message(w, r, &p, http.StatusUnprocessableEntity, "The correction could not be saved",
			"Choose one route and only flags from the list, then save the correction again. Nothing was changed.")
		return
	}
	if err != nil {
		in.done(w, r, p, id, err, "")
		return
	}
	flash := rev.Kind
	if err := in.publish(rev); err != nil {
		in.log.Warn().Err(err).Str("item_id", id.String()).Msg("decision saved; publishing left to the sweep")
		flash = "publish-later"
	} else if err := actions.MarkPublished(r.Context(), in.db, rev.ID); err != nil {
		in.log.Warn().Err(err).Str("item_id", id.String()).Msg("decision published; marking it left to the sweep")
	}
	in.log.Info().Str("item_id", id.String()).Str("correlation_id", rev.CorrelationID).Str("route", string(rev.Decision.Route)).
		Str("outcome", rev.Kind).Msg("decision revised by a person")
	in.done(w, r, p, id, nil, flash)
}

func (in *Inbox) markHandled(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	in.act(w, r, p, audit.MarkedHandled, "handled", func(tx *sqlx.Tx, id uuid.UUID) (string, error) {
		kind := r.PostFormValue("kind")
		return label(kindLabels, kind), actions.MarkHandled(r.Context(), tx, p.Organisation, id, kind)
	})
}

func (in *Inbox) moveCase(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	to := r.PostFormValue("to")
	action := audit.CaseAcknowledged
	if to == "responded" {
		action = audit.CaseResponded
	}
	in.act(w, r, p, action, to, func(tx *sqlx.Tx, id uuid.UUID) (string, error) {
		return "", actions.MoveCase(r.Context(), tx, p.Organisation, id, to)
	})
}

func (in *Inbox) markReported(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	in.act(w, r, p, audit.MarkedReported, "reported", func(tx *sqlx.Tx, id uuid.UUID) (string, error) {
		return "", actions.MarkReported(r.Context(), tx, p.Organisation, id)
	})
}

// act runs one action on the item and records it, in one transaction.
func (in *Inbox) act(w http.ResponseWriter, r *http.Request, p auth.Principal, action, flash string,
	fn func(*sqlx.Tx, uuid.UUID) (string, error)) {
	id, ok := parseItem(r)
	if !ok {
		in.notFound(w, r, p)
		return
	}
	err := in.inScope(r.Context(), p, func(tx *sqlx.Tx) error {
		detail, err := fn(tx, id)
		if err != nil {
			return err
		}
		return audit.Record(r.Context(), tx, in.record(r, p, action, &id, detail))
	})
	in.done(w, r, p, id, err, flash)
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
