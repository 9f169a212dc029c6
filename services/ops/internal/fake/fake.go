// Package fake is an in-memory dead-letter stream and stream-state source for tests of the
// operations service. It keeps each dead letter's payload, so tests can check it is never shown.
package fake

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"github.com/signpost/signpost/services/ops"
)

// Store implements ops.DeadLetters and ops.Streams in memory. It is safe for concurrent use.
type Store struct {
	mu          sync.Mutex
	letters     map[uint64]ops.DeadLetter
	payloads    map[uint64][]byte
	replayErr   map[uint64]error
	republished []Republished
	streams     []ops.StreamState
}

// Republished is one message a replay sent back to its origin.
type Republished struct {
	Seq     uint64
	Origin  string
	Payload []byte
}

// New is an empty store.
func New() *Store {
	return &Store{letters: map[uint64]ops.DeadLetter{}, payloads: map[uint64][]byte{}, replayErr: map[uint64]error{}}
}

// Add puts a dead letter with its payload in the store.
func (s *Store) Add(d ops.DeadLetter, payload []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d.Size = len(payload)
	s.letters[d.Seq], s.payloads[d.Seq] = d, payload
}

// FailReplay makes every replay of seq fail with err, leaving it in place.
func (s *Store) FailReplay(seq uint64, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replayErr[seq] = err
}

// SetStreams sets what State answers.
func (s *Store) SetStreams(st []ops.StreamState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.streams = st
}

// Republished lists what replays sent back to their origins, in order.
func (s *Store) Republished() []Republished {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.republished)
}

// Has reports whether seq is still a dead letter.
func (s *Store) Has(seq uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.letters[seq]
	return ok
}

// List returns the dead letters in sequence order.
func (s *Store) List(ctx context.Context) ([]ops.DeadLetter, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ops.DeadLetter, 0, len(s.letters))
	for _, d := range s.letters {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b ops.DeadLetter) int { return cmp.Compare(a.Seq, b.Seq) })
	return out, nil
}

// Get returns one dead letter, or ops.ErrNotFound.
func (s *Store) Get(ctx context.Context, seq uint64) (ops.DeadLetter, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.letters[seq]
	if !ok {
		return ops.DeadLetter{}, ops.ErrNotFound
	}
	return d, nil
}

// Replay records the republish and removes the dead letter.
func (s *Store) Replay(ctx context.Context, seq uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.letters[seq]
	if !ok {
		return ops.ErrNotFound
	}
	if err := s.replayErr[seq]; err != nil {
		return err
	}
	s.republished = append(s.republished, Republished{Seq: seq, Origin: d.Origin, Payload: s.payloads[seq]})
	delete(s.letters, seq)
	delete(s.payloads, seq)
	return nil
}

// Discard removes the dead letter.
func (s *Store) Discard(ctx context.Context, seq uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.letters[seq]; !ok {
		return ops.ErrNotFound
	}
	delete(s.letters, seq)
	delete(s.payloads, seq)
	return nil
}

// State returns what SetStreams set.
func (s *Store) State(ctx context.Context) ([]ops.StreamState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.streams), nil
}
