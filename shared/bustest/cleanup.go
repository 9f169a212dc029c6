package bustest

import (
	"context"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/signpost/signpost/shared/event"
)

// deleteStreams removes a test's streams from a shared server.
func deleteStreams(url string, topo event.Topology) {
	nc, err := nats.Connect(url)
	if err != nil {
		return
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = js.DeleteStream(ctx, topo.FeedbackStream())
	_ = js.DeleteStream(ctx, topo.DeadLetterStream())
}
