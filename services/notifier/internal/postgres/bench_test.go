package postgres_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/signpost/signpost/services/notifier/internal/postgres"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/storetest"
)

// BenchmarkSaveBatch is storing the plans of a batch of complaints (an inbox entry and a message
// to the patient each) in one transaction, what the notifier does per batch; ns/op is per batch.
func BenchmarkSaveBatch(b *testing.B) {
	for _, size := range []int{1, 16, 256, 1000} { // 1,000: BUS_BATCH_SIZE by default
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			db, _ := storetest.New(b)
			a := postgres.NewActions(db)
			next := 0
			for b.Loop() {
				b.StopTimer()
				batch := make([]postgres.Planned, size)
				for i := range batch {
					src := fmt.Sprint("bench-", next)
					next++
					it := feedback.Item{ID: feedback.ItemID("org", feedback.FacebookComment, src), Organisation: "org", Practice: "p",
						Channel: feedback.FacebookComment, SourceID: src, Text: "t", WrittenAt: time.Now()}
					if _, err := db.Exec(`INSERT INTO items (id, organisation, practice, channel, source_id, body, written_at, first_written_at)
						VALUES ($1, 'org', 'p', 'facebook_comment', $2, 't', now(), now())`, it.ID, src); err != nil {
						b.Fatal(err)
					}
					batch[i] = postgres.Planned{Item: it, Plan: complaint}
				}
				b.StartTimer()
				if err := a.SaveBatch(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(next), "ns/item")
		})
	}
}
