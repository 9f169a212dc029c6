package event

import (
	"reflect"

	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/wire"
)

// The payloads every item's events carry are written and read by hand (package wire), the same
// bytes and values as encoding/json's but without its reflection, which took a fifth of
// Signpost's CPU in a drain. Anything else, or anything unusual in these, goes to encoding/json.

// writeEvent writes the envelope and payload as encoding/json would write typed{e, payload}, and
// reports whether it could (payload is one of the three kinds, with values JSON can hold).
func writeEvent(w *wire.Writer, e Envelope, payload any) bool {
	w.BeginObject()
	w.Field("id").UUID(e.ID)
	w.Field("type").String(e.Type)
	w.Field("version").Int(e.Version)
	w.Field("occurred_at").Time(e.OccurredAt)
	w.Field("organisation").String(e.Organisation)
	w.Field("practice").String(e.Practice)
	w.Field("correlation_id").String(e.CorrelationID)
	w.Field("payload").BeginObject()
	switch p := payload.(type) {
	case ReceivedPayload:
		writeItem(w.Field("item"), p.Item)
	case RoutedPayload:
		writeItem(w.Field("item"), p.Item)
		writeDecision(w.Field("decision"), p.Decision)
	case RemovedPayload:
		w.Field("item_id").UUID(p.ItemID)
		w.Field("channel").String(string(p.Channel))
		w.Field("source_id").String(p.SourceID)
		w.Field("removed_at").Time(p.RemovedAt)
	default:
		return false
	}
	w.EndObject()
	w.EndObject()
	return !w.Failed()
}

func writeItem(w *wire.Writer, it feedback.Item) {
	w.BeginObject()
	w.Field("id").UUID(it.ID)
	w.Field("organisation").String(it.Organisation)
	w.Field("practice").String(it.Practice)
	w.Field("channel").String(string(it.Channel))
	w.Field("source_id").String(it.SourceID)
	if it.Author != "" { // the omitempty fields
		w.Field("author").String(it.Author)
	}
	if it.Email != "" {
		w.Field("email").String(it.Email)
	}
	w.Field("text").String(it.Text)
	if it.Rating != "" {
		w.Field("rating").String(it.Rating)
	}
	if it.Revision != "" {
		w.Field("revision").String(it.Revision)
	}
	w.Field("written_at").Time(it.WrittenAt)
	w.EndObject()
}

func writeDecision(w *wire.Writer, d feedback.Decision) {
	w.BeginObject()
	w.Field("route").String(string(d.Route))
	wire.WriteStrings(w.Field("flags"), d.Flags)
	w.Field("confidence").Float(d.Confidence)
	w.Field("needs_review").Bool(d.NeedsReview)
	wire.WriteStrings(w.Field("reasons"), d.Reasons)
	w.Field("model_version").String(d.ModelVersion)
	w.EndObject()
}

// readEvent reads data into e and v, a pointer to a zero payload of one of the three kinds, as
// encoding/json would; false where it leaves the data to encoding/json (v is then zero again).
func readEvent(data []byte, e *Envelope, v any) bool {
	var payload func(r *wire.Reader)
	switch p := v.(type) {
	case *ReceivedPayload:
		payload = func(r *wire.Reader) { readReceived(r, p) }
	case *RoutedPayload:
		payload = func(r *wire.Reader) { readRouted(r, p) }
	case *RemovedPayload:
		payload = func(r *wire.Reader) { readRemoved(r, p) }
	default:
		return false
	}
	ptr := reflect.ValueOf(v)
	if ptr.IsNil() || !ptr.Elem().IsZero() { // encoding/json would make a value, or merge into what is there
		return false
	}
	pv := ptr.Elem()
	r := wire.NewReader(data)
	r.Object(func(key []byte) {
		switch string(key) {
		case "id":
			r.UUID(&e.ID)
		case "type":
			wire.String(r, &e.Type)
		case "version":
			r.Int(&e.Version)
		case "occurred_at":
			r.Time(&e.OccurredAt)
		case "organisation":
			wire.String(r, &e.Organisation)
		case "practice":
			wire.String(r, &e.Practice)
		case "correlation_id":
			wire.String(r, &e.CorrelationID)
		case "payload":
			payload(r)
		default:
			r.Unknown()
		}
	})
	r.End()
	if r.Failed() {
		*e = Envelope{}
		pv.SetZero()
		return false
	}
	return true
}

func readReceived(r *wire.Reader, p *ReceivedPayload) {
	r.Object(func(key []byte) {
		switch string(key) {
		case "item":
			readItem(r, &p.Item)
		default:
			r.Unknown()
		}
	})
}

func readRouted(r *wire.Reader, p *RoutedPayload) {
	r.Object(func(key []byte) {
		switch string(key) {
		case "item":
			readItem(r, &p.Item)
		case "decision":
			readDecision(r, &p.Decision)
		default:
			r.Unknown()
		}
	})
}

func readRemoved(r *wire.Reader, p *RemovedPayload) {
	r.Object(func(key []byte) {
		switch string(key) {
		case "item_id":
			r.UUID(&p.ItemID)
		case "channel":
			wire.String(r, &p.Channel)
		case "source_id":
			wire.String(r, &p.SourceID)
		case "removed_at":
			r.Time(&p.RemovedAt)
		default:
			r.Unknown()
		}
	})
}

func readItem(r *wire.Reader, it *feedback.Item) {
	r.Object(func(key []byte) {
		switch string(key) {
		case "id":
			r.UUID(&it.ID)
		case "organisation":
			wire.String(r, &it.Organisation)
		case "practice":
			wire.String(r, &it.Practice)
		case "channel":
			wire.String(r, &it.Channel)
		case "source_id":
			wire.String(r, &it.SourceID)
		case "author":
			wire.String(r, &it.Author)
		case "email":
			wire.String(r, &it.Email)
		case "text":
			wire.String(r, &it.Text)
		case "rating":
			wire.String(r, &it.Rating)
		case "revision":
			wire.String(r, &it.Revision)
		case "written_at":
			r.Time(&it.WrittenAt)
		default:
			r.Unknown()
		}
	})
}

func readDecision(r *wire.Reader, d *feedback.Decision) {
	r.Object(func(key []byte) {
		switch string(key) {
		case "route":
			wire.String(r, &d.Route)
		case "flags":
			wire.Strings(r, &d.Flags)
		case "confidence":
			r.Float(&d.Confidence)
		case "needs_review":
			r.Bool(&d.NeedsReview)
		case "reasons":
			wire.Strings(r, &d.Reasons)
		case "model_version":
			wire.String(r, &d.ModelVersion)
		default:
			r.Unknown()
		}
	})
}
