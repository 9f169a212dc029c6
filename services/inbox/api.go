package inbox

import (
	"errors"
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/signpost/signpost/services/inbox/internal/audit"
	"github.com/signpost/signpost/services/inbox/internal/auth"
	"github.com/signpost/signpost/services/inbox/internal/itemview"
	"github.com/signpost/signpost/shared/httpx"
)

func (in *Inbox) apiRoutes(mux *http.ServeMux) {
	mux.Handle("GET /v1/organisations/{organisation}/items/{id}", in.apiPerson(in.apiItem))
	mux.Handle("GET /v1/organisations/{organisation}/templates/{template}/preview", in.apiPerson(in.preview))
}

// notInOrganisation is the answer for an item that does not exist, one of another organisation,
// and any path naming another organisation: the same words, so nothing can be learnt from it.
var notInOrganisation = httpx.Problem{Status: http.StatusNotFound,
	Detail: "no such item in this organisation; an item just submitted appears once it has been classified"}

// apiPerson lets through requests carrying a person's API token (Authorization: Bearer) or their
// session cookie, for paths of that person's own organisation only.
func (in *Inbox) apiPerson(next handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		var p auth.Principal
		var err error
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, token, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") {
				err = auth.ErrSignedOut
			} else {
				p, err = auth.APIPrincipal(r.Context(), in.db, strings.TrimSpace(token), in.now())
			}
		} else if fromAnotherSite(r) {
			httpx.WriteProblem(w, httpx.Problem{Status: http.StatusForbidden,
				Detail: "a session cookie is accepted only from the inbox's own pages; from elsewhere, send a personal API token as Authorization: Bearer <token>"})
			return
		} else {
			p, err = in.sessions.Touch(r.Context(), in.sessionToken(r))
			p.Via = "api" // the audit log says which door the request came through, whatever its credential
		}
		switch {
		case errors.Is(err, auth.ErrSignedOut):
			w.Header().Set("WWW-Authenticate", `Bearer realm="signpost inbox"`)
			httpx.WriteProblem(w, httpx.Problem{Status: http.StatusUnauthorized,
				Detail: "send a personal API token as Authorization: Bearer <token> (create one with inboxadmin token), or sign in to the inbox"})
			return
		case err != nil:
			in.log.Error().Err(err).Msg("read API credentials")
			w.Header().Set("Retry-After", "5")
			httpx.WriteProblem(w, httpx.Problem{Status: http.StatusServiceUnavailable, Detail: "credentials could not be checked just now; try again"})
			return
		}
		if r.PathValue("organisation") != p.Organisation {
			httpx.WriteProblem(w, notInOrganisation)
			return
		}
		next(w, r, p)
	}
}

func (in *Inbox) apiItem(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		httpx.WriteProblem(w, httpx.Problem{Status: http.StatusBadRequest, Detail: "the item id is not a UUID"})
		return
	}
	var v itemview.View
	err = in.inScope(r.Context(), p, func(tx *sqlx.Tx) (err error) {
		if v, err = itemview.Find(r.Context(), tx, p.Organisation, id); err != nil {
			return err
		}
		return audit.Record(r.Context(), tx, in.record(r, p, audit.ViewItem, &id, ""))
	})
	switch {
	case errors.Is(err, itemview.ErrNotFound):
		httpx.WriteProblem(w, notInOrganisation)
	case err != nil:
		in.log.Error().Err(err).Str("item_id", id.String()).Msg("read item")
		w.Header().Set("Retry-After", "5")
		httpx.WriteProblem(w, httpx.Problem{Status: http.StatusServiceUnavailable, Detail: "the item could not be read just now; try again"})
	default:
		httpx.WriteJSON(w, http.StatusOK, v)
	}
}
