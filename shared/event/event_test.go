package event_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/shared/event"
	"github.com/signpost/signpost/shared/feedback"
)

func item() feedback.Item {
	return feedback.Item{
		ID: feedback.ItemID("charlton-medical-centre", feedback.WebsiteReview, "sub-1"), Organisation: "charlton-medical-centre",
		Practice: "charlton-medical-centre", Channel: feedback.WebsiteReview, SourceID: "sub-1",
		Text: "Lovely staff", Rating: "5", WrittenAt: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC),
	}
}

func TestEventsMatchTheirSchemas(t *testing.T) {
	s, err := event.LoadSchemas()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	received, id1, err := event.NewReceived(item(), "corr", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(event.Received, received); err != nil {
		t.Errorf("feedback.received does not match its schema: %v", err)
	}
	d := feedback.Decision{Route: feedback.OfficialReview, Flags: []feedback.Flag{}, Confidence: 0.9, Reasons: []string{"r"}, ModelVersion: "rules-1"}
	routed, id2, err := event.NewRouted(item(), d, "corr", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(event.Routed, routed); err != nil {
		t.Errorf("feedback.routed does not match its schema: %v", err)
	}
	if id1 == id2 {
		t.Error("received and routed events share an id")
	}
	again, id3, _ := event.NewReceived(item(), "other-corr", now.Add(time.Hour))
	if id3 != id1 {
		t.Error("the same item must give the same event id, so JetStream can drop the duplicate")
	}
	// A schema that cannot fail proves nothing: a wrong route must be refused.
	bad := strings.Replace(string(routed), `"official_review"`, `"praise"`, 1)
	if err := s.Validate(event.Routed, []byte(bad)); err == nil {
		t.Error("schema accepted an unknown route")
	}
	var p event.ReceivedPayload
	env, err := event.Decode(again, event.Received, event.ReceivedVersion, &p)
	if err != nil || p.Item.Text != "Lovely staff" || env.CorrelationID != "other-corr" {
		t.Errorf("decode: %v %+v", err, env)
	}
}

func TestDecodeRefusesWrongTypeAsMalformed(t *testing.T) {
	data, _, _ := event.NewReceived(item(), "c", time.Now())
	var p event.RoutedPayload
	if _, err := event.Decode(data, event.Routed, event.RoutedVersion, &p); !errors.Is(err, event.ErrMalformed) {
		t.Errorf("want ErrMalformed, got %v", err)
	}
	if _, err := event.Decode([]byte("{"), event.Received, 1, &p); !errors.Is(err, event.ErrMalformed) {
		t.Errorf("want ErrMalformed, got %v", err)
	}
}

func TestTopologyNamesHaveNoDotsWhereNATSForbidsThem(t *testing.T) {
	for _, topo := range []event.Topology{{}, {Prefix: "t1"}} {
		for _, name := range []string{topo.FeedbackStream(), topo.DeadLetterStream(), topo.Consumer("classifier.decide")} {
			if strings.ContainsAny(name, ". *>") {
				t.Errorf("name %q has a character NATS forbids", name)
			}
		}
	}
	if (event.Topology{}).Subject(event.Received) != "feedback.received" {
		t.Error("production subject must be feedback.received")
	}
}
