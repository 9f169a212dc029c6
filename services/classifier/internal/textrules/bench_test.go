package textrules

import (
	"os"
	"testing"

	"github.com/signpost/signpost/services/classifier/internal/corpus"
)

func corpusTexts(tb testing.TB) []string {
	tb.Helper()
	var texts []string
	for _, path := range []string{"../../corpus/gp-feedback.jsonl", "../../corpus/heldout.jsonl"} {
		f, err := os.Open(path)
		if err != nil {
			tb.Fatal(err)
		}
		entries, err := corpus.Read(f)
		f.Close()
		if err != nil {
			tb.Fatal(err)
		}
		for _, e := range entries {
			texts = append(texts, e.Text)
		}
	}
	return texts
}

// BenchmarkDetectCorpus is the flag rules on one text, per corpus item in turn.
func BenchmarkDetectCorpus(b *testing.B) {
	texts := corpusTexts(b)
	staff := []string{"Priyanka", "Julie Marsh"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		Flags{}.Detect(texts[i], staff)
		i = (i + 1) % len(texts)
	}
}

// BenchmarkScreenReadCorpus is the screen's one pass over a text, per corpus item in turn.
func BenchmarkScreenReadCorpus(b *testing.B) {
	texts := corpusTexts(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		rules.read(texts[i%len(texts)])
		i++
	}
}
