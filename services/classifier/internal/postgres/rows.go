package postgres

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/signpost/signpost/shared/wire"
)

type itemRow struct {
	ID            uuid.UUID `json:"id"`
	Organisation  string    `json:"organisation"`
	Practice      string    `json:"practice"`
	Channel       string    `json:"channel"`
	SourceID      string    `json:"source_id"`
	Author        string    `json:"author"`
	Email         string    `json:"email"`
	Body          string    `json:"body"`
	Rating        string    `json:"rating"`
	Revision      string    `json:"revision"`
	WrittenAt     time.Time `json:"written_at"`
	CorrelationID string    `json:"correlation_id"`
}

type decisionRow struct {
	revisionKey
	Organisation string   `json:"organisation"`
	Route        string   `json:"route"`
	Flags        []string `json:"flags"`
	Confidence   float64  `json:"confidence"`
	NeedsReview  bool     `json:"needs_review"`
	Reasons      []string `json:"reasons"`
	ModelVersion string   `json:"model_version"`
}

// rows encodes a batch's rows as the two JSON arrays its statements read, and counts how often
// the batch holds each revision.
func rows(batch []Decided) (items, decisions []byte, keys map[revisionKey]int, err error) {
	is, ds, keys := rowsOf(batch)
	if items, err = appendItemRows(make([]byte, 0, 1024*len(is)), is); err != nil {
		return nil, nil, nil, err
	}
	decisions, err = appendDecisionRows(make([]byte, 0, 256*len(ds)), ds)
	return items, decisions, keys, err
}

// rowsOf is the batch's rows, and how often it holds each revision. Only the newest revision of
// an item goes into the items statement (one statement may not update a row twice), and rows are
// in key order so that concurrent batches lock rows in the same order.
func rowsOf(batch []Decided) (is []itemRow, ds []decisionRow, keys map[revisionKey]int) {
	newest := map[string]itemRow{}
	keys = map[revisionKey]int{}
	for _, b := range batch {
		it := b.Item
		k := it.Organisation + "\x00" + string(it.Channel) + "\x00" + it.SourceID
		if prev, ok := newest[k]; !ok || prev.WrittenAt.Before(it.WrittenAt) {
			newest[k] = itemRow{ID: it.ID, Organisation: it.Organisation, Practice: it.Practice, Channel: string(it.Channel),
				SourceID: it.SourceID, Author: it.Author, Email: it.Email, Body: it.Text, Rating: it.Rating, Revision: it.Revision,
				WrittenAt: it.WrittenAt, CorrelationID: b.CorrelationID}
		}
		d := b.Decision
		flags := make([]string, len(d.Flags))
		for i, f := range d.Flags {
			flags[i] = string(f)
		}
		key := revisionKey{it.ID, it.Revision}
		ds = append(ds, decisionRow{revisionKey: key, Organisation: it.Organisation, Route: string(d.Route), Flags: flags,
			Confidence: d.Confidence, NeedsReview: d.NeedsReview, Reasons: nonNil(d.Reasons), ModelVersion: d.ModelVersion})
		keys[key]++
	}
	is = make([]itemRow, 0, len(newest))
	for _, r := range newest {
		is = append(is, r)
	}
	slices.SortFunc(is, func(a, b itemRow) int { return bytes.Compare(a.ID[:], b.ID[:]) })
	slices.SortFunc(ds, func(a, b decisionRow) int {
		return cmp.Or(bytes.Compare(a.ItemID[:], b.ItemID[:]), strings.Compare(a.Revision, b.Revision))
	})
	return is, ds, keys
}

// appendItemRows writes rows as one JSON array, as encoding/json would (package wire).
func appendItemRows(dst []byte, rows []itemRow) ([]byte, error) {
	dst = append(dst, '[')
	for i, r := range rows {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"id":`...)
		dst = wire.AppendUUID(dst, r.ID)
		for _, f := range [...]struct{ key, value string }{{`,"organisation":`, r.Organisation}, {`,"practice":`, r.Practice},
			{`,"channel":`, r.Channel}, {`,"source_id":`, r.SourceID}, {`,"author":`, r.Author}, {`,"email":`, r.Email},
			{`,"body":`, r.Body}, {`,"rating":`, r.Rating}, {`,"revision":`, r.Revision}} {
			dst = append(dst, f.key...)
			dst = wire.AppendString(dst, f.value)
		}
		dst = append(dst, `,"written_at":`...)
		var ok bool
		if dst, ok = wire.AppendTime(dst, r.WrittenAt); !ok {
			return nil, fmt.Errorf("item %s: the time it was written has no JSON form", r.ID)
		}
		dst = append(dst, `,"correlation_id":`...)
		dst = wire.AppendString(dst, r.CorrelationID)
		dst = append(dst, '}')
	}
	return append(dst, ']'), nil
}

// appendDecisionRows writes rows as one JSON array, as encoding/json would (package wire).
func appendDecisionRows(dst []byte, rows []decisionRow) ([]byte, error) {
	dst = append(dst, '[')
	for i, r := range rows {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"item_id":`...)
		dst = wire.AppendUUID(dst, r.ItemID)
		for _, f := range [...]struct{ key, value string }{{`,"revision":`, r.Revision}, {`,"organisation":`, r.Organisation},
			{`,"route":`, r.Route}} {
			dst = append(dst, f.key...)
			dst = wire.AppendString(dst, f.value)
		}
		dst = append(dst, `,"flags":`...)
		dst = wire.AppendStrings(dst, r.Flags)
		dst = append(dst, `,"confidence":`...)
		var ok bool
		if dst, ok = wire.AppendFloat(dst, r.Confidence); !ok {
			return nil, fmt.Errorf("decision on item %s: confidence %v has no JSON form", r.ItemID, r.Confidence)
		}
		dst = append(dst, `,"needs_review":`...)
		dst = wire.AppendBool(dst, r.NeedsReview)
		dst = append(dst, `,"reasons":`...)
		dst = wire.AppendStrings(dst, r.Reasons)
		dst = append(dst, `,"model_version":`...)
		dst = wire.AppendString(dst, r.ModelVersion)
		dst = append(dst, '}')
	}
	return append(dst, ']'), nil
}
