// Package event defines what travels on the bus: the versioned envelope, the event types and their
// payloads, and the names of subjects and streams (defined here once).
package event

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Envelope wraps every event. Its id is derived from the source's own ids, so publishing the same
// event twice gives the same id and JetStream's de-duplication (Nats-Msg-Id) can catch it.
type Envelope struct {
	ID            uuid.UUID       `json:"id"`
	Type          string          `json:"type"`
	Version       int             `json:"version"`
	OccurredAt    time.Time       `json:"occurred_at"`
	Organisation  string          `json:"organisation"`
	Practice      string          `json:"practice"`
	CorrelationID string          `json:"correlation_id"`
	Payload       json.RawMessage `json:"payload"`
}

// ErrMalformed marks an event that can never be processed, however often it is retried.
var ErrMalformed = errors.New("malformed event")

// Decode parses an envelope of the wanted type and version and its payload into v.
// Every failure wraps ErrMalformed.
func Decode(data []byte, wantType string, wantVersion int, v any) (Envelope, error) {
	var e Envelope
	if err := json.Unmarshal(data, &e); err != nil {
		return e, fmt.Errorf("%w: envelope: %v", ErrMalformed, err)
	}
	if e.Type != wantType || e.Version != wantVersion {
		return e, fmt.Errorf("%w: got %s v%d, want %s v%d", ErrMalformed, e.Type, e.Version, wantType, wantVersion)
	}
	if err := json.Unmarshal(e.Payload, v); err != nil {
		return e, fmt.Errorf("%w: %s payload: %v", ErrMalformed, e.Type, err)
	}
	return e, nil
}

// Encode builds the envelope around payload and returns its JSON.
func Encode(e Envelope, payload any) ([]byte, error) {
	p, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("encode %s payload: %w", e.Type, err)
	}
	e.Payload = p
	return json.Marshal(e)
}
