package textmodel

import (
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/signpost/signpost/services/classifier/internal/corpus"
	"github.com/signpost/signpost/services/classifier/internal/routing"
	"github.com/signpost/signpost/services/classifier/internal/textrules"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/policy"
)

// benchCorpus is the team corpus: one benchmark op is one of its items, taken in turn, so the
// figures are a mean over texts as they really come (short, long, flagged or not).
func benchCorpus(b *testing.B) []corpus.Entry {
	b.Helper()
	f, err := os.Open("../../corpus/gp-feedback.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	entries, err := corpus.Read(f)
	if err != nil {
		b.Fatal(err)
	}
	return entries
}

// BenchmarkDecideCorpus is one whole decision by the shipped engine, per corpus item.
func BenchmarkDecideCorpus(b *testing.B) {
	engine, policies, items := corpusDecisions(b)
	loop(b, func(i int) {
		i %= len(items)
		engine.Decide(policies[i], items[i])
	})
}

// BenchmarkDecideCorpusParallel is decisions on every core at once (-cpu sets how many), per
// corpus item, reported as decisions per second of wall time as well.
func BenchmarkDecideCorpusParallel(b *testing.B) {
	engine, policies, items := corpusDecisions(b)
	b.ReportAllocs()
	var next atomic.Int64
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(next.Add(1)) % len(items)
			engine.Decide(policies[i], items[i])
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "decisions/s")
}

// corpusDecisions is the shipped engine and the team corpus as items with their policies.
func corpusDecisions(b *testing.B) (routing.Engine, []*policy.Policy, []feedback.Item) {
	entries := benchCorpus(b)
	set, err := policy.Load(policy.Examples())
	if err != nil {
		b.Fatal(err)
	}
	text, err := Shipped()
	if err != nil {
		b.Fatal(err)
	}
	flags, err := ShippedFlags(textrules.Flags{})
	if err != nil {
		b.Fatal(err)
	}
	engine := routing.Engine{Text: text, Flags: flags}
	items := make([]feedback.Item, len(entries))
	policies := make([]*policy.Policy, len(entries))
	for i, e := range entries {
		policies[i], _ = set.ForPractice(e.Practice)
		items[i] = feedback.Item{Practice: e.Practice, Channel: e.Channel, Text: e.Text, Rating: e.Rating, WrittenAt: time.Unix(0, 0)}
	}
	return engine, policies, items
}

// BenchmarkClassifyCorpus is the text model's verdict (prediction and explanation), per corpus item.
func BenchmarkClassifyCorpus(b *testing.B) {
	entries := benchCorpus(b)
	text, err := Shipped()
	if err != nil {
		b.Fatal(err)
	}
	loop(b, func(i int) {
		i %= len(entries)
		text.Classify(entries[i].Text, entries[i].Rating)
	})
}

// BenchmarkFlagModelsCorpus is the five flag models (no rules), per corpus item.
func BenchmarkFlagModelsCorpus(b *testing.B) {
	entries := benchCorpus(b)
	flags, err := ShippedFlags(noHits{})
	if err != nil {
		b.Fatal(err)
	}
	loop(b, func(i int) {
		i %= len(entries)
		flags.Detect(entries[i].Text, nil)
	})
}

// cpuTime is the CPU time this process has used. Benchmarks report it per op beside the wall
// time, because on a shared machine the wall time counts the waits for a core too.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loop runs op b.N times and reports the CPU time per op.
func loop(b *testing.B, op func(i int)) {
	b.ReportAllocs()
	start := cpuTime(b)
	n := 0
	for b.Loop() {
		op(n)
		n++
	}
	b.ReportMetric(float64(cpuTime(b)-start)/float64(n), "cpu-ns/op")
}

type noHits struct{}

func (noHits) Detect(string, []string) []routing.FlagHit { return nil }
