package event_test

import (
	"testing"
	"time"

	"github.com/signpost/signpost/shared/event"
)

func BenchmarkEncodeDecodeReceived(b *testing.B) {
	it := item()
	b.ReportAllocs()
	for b.Loop() {
		data, _, err := event.NewReceived(it, "corr", time.Now())
		if err != nil {
			b.Fatal(err)
		}
		var p event.ReceivedPayload
		if _, err := event.Decode(data, event.Received, event.ReceivedVersion, &p); err != nil {
			b.Fatal(err)
		}
	}
}
