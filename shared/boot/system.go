package boot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/rs/zerolog"

	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/httpx"
	"github.com/signpost/signpost/shared/log"
	"github.com/signpost/signpost/shared/metrics"
	"github.com/signpost/signpost/shared/policy"
	"github.com/signpost/signpost/shared/store"
)

// Needs says what a binary uses.
type Needs struct {
	Database     bool
	NATS         bool
	Router       bool // consume messages (implies NATS)
	EmbeddedNATS bool // run NATS in this process unless NATS_URL is set
}

// System is one running binary's dependencies. Register handlers on Router and routes on Mux
// between Open and Start.
type System struct {
	Settings Settings
	Log      zerolog.Logger
	Policies *policy.Set
	DB       *sqlx.DB
	Connect  bus.Connector
	Router   *bus.Router
	Mux      *http.ServeMux
	Metrics  *metrics.Metrics

	embedded   *server.Server
	control    *nats.Conn
	background []func(context.Context) error
	bgDone     chan error
	bgCancel   context.CancelFunc
	publishers []message.Publisher
	http       *httpx.Server
	debug      *httpx.Server
	routerDone chan error
	cancel     context.CancelFunc
}

// Open builds what the binary needs; on failure it closes what it had opened.
func Open(ctx context.Context, s Settings, needs Needs, stdout io.Writer) (_ *System, err error) {
	sys := &System{Settings: s, Log: s.Logger(stdout), Mux: http.NewServeMux(), Metrics: metrics.New()}
	sys.Mux.Handle("GET /metrics", sys.Metrics.Handler())
	defer func() {
		if err != nil {
			_ = sys.Stop(context.Background())
		}
	}()
	if sys.Policies, err = s.Policies(); err != nil {
		return nil, err
	}
	checks := map[string]httpx.Check{}
	if needs.Database {
		if sys.DB, err = store.OpenWithPool(ctx, s.DatabaseURL, s.DatabaseWait, s.DatabaseConns); err != nil {
			return nil, err
		}
		if err = store.Migrate(ctx, sys.DB); err != nil {
			return nil, err
		}
		checks["database"] = sys.DB.PingContext
	}
	if needs.NATS || needs.Router {
		if needs.EmbeddedNATS && s.NATSURL == "" {
			dir := filepath.Join(s.DataDir, "nats")
			if sys.embedded, err = bus.StartEmbedded(dir, s.EmbeddedNATSListen); err != nil {
				return nil, err
			}
			sys.Connect = bus.InProcess(sys.embedded)
		} else {
			sys.Connect = bus.Remote(s.NATSURL)
		}
		if sys.control, err = sys.Connect(s.Service + "-control"); err != nil {
			return nil, err
		}
		limits := bus.StreamLimits{DuplicateWindow: s.Bus.DuplicateWindow, MaxAge: sys.Policies.ShortestRetention()}
		if err = bus.EnsureStreams(ctx, sys.control, s.Topology, limits); err != nil {
			return nil, err
		}
		checks["nats"] = bus.Ping(sys.control)
		if err = sys.Metrics.WatchJetStream(sys.control, s.Topology.FeedbackStream(), s.Topology.DeadLetterStream()); err != nil {
			return nil, err
		}
	}
	if needs.Router {
		if sys.Router, err = bus.NewRouter(sys.Connect, s.Topology, s.Bus, Transient, log.NewWatermill(sys.Log)); err != nil {
			return nil, err
		}
		sys.Router.Observe(sys.Metrics)
	}
	httpx.Health(sys.Mux, checks)
	return sys, nil
}

// Publisher returns a durable publisher on its own connection, closed at Stop after HTTP.
func (sys *System) Publisher() (message.Publisher, error) {
	nc, err := sys.Connect(sys.Settings.Service + "-publisher")
	if err != nil {
		return nil, err
	}
	p, err := bus.NewPublisher(nc, log.NewWatermill(sys.Log))
	if err != nil {
		nc.Close()
		return nil, err
	}
	sys.publishers = append(sys.publishers, p)
	return p, nil
}

// Background adds a task that runs from Start until Stop (a delivery worker, say). It must return
// when its context ends.
func (sys *System) Background(task func(context.Context) error) {
	sys.background = append(sys.background, task)
}

// Start runs the router (waiting until every handler consumes), the background tasks, and opens
// the HTTP listener.
func (sys *System) Start(ctx context.Context) error {
	if len(sys.background) > 0 {
		bgCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		sys.bgCancel, sys.bgDone = cancel, make(chan error, len(sys.background))
		for _, task := range sys.background {
			go func() { sys.bgDone <- task(bgCtx) }()
		}
	}
	if sys.Router != nil {
		runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		sys.cancel = cancel
		sys.routerDone = make(chan error, 1)
		go func() { sys.routerDone <- sys.Router.Run(runCtx) }()
		if err := sys.Router.WatchMaxDeliveries(sys.control); err != nil {
			return err
		}
		select {
		case <-sys.Router.Running():
		case err := <-sys.routerDone:
			sys.routerDone = nil
			return fmt.Errorf("message router: %w", err)
		case <-time.After(30 * time.Second):
			return errors.New("message router did not start within 30s")
		}
	}
	var err error
	if sys.Settings.DebugAddr != "" {
		if sys.debug, err = httpx.Listen(sys.Settings.DebugAddr, debugHandler()); err != nil {
			return fmt.Errorf("DEBUG_ADDR: %w", err)
		}
		sys.Log.Info().Str("debug", sys.debug.URL()+"/debug/pprof/").Msg("serving runtime profiles")
	}
	if sys.http, err = httpx.Listen(sys.Settings.HTTPAddr, sys.Mux); err != nil {
		return err
	}
	return nil
}

// URL is the HTTP base URL, once started.
func (sys *System) URL() string { return sys.http.URL() }

// DebugURL is the base URL of the runtime profiles once started, or empty when DEBUG_ADDR is unset.
func (sys *System) DebugURL() string {
	if sys.debug == nil {
		return ""
	}
	return sys.debug.URL()
}

// Stop shuts down in order: HTTP intake, then the router drains its handlers in flight, then the
// background tasks stop, then publishers and the NATS connection, the embedded server, and last
// the database.
func (sys *System) Stop(ctx context.Context) error {
	var errs []error
	if sys.http != nil {
		errs = append(errs, sys.http.Shutdown(ctx))
	}
	if sys.debug != nil {
		errs = append(errs, sys.debug.Shutdown(ctx))
	}
	if sys.Router != nil {
		errs = append(errs, sys.Router.Close())
		if sys.routerDone != nil {
			errs = append(errs, <-sys.routerDone)
		}
		if sys.cancel != nil {
			sys.cancel()
		}
	}
	if sys.bgCancel != nil {
		sys.bgCancel()
		for range sys.background {
			errs = append(errs, <-sys.bgDone)
		}
	}
	for _, p := range sys.publishers {
		errs = append(errs, p.Close())
	}
	if sys.control != nil {
		if err := sys.control.Drain(); errors.Is(err, nats.ErrConnectionReconnecting) {
			sys.control.Close() // nothing to drain on a connection that is not up
		} else {
			errs = append(errs, err)
		}
	}
	if sys.embedded != nil {
		sys.embedded.Shutdown()
		sys.embedded.WaitForShutdown()
	}
	if sys.DB != nil {
		// Everything is committed by now: a connection that broke on its own is not a failed stop.
		if err := sys.DB.Close(); err != nil {
			sys.Log.Warn().Err(err).Msg("closing database connections")
		}
	}
	return errors.Join(errs...)
}

// Transient reports errors that mean a dependency is unavailable for now (the database or NATS),
// so a message meeting them waits for redelivery instead of being dead-lettered.
func Transient(err error) bool {
	return store.Unavailable(err) || errors.Is(err, nats.ErrTimeout) || errors.Is(err, nats.ErrNoResponders) ||
		errors.Is(err, nats.ErrConnectionClosed) || errors.Is(err, nats.ErrConnectionDraining) ||
		errors.Is(err, nats.ErrNoServers) || errors.Is(err, context.DeadlineExceeded)
}

// Serve starts the system, logs where it listens, runs until ctx ends, then stops in order.
func (sys *System) Serve(ctx context.Context) error {
	if err := sys.Start(ctx); err != nil {
		return errors.Join(err, sys.Stop(context.Background()))
	}
	sys.Log.Info().Str("http", sys.URL()).Msg("listening")
	<-ctx.Done()
	sys.Log.Info().Msg("shutting down")
	stopCtx, cancel := context.WithTimeout(context.Background(), sys.Settings.Bus.AckWait+10*time.Second)
	defer cancel()
	return sys.Stop(stopCtx)
}
