package postgres_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/signpost/signpost/services/classifier/internal/postgres"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/storetest"
)

func decided(source, revision string, written time.Time, route feedback.Route) postgres.Decided {
	return postgres.Decided{
		Item: feedback.Item{ID: feedback.ItemID("o", feedback.FacebookComment, source), Organisation: "o", Practice: "p",
			Channel: feedback.FacebookComment, SourceID: source, Text: "text of " + revision, Revision: revision, WrittenAt: written},
		CorrelationID: "c",
		Decision: feedback.Decision{Route: route, Flags: []feedback.Flag{feedback.StaffIdentified}, Confidence: 0.9,
			Reasons: []string{"because", "it says so"}, ModelVersion: "m"},
	}
}

func TestABatchIsStoredOnceAndRedeliveryReturnsTheFirstDecisions(t *testing.T) {
	db, _ := storetest.New(t)
	s := postgres.NewDecisions(db)
	now := time.Now().UTC().Truncate(time.Microsecond)
	batch := []postgres.Decided{decided("a", "", now, feedback.Complaint), decided("b", "", now, feedback.OfficialReview)}
	first, err := s.SaveBatch(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	if first[0].Route != feedback.Complaint || first[1].Route != feedback.OfficialReview ||
		len(first[0].Flags) != 1 || first[0].Flags[0] != feedback.StaffIdentified || len(first[1].Reasons) != 2 {
		t.Fatalf("stored %+v", first)
	}
	// The same batch again, decided differently this time (a new model), in another order.
	again := []postgres.Decided{decided("b", "", now, feedback.Complaint), decided("a", "", now, feedback.Other)}
	second, err := s.SaveBatch(context.Background(), again)
	if err != nil {
		t.Fatal(err)
	}
	if second[0].Route != feedback.OfficialReview || second[1].Route != feedback.Complaint {
		t.Errorf("redelivery returned %s, %s: want the first decisions (official_review, complaint)", second[0].Route, second[1].Route)
	}
	var items, decisions int
	if err := db.Get(&items, `SELECT count(*) FROM items`); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&decisions, `SELECT count(*) FROM decisions`); err != nil {
		t.Fatal(err)
	}
	if items != 2 || decisions != 2 {
		t.Errorf("%d items and %d decisions, want 2 and 2", items, decisions)
	}
}

func TestTwoRevisionsInOneBatchKeepBothDecisionsAndTheNewestText(t *testing.T) {
	db, _ := storetest.New(t)
	s := postgres.NewDecisions(db)
	now := time.Now().UTC().Truncate(time.Microsecond)
	batch := []postgres.Decided{decided("a", "r2", now.Add(time.Minute), feedback.OfficialReview), decided("a", "r1", now, feedback.Complaint)}
	stored, err := s.SaveBatch(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	if stored[0].Route != feedback.OfficialReview || stored[1].Route != feedback.Complaint {
		t.Errorf("decisions %s, %s", stored[0].Route, stored[1].Route)
	}
	var revision, body string
	if err := db.QueryRow(`SELECT revision, body FROM items`).Scan(&revision, &body); err != nil {
		t.Fatal(err)
	}
	if revision != "r2" || body != "text of r2" {
		t.Errorf("item shows revision %q: want the newest, r2", revision)
	}
	// An older revision arriving later does not overwrite the newer one.
	if _, err := s.SaveBatch(context.Background(), []postgres.Decided{decided("a", "r0", now.Add(-time.Minute), feedback.Other)}); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT revision FROM items`).Scan(&revision); err != nil {
		t.Fatal(err)
	}
	if revision != "r2" {
		t.Errorf("an older revision replaced the newest: %q", revision)
	}
}

func TestTextIsStoredVerbatim(t *testing.T) {
	db, _ := storetest.New(t)
	s := postgres.NewDecisions(db)
	d := decided("x", "", time.Now(), feedback.Complaint)
	d.Item.Text = `Robert'); DROP TABLE items;-- <script>alert("x")</script> é 😡 \u0041`
	if _, err := s.SaveBatch(context.Background(), []postgres.Decided{d}); err != nil {
		t.Fatal(err)
	}
	var body string
	if err := db.Get(&body, `SELECT body FROM items`); err != nil {
		t.Fatal(err)
	}
	if body != d.Item.Text {
		t.Errorf("stored %q, want %q", body, d.Item.Text)
	}
}

func TestWhatIsReturnedIsWhatIsStoredWhetherNewOrRedeliveredOrRepeatedInTheBatch(t *testing.T) {
	db, _ := storetest.New(t)
	s := postgres.NewDecisions(db)
	now := time.Now().UTC().Truncate(time.Microsecond)
	plain := decided("c", "", now, feedback.Other)
	plain.Decision.Flags, plain.Decision.Reasons = nil, nil // nothing to list: stored as empty lists
	batch := []postgres.Decided{decided("a", "", now, feedback.Complaint), plain}
	first, err := s.SaveBatch(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.SaveBatch(context.Background(), batch) // a redelivery reads the rows back
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, again) {
		t.Fatalf("new decisions %+v, read back %+v", first, again)
	}
	// One revision twice in a batch, decided differently: both answers are the one stored.
	twice := []postgres.Decided{decided("d", "", now, feedback.Complaint), decided("d", "", now, feedback.OfficialReview)}
	got, err := s.SaveBatch(context.Background(), twice)
	if err != nil {
		t.Fatal(err)
	}
	var route string
	if err := db.Get(&route, `SELECT route FROM decisions WHERE item_id = $1`, twice[0].Item.ID); err != nil {
		t.Fatal(err)
	}
	if string(got[0].Route) != route || string(got[1].Route) != route {
		t.Errorf("returned %s and %s, stored %s", got[0].Route, got[1].Route, route)
	}
}
