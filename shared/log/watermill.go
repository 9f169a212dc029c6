package log

import (
	"github.com/ThreeDotsLabs/watermill"
	"github.com/rs/zerolog"
)

// Watermill adapts a zerolog logger to Watermill. Watermill logs message ids and metadata, never
// payloads, so patient text does not reach the log through it.
type Watermill struct {
	l zerolog.Logger
}

// NewWatermill wraps l.
func NewWatermill(l zerolog.Logger) Watermill { return Watermill{l: l} }

func (w Watermill) event(e *zerolog.Event, msg string, fields watermill.LogFields) {
	e.Fields(map[string]any(fields)).Msg(msg)
}

// Error logs at error level.
func (w Watermill) Error(msg string, err error, fields watermill.LogFields) {
	w.event(w.l.Error().Err(err), msg, fields)
}

// Info logs at info level.
func (w Watermill) Info(msg string, fields watermill.LogFields) { w.event(w.l.Info(), msg, fields) }

// Debug logs at debug level.
func (w Watermill) Debug(msg string, fields watermill.LogFields) { w.event(w.l.Debug(), msg, fields) }

// Trace logs at trace level.
func (w Watermill) Trace(msg string, fields watermill.LogFields) { w.event(w.l.Trace(), msg, fields) }

// With returns a logger with the fields added.
func (w Watermill) With(fields watermill.LogFields) watermill.LoggerAdapter {
	return Watermill{l: w.l.With().Fields(map[string]any(fields)).Logger()}
}
