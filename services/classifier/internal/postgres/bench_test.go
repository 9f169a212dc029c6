package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/signpost/signpost/services/classifier/internal/postgres"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/storetest"
)

// BenchmarkSave is storing one item and its decision in one transaction (what the classifier
// does per message), against the real Postgres.
func BenchmarkSave(b *testing.B) {
	db, _ := storetest.New(b)
	s := postgres.NewDecisions(db)
	d := feedback.Decision{Route: feedback.Complaint, Flags: []feedback.Flag{}, Confidence: 0.9, Reasons: []string{"r"}, ModelVersion: "m"}
	i := 0
	for b.Loop() {
		src := fmt.Sprint("bench-", i)
		i++
		it := feedback.Item{ID: feedback.ItemID("o", feedback.WebsiteReview, src), Organisation: "o", Practice: "p",
			Channel: feedback.WebsiteReview, SourceID: src, Text: "text", WrittenAt: time.Now()}
		if _, err := s.Save(context.Background(), it, "c", d); err != nil {
			b.Fatal(err)
		}
	}
}
