// Package ops is Signpost's operations service: on-call staff see the health of the JetStream
// streams and their consumers, and repair dead letters (replay or discard them) from a web page,
// a JSON API or the dlq command line, without a database console. Dead-letter payloads are
// patient data and are never shown or logged.
package ops

import (
	"crypto/rand"
	"net/http"
	"strconv"
	"time"
)

// Logger records one event with its fields. It must never be handed payloads; Ops only passes
// the operator action, the sequence, the outcome and errors.
type Logger func(msg string, fields map[string]any)

// Ops serves the operations page and API. Build it with New and register it with Routes.
type Ops struct {
	dl    DeadLetters
	st    Streams
	token string
	log   Logger
	key   []byte // per-process random key for the session cookie and CSRF tokens
	rates *rateTracker
	now   func() time.Time
}

// New builds the operations service over the dead-letter stream and the stream states.
// operatorToken is the one secret operators sign in and call the API with; when it is empty
// every request is refused. log may be nil.
func New(dl DeadLetters, st Streams, operatorToken string, log Logger) *Ops {
	if log == nil {
		log = func(string, map[string]any) {}
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key) // crypto/rand.Read never fails (Go 1.24+)
	if operatorToken == "" {
		log("operator token is empty: every sign-in and API call will be refused", map[string]any{})
	}
	return &Ops{dl: dl, st: st, token: operatorToken, log: log, key: key, rates: &rateTracker{}, now: time.Now}
}

// Routes registers the page, its stylesheet and the JSON API, all under /ops.
func (o *Ops) Routes(mux *http.ServeMux) {
	o.pageRoutes(mux)
	o.apiRoutes(mux)
}

// parseSeq reads a dead-letter sequence from the path: a whole number above zero.
func parseSeq(s string) (uint64, bool) {
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil && n > 0
}
