package event_test

import (
	"errors"
	"testing"
	"time"

	"github.com/signpost/signpost/shared/event"
	"github.com/signpost/signpost/shared/feedback"
)

// FuzzDecode feeds any bytes to the decoder every consumer uses: each is either refused as
// malformed (so the bus dead-letters it instead of retrying) or decoded into an envelope of the
// wanted type and version.
func FuzzDecode(f *testing.F) {
	it := item()
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	for _, build := range []func() ([]byte, error){
		func() ([]byte, error) { d, _, err := event.NewReceived(it, "corr-1", now); return d, err },
		func() ([]byte, error) {
			d, _, err := event.NewRouted(it, feedback.Decision{Route: feedback.Complaint, Confidence: 0.9}, "corr-1", now)
			return d, err
		},
		func() ([]byte, error) { d, _, err := event.NewRemoved(it, now, "corr-1", now); return d, err },
	} {
		data, err := build()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"type":"feedback.received","version":1,"payload":null}`))
	f.Add([]byte(`{"type":"feedback.received","version":1,"payload":{"item":{"id":"not-a-uuid"}}}`))
	f.Add([]byte(`{"id":"00000000-0000-0000-0000-000000000000","type":"feedback.routed","version":1e400}`))
	f.Add([]byte("\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, c := range []struct {
			typ     string
			version int
			into    func() any
		}{
			{event.Received, event.ReceivedVersion, func() any { return &event.ReceivedPayload{} }},
			{event.Routed, event.RoutedVersion, func() any { return &event.RoutedPayload{} }},
			{event.Removed, event.RemovedVersion, func() any { return &event.RemovedPayload{} }},
		} {
			env, err := event.Decode(data, c.typ, c.version, c.into())
			if err != nil {
				if !errors.Is(err, event.ErrMalformed) {
					t.Fatalf("%s: error %v is not ErrMalformed, so it would be retried forever", c.typ, err)
				}
				continue
			}
			if env.Type != c.typ || env.Version != c.version {
				t.Fatalf("decoded %s v%d as %s v%d", env.Type, env.Version, c.typ, c.version)
			}
		}
	})
}
