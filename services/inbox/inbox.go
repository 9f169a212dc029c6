// Package inbox is where a Practice Manager sees and acts on everything Signpost routed: sign-in,
// the views with their counts, each item with its decision, actions and history, the actions
// themselves, the Friends and Family Test monthly report, the audit log, and the JSON API. Every
// request acts for one signed-in person and runs its queries confined to their organisation.
package inbox

import (
	"context"
	"net/http"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jmoiron/sqlx"
	"github.com/rs/zerolog"

	"github.com/signpost/signpost/services/inbox/internal/auth"
	"github.com/signpost/signpost/services/inbox/internal/live"
	"github.com/signpost/signpost/shared/event"
	"github.com/signpost/signpost/shared/policy"
)

// Inbox serves the pages and the API.
type Inbox struct {
	db        *sqlx.DB
	policies  *policy.Set
	cfg       Config
	sessions  *auth.Sessions
	throttle  *auth.Throttle
	hub       *live.Hub
	publisher message.Publisher
	topology  event.Topology
	log       zerolog.Logger
}

// New builds the inbox. The publisher carries a person's confirmed or corrected decisions to the
// notifier (feedback.routed on the topology's subject).
func New(db *sqlx.DB, policies *policy.Set, cfg Config, publisher message.Publisher, topology event.Topology, log zerolog.Logger) *Inbox {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 30 * time.Minute
	}
	if cfg.SessionMax <= 0 {
		cfg.SessionMax = 12 * time.Hour
	}
	return &Inbox{
		db: db, policies: policies, cfg: cfg, publisher: publisher, topology: topology, log: log, hub: live.NewHub(),
		sessions: &auth.Sessions{DB: db, Idle: cfg.IdleTimeout, Max: cfg.SessionMax, Now: cfg.Now},
		throttle: &auth.Throttle{DB: db, Account: auth.DefaultAccountLimit, Client: auth.DefaultClientLimit, Now: cfg.Now},
	}
}

// Routes adds the pages and the API to mux.
func (in *Inbox) Routes(mux *http.ServeMux) {
	in.pageRoutes(mux)
	in.apiRoutes(mux)
}

// Listen delivers live updates to open pages until ctx ends (run it as a background task).
func (in *Inbox) Listen(ctx context.Context) error {
	return in.hub.Listen(ctx, in.cfg.DatabaseURL, in.log)
}

func (in *Inbox) now() time.Time { return in.cfg.Now() }
