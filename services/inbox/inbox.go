// Package inbox is the Practice Manager's view of what Signpost routed. For now it serves one item
// with its decision and actions to a holder of the API token; sign-in per user arrives with the
// inbox issue.
package inbox

import (
	"errors"
	"net/http"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/rs/zerolog"

	"github.com/signpost/signpost/services/inbox/internal/itemview"
	"github.com/signpost/signpost/shared/httpx"
	"github.com/signpost/signpost/shared/policy"
)

// Inbox serves items.
type Inbox struct {
	db       *sqlx.DB
	policies *policy.Set
	token    string
	log      zerolog.Logger
}

// New builds the inbox; every request must carry "Authorization: Bearer <token>".
func New(db *sqlx.DB, policies *policy.Set, token string, log zerolog.Logger) *Inbox {
	return &Inbox{db: db, policies: policies, token: token, log: log}
}

// Routes adds the inbox's endpoints to mux.
func (in *Inbox) Routes(mux *http.ServeMux) {
	mux.Handle("GET /v1/organisations/{organisation}/items/{id}", in.authorised(in.item()))
	mux.Handle("GET /v1/organisations/{organisation}/templates/{template}/preview", in.authorised(in.preview()))
}

func (in *Inbox) authorised(next http.Handler) http.Handler {
	return httpx.RequireBearer(in.token, "signpost", next)
}

func (in *Inbox) item() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := uuid.Parse(r.PathValue("id"))
		if err != nil {
			httpx.WriteProblem(w, httpx.Problem{Status: http.StatusBadRequest, Detail: "the item id is not a UUID"})
			return
		}
		v, err := itemview.Find(r.Context(), in.db, r.PathValue("organisation"), id)
		switch {
		case errors.Is(err, itemview.ErrNotFound):
			httpx.WriteProblem(w, httpx.Problem{Status: http.StatusNotFound,
				Detail: "no such item in this organisation; an item just submitted appears once it has been classified"})
		case err != nil:
			in.log.Error().Err(err).Str("item_id", id.String()).Msg("read item")
			w.Header().Set("Retry-After", "5")
			httpx.WriteProblem(w, httpx.Problem{Status: http.StatusServiceUnavailable, Detail: "the item could not be read just now; try again"})
		default:
			w.Header().Set("Cache-Control", "no-store")
			httpx.WriteJSON(w, http.StatusOK, v)
		}
	})
}
