package event

import (
	"reflect"
	"strconv"

	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/wire"
)

// The payloads every item's events carry are written and read by hand (package wire), the same
// bytes and values as encoding/json's but without its reflection, which was a fifth of the
// pipeline's CPU. Anything else, or anything unusual in these, goes to encoding/json.

// appendEvent appends the envelope and payload as encoding/json would write typed{e, payload}.
func appendEvent(dst []byte, e Envelope, payload any) ([]byte, bool) {
	dst = append(dst, `{"id":`...)
	dst = wire.AppendUUID(dst, e.ID)
	dst = append(dst, `,"type":`...)
	dst = wire.AppendString(dst, e.Type)
	dst = append(dst, `,"version":`...)
	dst = strconv.AppendInt(dst, int64(e.Version), 10)
	dst = append(dst, `,"occurred_at":`...)
	dst, ok := wire.AppendTime(dst, e.OccurredAt)
	dst = append(dst, `,"organisation":`...)
	dst = wire.AppendString(dst, e.Organisation)
	dst = append(dst, `,"practice":`...)
	dst = wire.AppendString(dst, e.Practice)
	dst = append(dst, `,"correlation_id":`...)
	dst = wire.AppendString(dst, e.CorrelationID)
	dst = append(dst, `,"payload":`...)
	var written bool
	switch p := payload.(type) {
	case ReceivedPayload:
		dst = append(dst, `{"item":`...)
		dst, written = appendItem(dst, p.Item)
		dst = append(dst, '}')
	case RoutedPayload:
		var itemWritten bool
		dst = append(dst, `{"item":`...)
		dst, itemWritten = appendItem(dst, p.Item)
		dst = append(dst, `,"decision":`...)
		dst, written = appendDecision(dst, p.Decision)
		written = written && itemWritten
		dst = append(dst, '}')
	case RemovedPayload:
		dst = append(dst, `{"item_id":`...)
		dst = wire.AppendUUID(dst, p.ItemID)
		dst = append(dst, `,"channel":`...)
		dst = wire.AppendString(dst, string(p.Channel))
		dst = append(dst, `,"source_id":`...)
		dst = wire.AppendString(dst, p.SourceID)
		dst = append(dst, `,"removed_at":`...)
		dst, written = wire.AppendTime(dst, p.RemovedAt)
		dst = append(dst, '}')
	}
	return append(dst, '}'), ok && written
}

func appendItem(dst []byte, it feedback.Item) ([]byte, bool) {
	dst = append(dst, `{"id":`...)
	dst = wire.AppendUUID(dst, it.ID)
	dst = append(dst, `,"organisation":`...)
	dst = wire.AppendString(dst, it.Organisation)
	dst = append(dst, `,"practice":`...)
	dst = wire.AppendString(dst, it.Practice)
	dst = append(dst, `,"channel":`...)
	dst = wire.AppendString(dst, string(it.Channel))
	dst = append(dst, `,"source_id":`...)
	dst = wire.AppendString(dst, it.SourceID)
	for _, f := range [...]struct{ key, value string }{{`,"author":`, it.Author}, {`,"email":`, it.Email}} {
		if f.value != "" {
			dst = append(dst, f.key...)
			dst = wire.AppendString(dst, f.value)
		}
	}
	dst = append(dst, `,"text":`...)
	dst = wire.AppendString(dst, it.Text)
	for _, f := range [...]struct{ key, value string }{{`,"rating":`, it.Rating}, {`,"revision":`, it.Revision}} {
		if f.value != "" {
			dst = append(dst, f.key...)
			dst = wire.AppendString(dst, f.value)
		}
	}
	dst = append(dst, `,"written_at":`...)
	dst, ok := wire.AppendTime(dst, it.WrittenAt)
	return append(dst, '}'), ok
}

func appendDecision(dst []byte, d feedback.Decision) ([]byte, bool) {
	dst = append(dst, `{"route":`...)
	dst = wire.AppendString(dst, string(d.Route))
	dst = append(dst, `,"flags":`...)
	dst = wire.AppendStrings(dst, d.Flags)
	dst = append(dst, `,"confidence":`...)
	dst, ok := wire.AppendFloat(dst, d.Confidence)
	dst = append(dst, `,"needs_review":`...)
	dst = wire.AppendBool(dst, d.NeedsReview)
	dst = append(dst, `,"reasons":`...)
	dst = wire.AppendStrings(dst, d.Reasons)
	dst = append(dst, `,"model_version":`...)
	dst = wire.AppendString(dst, d.ModelVersion)
	return append(dst, '}'), ok
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
