package bus

import (
	"context"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// StreamState is a stream and its consumers as the server reports them.
type StreamState struct {
	Name      string
	Messages  uint64
	Bytes     uint64
	LastSeq   uint64
	Consumers []ConsumerState
}

// ConsumerState is how far one durable consumer has got.
type ConsumerState struct {
	Name             string
	Pending          uint64 // not yet delivered: the lag
	AckPending       uint64
	Redelivered      uint64
	Delivered        uint64 // stream sequence delivered up to
	OldestUnackedAge time.Duration
}

// StreamStates reads the state of the streams and their consumers from the server; a stream
// that cannot be read is left out.
func StreamStates(ctx context.Context, js jetstream.JetStream, streams ...string) []StreamState {
	var out []StreamState
	for _, name := range streams {
		s, err := js.Stream(ctx, name)
		if err != nil {
			continue
		}
		info := s.CachedInfo()
		st := StreamState{Name: name, Messages: info.State.Msgs, Bytes: info.State.Bytes, LastSeq: info.State.LastSeq}
		consumers := s.ListConsumers(ctx)
		for ci := range consumers.Info() {
			st.Consumers = append(st.Consumers, ConsumerState{Name: ci.Name, Pending: ci.NumPending, AckPending: uint64(ci.NumAckPending),
				Redelivered: uint64(ci.NumRedelivered), Delivered: ci.Delivered.Stream, OldestUnackedAge: oldestUnacked(ctx, s, ci)})
		}
		out = append(out, st)
	}
	return out
}

// oldestUnacked is the age of the first message after the consumer's acknowledgement floor, when
// it has delivered messages it has not acknowledged.
func oldestUnacked(ctx context.Context, s jetstream.Stream, ci *jetstream.ConsumerInfo) time.Duration {
	if ci.NumAckPending == 0 {
		return 0
	}
	last := min(ci.Delivered.Stream, ci.AckFloor.Stream+1000) // bounded: a scrape must stay quick
	for seq := ci.AckFloor.Stream + 1; seq <= last; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil || ci.Config.FilterSubject != "" && m.Subject != ci.Config.FilterSubject {
			continue // deleted, or another subject of the stream
		}
		return time.Since(m.Time)
	}
	return 0
}
