package model

import (
	"bufio"
	"encoding/json"
	"os"
	"reflect"
	"testing"
)

// referenceTexts are the team's corpus texts and texts that stress the tokeniser.
func referenceTexts(tb testing.TB) []string {
	tb.Helper()
	texts := []string{
		"", " ", "a", "'", "''a''", "n't", "sooooo gooood!!!???", "?!", "!?", "3.5mg 10:30 1,000 10am 2nd 007",
		"don’t ‘care’ `at all` ʼtis", "Dr O&#39;Neil &amp; Nurse &lt;3 don&#8217;t", "😡😡 ❤️ 👍🏽 ™ © ° ¬ ^ `",
		"café\u0301 naïve ÆRØ ΣΑΣ ǅungla İstanbul ſhit KELVIN", "bad \xff\xfe bytes \xc3 here",
		"email me@example.org, see https://example.org/x www.x.y @someone_1 #fail (a) [b] <c> \"d\"",
		"not good but great, never again; nobody cares. wasn't bad isn't it",
		"a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a",
		"supercalifragilisticexpialidociousandthensomemoretomakeitlongerthanfortyeightrunes",
		"< > << >> <num> <url> a number", "tab\tnew\nline\r\nform\ffeed\vvt\u00a0nbsp\u2003em",
	}
	for _, path := range []string{"../../corpus/gp-feedback.jsonl", "../../corpus/heldout.jsonl"} {
		f, err := os.Open(path)
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var e struct{ Text string }
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				tb.Fatal(err)
			}
			texts = append(texts, e.Text)
		}
		f.Close()
	}
	return texts
}

func shippedForTest(tb testing.TB, name string) *Model {
	tb.Helper()
	f, err := os.Open("../textmodel/weights/" + name + ".model")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	m, err := Load(f)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// sameAsReference fails unless the fast featurisation and explanation give exactly what the
// reference (the code before it was made faster) gives: tokens, the vector bit for bit, and
// every label's explanation with the same weights.
func sameAsReference(t *testing.T, models []*Model, text string) {
	t.Helper()
	var toks []refToken
	for _, tk := range tokenize(text) {
		toks = append(toks, refToken{Text: tk.Text, Negated: tk.Negated, Word: tk.Word})
	}
	if want := refTokenize(text); !reflect.DeepEqual(toks, want) && len(toks)+len(want) > 0 {
		t.Fatalf("tokenize(%q) = %v, reference %v", text, toks, want)
	}
	for _, cfg := range []featureConfig{DefaultOptions().features(), {Buckets: 64, CharMin: 2, CharMax: 3, CharWeight: 1},
		{Buckets: 1 << 10, Bigrams: true}} {
		got, want := featurize(text, cfg), refFeaturize(text, cfg)
		if !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
			t.Fatalf("featurize(%q, %+v) differs from the reference:\n got  %v\n want %v", text, cfg, got, want)
		}
	}
	for _, m := range models {
		v := m.Vectorize(text) // most often in the memory the text before it released
		defer v.Release()
		if got, want := m.PredictVector(v, text), m.prediction(m.predictVector(refFeaturize(text, m.opts.features()))); !reflect.DeepEqual(got, want) {
			t.Fatalf("PredictVector(%q) = %+v, reference %+v", text, got, want)
		}
		for _, label := range m.labels {
			if got, want := m.ProbabilityVector(v, text, label), m.Predict(text).Probabilities[label]; got != want {
				t.Fatalf("ProbabilityVector(%q, %s) = %v, Predict says %v", text, label, got, want)
			}
			gt, ga := m.ExplainVector(v, text, label, 3)
			wt, wa := m.refExplain(text, label, 3)
			if !reflect.DeepEqual(gt, wt) || !reflect.DeepEqual(ga, wa) {
				t.Fatalf("Explain(%q, %s):\n got  %v %v\n want %v %v", text, label, gt, ga, wt, wa)
			}
		}
	}
}

func TestFeaturesAndExplanationsMatchTheReference(t *testing.T) {
	text, flag := shippedForTest(t, "signpost"), shippedForTest(t, "flag-safeguarding")
	for i, s := range referenceTexts(t) {
		if i%3 != 0 && i >= 40 { // the stress texts, and every third corpus text
			continue
		}
		models := []*Model{text}
		if i%2 == 0 {
			models = append(models, flag) // two labels, another calibration
		}
		sameAsReference(t, models, s)
	}
}

// A text read into the memory another text was read into is read exactly as it is alone, whether
// the one before was longer or shorter.
func TestATextReadInReusedMemoryIsReadAsAlone(t *testing.T) {
	texts := referenceTexts(t)
	cfg := DefaultOptions().features()
	reused := new(textFeatures)
	for i, text := range texts {
		reused.read(text, cfg)
		alone := analyse(text, cfg)
		if !reflect.DeepEqual(reused, alone) && len(alone.x)+len(reused.x) > 0 {
			t.Fatalf("text %d read after text %d differs from the text read alone", i, max(i-1, 0))
		}
	}
}

func FuzzFeaturesMatchTheReference(f *testing.F) {
	for _, text := range referenceTexts(f)[:40] {
		f.Add(text)
	}
	models := []*Model{shippedForTest(f, "signpost")}
	f.Fuzz(func(t *testing.T, text string) {
		sameAsReference(t, models, text)
	})
}

// benchTexts are the corpus texts, taken in turn by the benchmarks below.
func benchTexts(b *testing.B) []string { return referenceTexts(b)[21:] }

// BenchmarkVectorize is featurising one corpus text (tokens, hashed n-grams, the sparse vector).
func BenchmarkVectorize(b *testing.B) {
	m, texts := shippedForTest(b, "signpost"), benchTexts(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Vectorize(texts[i%len(texts)])
		i++
	}
}

// BenchmarkPredictVector is scoring one featurised corpus text with the shipped text model.
func BenchmarkPredictVector(b *testing.B) {
	m, texts := shippedForTest(b, "signpost"), benchTexts(b)
	vs := make([]Vector, len(texts))
	for i, t := range texts {
		vs[i] = m.Vectorize(t)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.PredictVector(vs[i%len(vs)], texts[i%len(vs)])
		i++
	}
}

// BenchmarkExplainVector is explaining one featurised corpus text (the three phrases each way).
func BenchmarkExplainVector(b *testing.B) {
	m, texts := shippedForTest(b, "signpost"), benchTexts(b)
	vs := make([]Vector, len(texts))
	for i, t := range texts {
		vs[i] = m.Vectorize(t)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.ExplainVector(vs[i%len(vs)], texts[i%len(vs)], "complaint", 3)
		i++
	}
}
