package event

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/wire"
)

// awkwardItem has a value in every field, with text that needs every kind of escape.
func awkwardItem(text string) feedback.Item {
	return feedback.Item{
		ID: feedback.ItemID("charlton-medical-centre", feedback.FacebookPost, "42_1"), Organisation: "charlton-medical-centre",
		Practice: "charlton <branch>", Channel: feedback.FacebookPost, SourceID: "42_1", Author: "Kim \"K\" O'Neil", Email: "kim@example.org",
		Text: text, Rating: "5", Revision: "2026-11-02T09:00:00Z", WrittenAt: time.Date(2026, 11, 2, 9, 0, 0, 5, time.FixedZone("", 3600)),
	}
}

var awkwardTexts = []string{
	"Lovely staff", "", "Dr \"Smith\" said: <no> & then\nleft\ttoo soon \\ ", "£ café – ‘smart’ 👍🏽 \u2028", "bad \xff utf-8", "\x00\x1f",
}

// payloads is every payload kind, for each awkward text.
func payloads() []any {
	var out []any
	for _, text := range awkwardTexts {
		it := awkwardItem(text)
		out = append(out,
			ReceivedPayload{Item: it},
			ReceivedPayload{Item: feedback.Item{ID: it.ID, Text: text}},
			RoutedPayload{Item: it, Decision: feedback.Decision{Route: feedback.Complaint, Flags: []feedback.Flag{feedback.StaffIdentified},
				Confidence: 0.8765432109, NeedsReview: true, Reasons: []string{text, "why"}, ModelVersion: "m-1"}},
			RoutedPayload{Item: it, Decision: feedback.Decision{Confidence: 1e-9}},
			RemovedPayload{ItemID: it.ID, Channel: it.Channel, SourceID: text, RemovedAt: it.WrittenAt},
		)
	}
	return out
}

func envelope(typ string) Envelope {
	return Envelope{ID: feedback.DeriveID("e"), Type: typ, Version: 1, OccurredAt: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC),
		Organisation: "charlton-medical-centre", Practice: "p&q", CorrelationID: "corr\"1"}
}

// Events are written by hand for speed; the bytes must be encoding/json's, and they must be read
// back by hand too (or the speed is lost without a failing test), to the values encoding/json reads.
func TestEventsAreWrittenAndReadAsEncodingJSONDoes(t *testing.T) {
	for _, p := range payloads() {
		e := envelope(Received)
		got, err := Encode(e, p)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(typed{Envelope: e, Payload: p})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("wrote\n%s\nencoding/json writes\n%s", got, want)
		}
		if !writeEvent(wire.NewWriter(nil), e, p) {
			t.Errorf("%T was left to encoding/json", p)
		}
		readBack := reflect.New(reflect.TypeOf(p)).Interface()
		var env Envelope
		if !readEvent(got, &env, readBack) {
			t.Errorf("%T was left to encoding/json to read: %s", p, got)
		}
		checkReadAsEncodingJSONReads(t, got, readBack)
	}
}

// checkReadAsEncodingJSONReads reads data with readEvent into a new value like v and, where it
// reads it, checks that encoding/json reads it without error to the same values.
func checkReadAsEncodingJSONReads(t *testing.T, data []byte, like any) {
	t.Helper()
	typ := reflect.TypeOf(like).Elem()
	got := reflect.New(typ).Interface()
	var env Envelope
	if !readEvent(data, &env, got) {
		if !reflect.ValueOf(got).Elem().IsZero() || env != (Envelope{}) {
			t.Errorf("%s: left to encoding/json, but not left zero", data)
		}
		return
	}
	want := typed{Payload: reflect.New(typ).Interface()}
	if err := json.Unmarshal(data, &want); err != nil {
		t.Errorf("%s: read by hand, but encoding/json refuses it: %v", data, err)
		return
	}
	if !reflect.DeepEqual(env, want.Envelope) || !reflect.DeepEqual(got, want.Payload) {
		t.Errorf("%s: read by hand as %+v %+v, encoding/json reads %+v %+v", data, env, got, want.Envelope, want.Payload)
	}
}

func FuzzEventsAreReadAsEncodingJSONReadsThem(f *testing.F) {
	for _, p := range payloads() {
		data, err := Encode(envelope(Routed), p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"payload":{"item":{"text":"a"},"item":{"id":"5b0e8e7c-3a2f-4d0b-9c1e-7f6a2d9b4c10"}},"type":"feedback.routed"}`))
	f.Add([]byte(`{"payload":{"decision":{"flags":null,"reasons":[]}},"Type":"x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, like := range []any{&ReceivedPayload{}, &RoutedPayload{}, &RemovedPayload{}} {
			checkReadAsEncodingJSONReads(t, data, like)
		}
		var env Envelope
		if readEvent(data, &env, (*RoutedPayload)(nil)) {
			t.Error("read into a nil payload")
		}
	})
}

func FuzzEventsAreWrittenAsEncodingJSONWritesThem(f *testing.F) {
	f.Add("Lovely staff", "Kim", "5", "", "because", 0.9, int64(0))
	f.Add("<\"\xff\u2028", "", "", "r1", "", 1e-7, int64(-1<<62))
	f.Fuzz(func(t *testing.T, text, author, rating, revision, reason string, confidence float64, nanos int64) {
		it := awkwardItem(text)
		it.Author, it.Rating, it.Revision, it.WrittenAt = author, rating, revision, time.Unix(0, nanos)
		d := feedback.Decision{Route: feedback.Route(reason), Confidence: confidence, Reasons: []string{reason}}
		for _, p := range []any{ReceivedPayload{Item: it}, RoutedPayload{Item: it, Decision: d}} {
			e := envelope(Routed)
			got, gotErr := Encode(e, p)
			want, wantErr := json.Marshal(typed{Envelope: e, Payload: p})
			if (gotErr == nil) != (wantErr == nil) || !bytes.Equal(got, want) {
				t.Errorf("wrote\n%s (%v)\nencoding/json writes\n%s (%v)", got, gotErr, want, wantErr)
			}
		}
	})
}
