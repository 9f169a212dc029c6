package bus

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	wmnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/signpost/signpost/shared/event"
)

// DeadLetter is a message in the dead-letter stream, described without its payload (patient data).
type DeadLetter struct {
	Seq       uint64
	MessageID string
	Origin    string
	Handler   string
	Reason    string
	Attempts  int
	At        time.Time
	Size      int
}

// ErrNoDeadLetter means the dead-letter stream has no message at that sequence.
var ErrNoDeadLetter = errors.New("no such dead letter")

// DeadLetters inspects, replays and discards dead letters.
type DeadLetters struct {
	js   jetstream.JetStream
	topo event.Topology
}

// NewDeadLetters works on the dead-letter stream of the topology.
func NewDeadLetters(nc *nats.Conn, topo event.Topology) (*DeadLetters, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	return &DeadLetters{js: js, topo: topo}, nil
}

// List returns the dead letters, oldest first (at most the first 1,000).
func (d *DeadLetters) List(ctx context.Context) ([]DeadLetter, error) {
	s, err := d.js.Stream(ctx, d.topo.DeadLetterStream())
	if err != nil {
		return nil, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return nil, err
	}
	var out []DeadLetter
	for seq := info.State.FirstSeq; info.State.Msgs > 0 && seq <= info.State.LastSeq && len(out) < 1000; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue // replayed or discarded
		} else if err != nil {
			return nil, err
		}
		out = append(out, describe(m))
	}
	return out, nil
}

// Get returns one dead letter.
func (d *DeadLetters) Get(ctx context.Context, seq uint64) (DeadLetter, error) {
	m, err := d.raw(ctx, seq)
	if err != nil {
		return DeadLetter{}, err
	}
	return describe(m), nil
}

// Replay publishes the message again to the subject it came from, then removes it from the
// dead-letter stream. It goes out under a new message id (the original may still be within the
// duplicate window); its effects are keyed on the source's ids, so a replay of something that was
// in fact done changes nothing.
func (d *DeadLetters) Replay(ctx context.Context, seq uint64) error {
	m, err := d.raw(ctx, seq)
	if err != nil {
		return err
	}
	dl := describe(m)
	if dl.Origin == "" {
		return fmt.Errorf("dead letter %d does not say where it came from", seq)
	}
	out := nats.NewMsg(dl.Origin)
	out.Data = m.Data
	for k, v := range m.Header {
		switch k {
		case middleware.ReasonForPoisonedKey, middleware.PoisonedTopicKey, middleware.PoisonedHandlerKey,
			middleware.PoisonedSubscriberKey, AttemptsKey, nats.MsgIdHdr:
		default:
			out.Header[k] = v
		}
	}
	out.Header.Set(nats.MsgIdHdr, fmt.Sprintf("%s/replay/%d", dl.MessageID, seq))
	if _, err := d.js.PublishMsg(ctx, out); err != nil {
		return fmt.Errorf("replay dead letter %d: %w", seq, err)
	}
	return d.Discard(ctx, seq)
}

// Discard removes a dead letter.
func (d *DeadLetters) Discard(ctx context.Context, seq uint64) error {
	s, err := d.js.Stream(ctx, d.topo.DeadLetterStream())
	if err != nil {
		return err
	}
	if err := s.DeleteMsg(ctx, seq); errors.Is(err, jetstream.ErrMsgNotFound) {
		return ErrNoDeadLetter
	} else if err != nil {
		return fmt.Errorf("discard dead letter %d: %w", seq, err)
	}
	return nil
}

func (d *DeadLetters) raw(ctx context.Context, seq uint64) (*jetstream.RawStreamMsg, error) {
	s, err := d.js.Stream(ctx, d.topo.DeadLetterStream())
	if err != nil {
		return nil, err
	}
	m, err := s.GetMsg(ctx, seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil, ErrNoDeadLetter
	}
	return m, err
}

func describe(m *jetstream.RawStreamMsg) DeadLetter {
	attempts, _ := strconv.Atoi(m.Header.Get(AttemptsKey))
	return DeadLetter{Seq: m.Sequence, MessageID: m.Header.Get(wmnats.WatermillUUIDHdr), Origin: m.Header.Get(middleware.PoisonedTopicKey),
		Handler: m.Header.Get(middleware.PoisonedHandlerKey), Reason: m.Header.Get(middleware.ReasonForPoisonedKey),
		Attempts: attempts, At: m.Time, Size: len(m.Data)}
}
