package bus_test

import (
	"fmt"
	"testing"

	"github.com/signpost/signpost/shared/bustest"
)

// BenchmarkPublish stores calls of 1, 16 and 256 messages through a publisher (one sync to disk per
// message for the first, one per atomic batch for the others) and reports messages per second.
func BenchmarkPublish(b *testing.B) {
	for _, size := range []int{1, 16, 256} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			n := bustest.Start(b)
			pub := newPublisher(b, n)
			subject := n.Topology.Subject("feedback.received")
			sent := 0
			for b.Loop() {
				if err := pub.Publish(subject, messages(fmt.Sprint("bench-", sent), size)...); err != nil {
					b.Fatal(err)
				}
				sent += size
			}
			b.ReportMetric(float64(sent)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
