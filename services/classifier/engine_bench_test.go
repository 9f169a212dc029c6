package classifier_test

import (
	"testing"

	"github.com/signpost/signpost/services/classifier"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/policy"
)

// BenchmarkDecide is one decision by the shipped engine: text model, flag rules and models, policy.
func BenchmarkDecide(b *testing.B) {
	engine, err := classifier.NewEngine()
	if err != nil {
		b.Fatal(err)
	}
	set, _ := policy.Load(policy.Examples())
	p, _ := set.ForPractice("trent-meadows-medical-practice")
	it := feedback.Item{Practice: "trent-meadows-medical-practice", Channel: feedback.FacebookComment,
		Text: "The nurse was lovely but I waited 50 minutes past my appointment and the receptionist was rude when I asked why"}
	b.ReportAllocs()
	for b.Loop() {
		engine.Decide(p, it)
	}
}
