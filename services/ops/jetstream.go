package ops

import (
	"context"
	"errors"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/event"
)

// JetStream returns the ports over the project's streams on a NATS connection.
func JetStream(nc *nats.Conn, topo event.Topology) (DeadLetters, Streams, error) {
	dl, err := bus.NewDeadLetters(nc, topo)
	if err != nil {
		return nil, nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, nil, err
	}
	return jsDeadLetters{dl}, jsStreams{js: js, names: []string{topo.FeedbackStream(), topo.DeadLetterStream()}}, nil
}

type jsDeadLetters struct{ dl *bus.DeadLetters }

func (j jsDeadLetters) List(ctx context.Context) ([]DeadLetter, error) {
	list, err := j.dl.List(ctx)
	out := make([]DeadLetter, len(list))
	for i, d := range list {
		out[i] = DeadLetter(d)
	}
	return out, err
}

func (j jsDeadLetters) Get(ctx context.Context, seq uint64) (DeadLetter, error) {
	d, err := j.dl.Get(ctx, seq)
	return DeadLetter(d), notFound(err)
}

func (j jsDeadLetters) Replay(ctx context.Context, seq uint64) error {
	return notFound(j.dl.Replay(ctx, seq))
}

func (j jsDeadLetters) Discard(ctx context.Context, seq uint64) error {
	return notFound(j.dl.Discard(ctx, seq))
}

func notFound(err error) error {
	if errors.Is(err, bus.ErrNoDeadLetter) {
		return ErrNotFound
	}
	return err
}

type jsStreams struct {
	js    jetstream.JetStream
	names []string
}

func (j jsStreams) State(ctx context.Context) ([]StreamState, error) {
	var out []StreamState
	for _, s := range bus.StreamStates(ctx, j.js, j.names...) {
		st := StreamState{Name: s.Name, Messages: s.Messages, Bytes: s.Bytes, LastSeq: s.LastSeq}
		for _, c := range s.Consumers {
			st.Consumers = append(st.Consumers, ConsumerState(c))
		}
		out = append(out, st)
	}
	if len(out) == 0 {
		return nil, errors.New("no stream could be read from NATS")
	}
	return out, nil
}
