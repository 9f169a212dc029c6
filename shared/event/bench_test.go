package event_test

import (
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/shared/event"
	"github.com/signpost/signpost/shared/feedback"
)

// BenchmarkEncodeDecode writes and reads the two events every item makes, with a text of a
// typical review's length (quotes, a line break and a pound sign among it).
func BenchmarkEncodeDecode(b *testing.B) {
	it := item()
	it.Text = strings.Repeat("The receptionist was \"lovely\" and the wait was short.\nWorth the £5 parking. ", 5)
	d := feedback.Decision{Route: feedback.OfficialReview, Flags: []feedback.Flag{}, Confidence: 0.93, Reasons: []string{"lovely", "short wait", "worth"},
		ModelVersion: "text-2026-11"}
	b.Run("received", func(b *testing.B) {
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
	})
	b.Run("routed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			data, _, err := event.NewRouted(it, d, "corr", time.Now())
			if err != nil {
				b.Fatal(err)
			}
			var p event.RoutedPayload
			if _, err := event.Decode(data, event.Routed, event.RoutedVersion, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
