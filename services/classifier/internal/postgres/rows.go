package postgres

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/wire"
)

// itemRow and decisionRow are the rows the statements read; their tags name the keys, which rows
// writes by hand and its test holds to json.Marshal of these.
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
	Organisation string          `json:"organisation"`
	Route        string          `json:"route"`
	Flags        []feedback.Flag `json:"flags"`
	Confidence   float64         `json:"confidence"`
	NeedsReview  bool            `json:"needs_review"`
	Reasons      []string        `json:"reasons"`
	ModelVersion string          `json:"model_version"`
}

// rows encodes a batch's rows as the two JSON arrays its statements read, as encoding/json would
// (package wire), and counts how often the batch holds each revision.
func rows(batch []Decided) (items, decisions []byte, keys map[revisionKey]int, err error) {
	is, ds, keys := rowsOf(batch)
	items, err = jsonArray(is, 1024, writeItemRow, func(r itemRow) error {
		return fmt.Errorf("item %s: the time it was written has no JSON form", r.ID)
	})
	if err != nil {
		return nil, nil, nil, err
	}
	decisions, err = jsonArray(ds, 256, writeDecisionRow, func(r decisionRow) error {
		return fmt.Errorf("decision on item %s: confidence %v has no JSON form", r.ItemID, r.Confidence)
	})
	if err != nil {
		return nil, nil, nil, err
	}
	return items, decisions, keys, nil
}

// jsonArray writes rows as one JSON array, with room for about size bytes a row; a row holding a
// value JSON cannot write stops it with unwritable's error for that row.
func jsonArray[T any](rows []T, size int, write func(*wire.Writer, T), unwritable func(T) error) ([]byte, error) {
	w := wire.NewWriter(make([]byte, 0, size*len(rows)))
	w.BeginArray()
	for _, r := range rows {
		if write(w, r); w.Failed() {
			return nil, unwritable(r)
		}
	}
	w.EndArray()
	return w.Bytes(), nil
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
		d := asStored(b.Decision) // lists empty rather than absent: the columns are NOT NULL
		key := revisionKey{it.ID, it.Revision}
		ds = append(ds, decisionRow{revisionKey: key, Organisation: it.Organisation, Route: string(d.Route), Flags: d.Flags,
			Confidence: d.Confidence, NeedsReview: d.NeedsReview, Reasons: d.Reasons, ModelVersion: d.ModelVersion})
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

func writeItemRow(w *wire.Writer, r itemRow) {
	w.BeginObject()
	w.Field("id").UUID(r.ID)
	w.Field("organisation").String(r.Organisation)
	w.Field("practice").String(r.Practice)
	w.Field("channel").String(r.Channel)
	w.Field("source_id").String(r.SourceID)
	w.Field("author").String(r.Author)
	w.Field("email").String(r.Email)
	w.Field("body").String(r.Body)
	w.Field("rating").String(r.Rating)
	w.Field("revision").String(r.Revision)
	w.Field("written_at").Time(r.WrittenAt)
	w.Field("correlation_id").String(r.CorrelationID)
	w.EndObject()
}

func writeDecisionRow(w *wire.Writer, r decisionRow) {
	w.BeginObject()
	w.Field("item_id").UUID(r.ItemID)
	w.Field("revision").String(r.Revision)
	w.Field("organisation").String(r.Organisation)
	w.Field("route").String(r.Route)
	wire.WriteStrings(w.Field("flags"), r.Flags)
	w.Field("confidence").Float(r.Confidence)
	w.Field("needs_review").Bool(r.NeedsReview)
	wire.WriteStrings(w.Field("reasons"), r.Reasons)
	w.Field("model_version").String(r.ModelVersion)
	w.EndObject()
}
