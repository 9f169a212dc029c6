// Package log builds the zerolog logger every service uses, and adapts it for Watermill.
//
// Rule for every log line in Signpost: ids, channels, routes, counts and error kinds only; never
// patient text, names, email addresses or message bodies.
package log

import (
	"io"
	"os"
	"time"

	"github.com/rs/zerolog"
)

// New returns a logger writing JSON (format "json") or human-readable lines ("console") at level.
func New(w io.Writer, format, level string) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil || level == "" {
		lvl = zerolog.InfoLevel
	}
	if format == "console" {
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.TimeOnly, NoColor: w != os.Stdout && w != os.Stderr}
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger()
}
