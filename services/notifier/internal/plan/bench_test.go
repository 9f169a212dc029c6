package plan_test

import (
	"testing"
	"time"

	"github.com/signpost/signpost/services/notifier/internal/plan"
	"github.com/signpost/signpost/services/notifier/internal/workdays"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/policy"
)

func BenchmarkMakeForASocialComplaint(b *testing.B) {
	set, _ := policy.Load(policy.Examples())
	p, _ := set.ForPractice("trent-meadows-medical-practice")
	cal, _ := workdays.EnglandAndWales()
	it := feedback.Item{Practice: "trent-meadows-medical-practice", Channel: feedback.FacebookComment, SourceID: "1_2_3"}
	d := feedback.Decision{Route: feedback.Complaint, Flags: []feedback.Flag{feedback.StaffIdentified}, Confidence: 0.9, ModelVersion: "m"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := plan.Make(p, it, d, time.Now(), cal); err != nil {
			b.Fatal(err)
		}
	}
}
