// Package event defines what travels on the bus: the versioned envelope, the event types and their
// payloads, and the names of subjects and streams (defined here once).
package event

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/signpost/signpost/shared/wire"
)

// Envelope wraps every event. Its id is derived from the source's own ids, so publishing the same
// event twice gives the same id and JetStream's de-duplication (Nats-Msg-Id) can catch it.
type Envelope struct {
	ID            uuid.UUID `json:"id"`
	Type          string    `json:"type"`
	Version       int       `json:"version"`
	OccurredAt    time.Time `json:"occurred_at"`
	Organisation  string    `json:"organisation"`
	Practice      string    `json:"practice"`
	CorrelationID string    `json:"correlation_id"`
}

// ErrMalformed marks an event that can never be processed, however often it is retried.
var ErrMalformed = errors.New("malformed event")

// Decode parses an envelope of the wanted type and version and its payload into v, in one pass.
// Every failure wraps ErrMalformed.
func Decode(data []byte, wantType string, wantVersion int, v any) (Envelope, error) {
	var e Envelope
	var err error
	if !readEvent(data, &e, v) {
		in := typed{Payload: v}
		err = json.Unmarshal(data, &in)
		e = in.Envelope
	}
	switch {
	case e.Type != wantType || e.Version != wantVersion:
		if err != nil {
			return e, fmt.Errorf("%w: envelope: %v", ErrMalformed, err)
		}
		return e, fmt.Errorf("%w: got %s v%d, want %s v%d", ErrMalformed, e.Type, e.Version, wantType, wantVersion)
	case err != nil:
		return e, fmt.Errorf("%w: %s: %v", ErrMalformed, e.Type, err)
	}
	return e, nil
}

// Encode builds the envelope around payload and returns its JSON.
func Encode(e Envelope, payload any) ([]byte, error) {
	if w := wire.NewWriter(make([]byte, 0, 1024)); writeEvent(w, e, payload) {
		return w.Bytes(), nil
	}
	data, err := json.Marshal(typed{Envelope: e, Payload: payload})
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", e.Type, err)
	}
	return data, nil
}

// typed is an envelope with its payload, which is (or is decoded into) a value of its type, so
// that an event is written and read in one pass rather than the payload and then the envelope.
type typed struct {
	Envelope
	Payload any `json:"payload"`
}
