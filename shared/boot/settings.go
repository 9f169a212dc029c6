// Package boot starts and stops a Signpost binary in the same order everywhere: logger, policies,
// database (migrated), NATS (embedded or remote) with its streams, the message router and the HTTP
// server; and at shutdown HTTP first, then the router drains, then NATS, then the database.
package boot

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/rs/zerolog"

	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/config"
	"github.com/signpost/signpost/shared/event"
	"github.com/signpost/signpost/shared/log"
	"github.com/signpost/signpost/shared/policy"
)

// DefaultDatabaseURL is the machine's own Postgres, database "signpost" (created when missing).
const DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/signpost?sslmode=disable"

// Settings are what every binary reads from its environment. The README's configuration table
// lists each variable with its default.
type Settings struct {
	Service       string
	HTTPAddr      string
	LogFormat     string
	LogLevel      string
	DatabaseURL   string
	DatabaseWait  time.Duration
	DatabaseConns int
	// NATSURL is the NATS server to use; empty in the all-in-one means the embedded server.
	NATSURL string
	// DataDir holds the embedded NATS server's store.
	DataDir string
	// EmbeddedNATSListen opens a port on the embedded server ("127.0.0.1:4223"); empty opens none.
	EmbeddedNATSListen string
	Topology           event.Topology
	Bus                bus.Settings
	PolicyDir          string
	// DebugAddr serves runtime profiles (see debugHandler); empty serves none.
	DebugAddr string
}

// Read reads the settings of service; defaultHTTP and defaultNATS differ per binary.
func Read(env *config.Env, service, defaultHTTP, defaultNATS string) Settings {
	d := bus.DefaultSettings()
	return Settings{
		Service:            service,
		HTTPAddr:           env.String("HTTP_ADDR", defaultHTTP),
		LogFormat:          env.OneOf("LOG_FORMAT", "json", "json", "console"),
		LogLevel:           env.OneOf("LOG_LEVEL", "info", "trace", "debug", "info", "warn", "error"),
		DatabaseURL:        env.URL("DATABASE_URL", DefaultDatabaseURL, "postgres", "postgresql"),
		DatabaseWait:       env.Duration("DATABASE_WAIT", 30*time.Second),
		DatabaseConns:      env.Int("DATABASE_MAX_CONNS", 16, 2),
		NATSURL:            env.URL("NATS_URL", defaultNATS, "nats", "tls"),
		DataDir:            env.String("DATA_DIR", ".data"),
		EmbeddedNATSListen: env.String("EMBEDDED_NATS_LISTEN", ""),
		Topology:           event.Topology{Prefix: env.String("NATS_PREFIX", "")},
		Bus: bus.Settings{
			Concurrency:     env.Int("BUS_CONCURRENCY", d.Concurrency, 1),
			BatchSize:       env.Int("BUS_BATCH_SIZE", d.BatchSize, 1),
			AckWait:         env.Duration("BUS_ACK_WAIT", d.AckWait),
			Attempts:        env.Int("BUS_ATTEMPTS", d.Attempts, 1),
			RetryInterval:   env.Duration("BUS_RETRY_INTERVAL", d.RetryInterval),
			RedeliveryDelay: env.Duration("BUS_REDELIVERY_DELAY", d.RedeliveryDelay),
			DuplicateWindow: env.Duration("BUS_DUPLICATE_WINDOW", d.DuplicateWindow),
			MaxDeliver:      env.Int("BUS_MAX_DELIVER", d.MaxDeliver, 1),
		},
		PolicyDir: env.String("POLICY_DIR", ""),
		DebugAddr: env.String("DEBUG_ADDR", ""),
	}
}

// Logger is the service's logger.
func (s Settings) Logger(w io.Writer) zerolog.Logger {
	return log.New(w, s.LogFormat, s.LogLevel).With().Str("service", s.Service).Logger()
}

// Policies loads the policy files of PolicyDir, or the shipped examples when it is empty.
func (s Settings) Policies() (*policy.Set, error) {
	var fsys fs.FS = policy.Examples()
	if s.PolicyDir != "" {
		fsys = os.DirFS(filepath.Clean(s.PolicyDir))
	}
	return policy.Load(fsys)
}
