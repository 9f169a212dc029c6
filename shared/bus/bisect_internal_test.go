package bus

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go/jetstream"
)

// settledMsg is a delivered message that only records how it was settled.
type settledMsg struct {
	jetstream.Msg
	acked, waiting bool
}

func (m *settledMsg) Ack() error { m.acked = true; return nil }

func (m *settledMsg) NakWithDelay(time.Duration) error { m.waiting = true; return nil }

// A batch that fails as a whole because of one message is halved until the failure is cornered: the
// good messages are stored in a handful of batches, not one by one, and only the poison message is
// handed back to be tried alone. Attempts count a message's first try and its tries alone, not
// the halves it was run in.
func TestABatchThatFailsAsAWholeIsHalvedUntilThePoisonMessageIsAlone(t *testing.T) {
	for _, size := range []int{2, 7, 256, 1000} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			poison := size * 2 / 3
			var calls [][]int
			handler := func(_ context.Context, msgs []*message.Message) ([]Result, error) {
				var ids []int
				for _, m := range msgs {
					var id int
					fmt.Sscan(string(m.Payload), &id)
					ids = append(ids, id)
				}
				calls = append(calls, ids)
				if slices.Contains(ids, poison) {
					return nil, errors.New("constraint violated") // the whole transaction rolls back
				}
				return make([]Result, len(msgs)), nil
			}
			s := DefaultSettings()
			b := &batchConsumer{r: &Router{settings: s, transient: func(error) bool { return false }}, name: "test", handler: handler}
			ds := make([]*delivery, size)
			for i := range ds {
				ds[i] = &delivery{raw: &settledMsg{}, msg: message.NewMessage(fmt.Sprint(i), []byte(fmt.Sprint(i)))}
			}

			retry := b.run(ds)

			if len(retry) != 1 || retry[0] != ds[poison] {
				t.Fatalf("handed back %d messages to try alone, want only the poison one", len(retry))
			}
			if ds[poison].attempts != 2 {
				t.Errorf("the poison message counts %d attempts after its batch and its try alone, want 2", ds[poison].attempts)
			}
			stored := 0
			for i, d := range ds {
				m := d.raw.(*settledMsg)
				switch {
				case i == poison && (m.acked || m.waiting):
					t.Errorf("the poison message was settled (acked %v, waiting %v) before its tries alone", m.acked, m.waiting)
				case i != poison && !m.acked:
					t.Errorf("good message %d was not acknowledged", i)
				case i != poison:
					stored++
					if d.attempts > 2 { // its batch, and at most once alone: the poison's last neighbour
						t.Errorf("good message %d counts %d attempts", i, d.attempts)
					}
				}
			}
			// One call for the batch, then two for each halving: about 2·log2(size), against size
			// calls when every message of a failed batch was tried alone.
			if most := 1 + 2*bitsFor(size); len(calls) > most {
				t.Errorf("%d handler calls to corner one poison message among %d, want at most %d", len(calls), size, most)
			}
			if stored != size-1 {
				t.Errorf("%d good messages stored, want %d", stored, size-1)
			}
		})
	}
}

// bitsFor is the number of halvings that take n down to 1.
func bitsFor(n int) (bits int) {
	for ; n > 1; n = (n + 1) / 2 {
		bits++
	}
	return bits
}
