package postgres

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/signpost/signpost/shared/feedback"
)

// The rows are written by hand (package wire); Postgres must be given what encoding/json would
// have written, whatever the text.
func TestRowsAreWrittenAsEncodingJSONWritesThem(t *testing.T) {
	var batch []Decided
	for i, text := range []string{"Lovely staff", "", "Dr \"Smith\" <no> & \\ \n\t", "£ café 👍🏽 \u2028", "bad \xff", "\x00"} {
		batch = append(batch, Decided{
			Item: feedback.Item{ID: feedback.ItemID("o", feedback.FacebookPost, text), Organisation: "o", Practice: "p&q",
				Channel: feedback.FacebookPost, SourceID: text, Author: text, Text: text, Revision: text,
				WrittenAt: time.Date(2026, 11, 2, 9, 0, i, 5, time.FixedZone("", 3600))},
			CorrelationID: text,
			Decision: feedback.Decision{Route: feedback.Complaint, Flags: []feedback.Flag{feedback.Abusive}, Confidence: float64(i) / 7,
				Reasons: []string{text}, ModelVersion: text},
		})
	}
	batch = append(batch, Decided{Item: feedback.Item{ID: feedback.ItemID("o", feedback.FacebookPost, "bare")}})
	items, decisions, _, err := rows(batch)
	if err != nil {
		t.Fatal(err)
	}
	is, ds, _ := rowsOf(batch)
	for _, c := range []struct {
		got []byte
		v   any
	}{{items, is}, {decisions, ds}} {
		want, err := json.Marshal(c.v)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(c.got, want) {
			t.Errorf("wrote\n%s\nencoding/json writes\n%s", c.got, want)
		}
	}
	if len(is) != len(batch) || len(ds) != len(batch) {
		t.Errorf("%d items and %d decisions for %d", len(is), len(ds), len(batch))
	}
	late := []Decided{{Item: feedback.Item{WrittenAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}}
	if _, _, _, err := rows(late); err == nil {
		t.Error("a time with no JSON form was written")
	}
}
