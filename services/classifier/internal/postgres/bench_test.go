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

// BenchmarkSaveBatch is storing a batch of items with their decisions in one transaction (what
// the classifier does per batch), against the real Postgres; ns/op is per batch.
func BenchmarkSaveBatch(b *testing.B) {
	for _, size := range []int{1, 16, 256, 1000} { // 1,000: BUS_BATCH_SIZE by default
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			db, _ := storetest.New(b)
			s := postgres.NewDecisions(db)
			next := 0
			for b.Loop() {
				batch := make([]postgres.Decided, size)
				for i := range batch {
					batch[i] = decided(fmt.Sprint("bench-", next), "", time.Now(), feedback.Complaint)
					next++
				}
				if _, err := s.SaveBatch(context.Background(), batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(next), "ns/item")
		})
	}
}
