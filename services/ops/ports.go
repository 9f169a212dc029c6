package ops

import (
	"context"
	"errors"
	"time"
)

// DeadLetter is one message that a handler gave up on, as kept in the dead-letter stream. It
// carries what an operator needs to decide on it; the payload itself is patient data and is never
// shown, only its size.
type DeadLetter struct {
	Seq       uint64    `json:"seq"` // sequence in the dead-letter stream
	MessageID string    `json:"message_id"`
	Origin    string    `json:"origin"` // the subject it came from
	Handler   string    `json:"handler"`
	Reason    string    `json:"reason"`
	Attempts  int       `json:"attempts"`
	At        time.Time `json:"at"`   // when it was dead-lettered
	Size      int       `json:"size"` // payload bytes (the payload itself is patient data and is never shown)
}

// ConsumerState is one durable consumer's position in its stream.
type ConsumerState struct {
	Name             string        `json:"name"`
	Pending          uint64        `json:"pending"` // not yet delivered (the lag)
	AckPending       uint64        `json:"ack_pending"`
	Redelivered      uint64        `json:"redelivered"`
	Delivered        uint64        `json:"delivered"` // stream sequence delivered up to
	OldestUnackedAge time.Duration `json:"oldest_unacked_age"`
}

// StreamState is one JetStream stream and its consumers.
type StreamState struct {
	Name      string          `json:"name"`
	Messages  uint64          `json:"messages"`
	Bytes     uint64          `json:"bytes"`
	LastSeq   uint64          `json:"last_seq"`
	Consumers []ConsumerState `json:"consumers"`
}

// DeadLetters reads and repairs the dead-letter stream.
type DeadLetters interface {
	List(ctx context.Context) ([]DeadLetter, error)
	Get(ctx context.Context, seq uint64) (DeadLetter, error) // ErrNotFound when absent
	Replay(ctx context.Context, seq uint64) error            // republish to its origin, then remove it
	Discard(ctx context.Context, seq uint64) error           // remove it
}

// Streams reports the state of every stream and its consumers.
type Streams interface {
	State(ctx context.Context) ([]StreamState, error)
}

// ErrNotFound is returned by DeadLetters when no dead letter has the sequence asked for.
var ErrNotFound = errors.New("no such dead letter")
