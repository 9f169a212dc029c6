package model

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"lowercase and punctuation", "The Nurse was LOVELY.", "the nurse was lovely"},
		{"url", "see https://t.co/abc123 now", "see <url> now"},
		{"www url", "go to www.nhs.uk please", "go to <url> please"},
		{"mention", "@DrSmith_Surgery, thanks", "<user> thanks"},
		{"lone at sign", "a @ b", "a b"},
		{"email", "write to j.smith@nhs.net.", "write to <email>"},
		{"url in brackets", "(see https://x.y/z)", "see <url>"},
		{"handle with punctuation", "thanks @gp_surgery!", "thanks <user> !"},
		{"numbers", "waited 45 minutes, 10:30 appt", "waited <num> minutes <num> appt"},
		{"digits inside words", "at 10am on the 2nd, 2.5mg", "at 0am on the 0nd 0mg"},
		{"number separators", "1,000 and 3.5. Then", "<num> and <num> then"},
		{"repeated letters", "sooooo baaad!!!", "soo baad !"},
		{"question and exclamation", "why?!? really!", "why ? really !"},
		{"hashtag", "#NHS #fail", "nhs fail"},
		{"html entity", "A &amp; E", "a e"},
		{"curly apostrophe", "I don\u2019t know", "i don't not_know"},
		{"negation scope ends at punctuation", "not helpful, rude", "not not_helpful rude"},
		{"negation scope ends at but", "never late but rude", "never not_late but rude"},
		{"n't negates", "they didn't call back", "they didn't not_call not_back"},
		{"negation scope is bounded", "no a b c d e f g h i j k", "no not_a not_b not_c not_d not_e not_f not_g not_h not_i not_j k"},
		{"emoji is a token", "great \U0001F600", "great \U0001F600"},
		{"hyphen splits", "follow-up call", "follow up call"},
		{"empty", "   ", ""},
		{"invalid utf-8", "bad \xff\xfe text", "bad text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "Not bad at all!!", "@a @ b http://x", "10:30 3.5mg \u2019", "\xff\xfe", "don't, won't"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range tokenize(s) {
			if tok.Text == "" || strings.ContainsAny(tok.Text, " \t\n") {
				t.Fatalf("tokenize(%q): bad token %q", s, tok.Text)
			}
		}
		featurize(s, DefaultOptions().features())
	})
}

func TestFeaturesAreNormalisedAndSorted(t *testing.T) {
	cfg := DefaultOptions().features()
	x := featurize("the receptionist was rude and the doctor was late", cfg)
	if len(x) == 0 {
		t.Fatal("no features")
	}
	var sq float64
	for i, f := range x {
		if i > 0 && f.Bucket <= x[i-1].Bucket {
			t.Fatalf("features not strictly sorted by bucket at %d", i)
		}
		if int(f.Bucket) >= cfg.Buckets {
			t.Fatalf("bucket %d out of range", f.Bucket)
		}
		sq += float64(f.Value) * float64(f.Value)
	}
	// Word part has norm 1, char part norm CharWeight; collisions can only
	// add a little.
	want := 1 + cfg.CharWeight*cfg.CharWeight
	if math.Abs(sq-want) > 0.05 {
		t.Errorf("squared norm %v, want about %v", sq, want)
	}
	if got := featurize("", cfg); len(got) != 0 {
		t.Errorf("empty text has %d features", len(got))
	}
	// Word order matters through bigrams only.
	a := featurize("rude receptionist", cfg)
	b := featurize("receptionist rude", cfg)
	if reflect.DeepEqual(a, b) {
		t.Error("bigrams do not distinguish word order")
	}
}

// synthetic builds a small three-label corpus from templates.
func synthetic(n int, seed uint64) []Example {
	rng := rand.New(rand.NewPCG(seed, 7))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	who := []string{"the receptionist", "the doctor", "the nurse", "reception", "the practice", "the pharmacist"}
	bad := []string{"was rude to me", "never called me back", "lost my blood results", "cancelled my appointment again",
		"kept me waiting two hours", "refused to give me an appointment", "ignored my emails", "made a mistake with my prescription"}
	good := []string{"was lovely", "was very helpful", "was kind and caring", "sorted everything quickly",
		"listened carefully", "was brilliant as always", "explained everything clearly", "made me feel at ease"}
	other := []string{"what time do you open on saturday", "is the flu clinic running this week", "how do I register as a new patient",
		"can I order a repeat prescription online", "where do I park", "do you do travel vaccines"}
	var out []Example
	for i := 0; i < n; i++ {
		switch i % 3 {
		case 0:
			out = append(out, Example{Text: fmt.Sprintf("%s %s, so disappointed", pick(who), pick(bad)), Label: "complaint"})
		case 1:
			out = append(out, Example{Text: fmt.Sprintf("%s %s, thank you", pick(who), pick(good)), Label: "feedback"})
		default:
			out = append(out, Example{Text: pick(other) + "?", Label: "other"})
		}
	}
	return out
}

func testOptions() Options {
	o := DefaultOptions()
	o.Buckets = 1 << 14
	return o
}

func trainOrFatal(t testing.TB, ex []Example, o Options) *Model {
	t.Helper()
	m, err := Train(ex, o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTrainSeparatesClasses(t *testing.T) {
	m := trainOrFatal(t, synthetic(150, 1), testOptions())
	if got := m.Labels(); !slices.Equal(got, []string{"complaint", "feedback", "other"}) {
		t.Fatalf("labels %v", got)
	}
	tests := []struct{ text, want string }{
		{"the doctor was rude to me and cancelled my appointment", "complaint"},
		{"reception never called me back, so disappointed", "complaint"},
		{"the nurse was lovely and very helpful, thank you", "feedback"},
		{"the pharmacist explained everything clearly", "feedback"},
		{"what time do you open on monday?", "other"},
		{"how do I order a prescription?", "other"},
	}
	for _, tt := range tests {
		p := m.Predict(tt.text)
		if p.Label != tt.want {
			t.Errorf("Predict(%q) = %s %v, want %s", tt.text, p.Label, p.Probabilities, tt.want)
		}
	}
}

func TestBinaryLabels(t *testing.T) {
	var ex []Example
	for _, e := range synthetic(120, 2) {
		if e.Label != "complaint" {
			e.Label = "not_complaint"
		}
		ex = append(ex, e)
	}
	m := trainOrFatal(t, ex, testOptions())
	if p := m.Predict("they lost my results and were rude"); p.Label != "complaint" || p.Confidence <= 0.5 {
		t.Errorf("got %+v", p)
	}
	if p := m.Predict("lovely nurse, thank you"); p.Label != "not_complaint" {
		t.Errorf("got %+v", p)
	}
}

func TestDeterminism(t *testing.T) {
	ex := synthetic(90, 3)
	o := testOptions()
	o.Workers = 1
	a := trainOrFatal(t, ex, o)
	o.Workers = 4
	b := trainOrFatal(t, ex, o)
	if a.Version() != b.Version() {
		t.Errorf("versions differ: %s vs %s", a.Version(), b.Version())
	}
	if !reflect.DeepEqual(a.w, b.w) || !reflect.DeepEqual(a.cal, b.cal) {
		t.Error("weights or calibration differ between identical trainings")
	}
	if len(a.Version()) != 12 {
		t.Errorf("version %q is not 12 hex digits", a.Version())
	}
	o.Seed = 2
	c := trainOrFatal(t, ex, o)
	if c.Version() == a.Version() {
		t.Error("a different seed gave the same version")
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	m := trainOrFatal(t, synthetic(90, 4), DefaultOptions())
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 1<<20 {
		t.Errorf("saved model is %d bytes", buf.Len())
	}
	m2, err := Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if m2.Version() != m.Version() {
		t.Errorf("version %s after load, %s before", m2.Version(), m.Version())
	}
	if !reflect.DeepEqual(m2.Options(), m.Options()) {
		t.Errorf("options %+v after load, %+v before", m2.Options(), m.Options())
	}
	for _, text := range []string{"", "the doctor was rude", "thanks, lovely nurse", "opening hours?", "@x https://a.b 123 !!!"} {
		p1, p2 := m.Predict(text), m2.Predict(text)
		if !reflect.DeepEqual(p1, p2) {
			t.Errorf("Predict(%q): %+v before, %+v after", text, p1, p2)
		}
		f1, a1 := m.Explain(text, "complaint", 5)
		f2, a2 := m2.Explain(text, "complaint", 5)
		if !reflect.DeepEqual(f1, f2) || !reflect.DeepEqual(a1, a2) {
			t.Errorf("Explain(%q) differs after load", text)
		}
	}
	// Saving twice gives the same bytes.
	var again bytes.Buffer
	if err := m2.Save(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), buf.Bytes()) {
		t.Error("save after load is not byte-identical")
	}
}

// payload returns the uncompressed saved form of m.
func payload(t *testing.T, m *Model) []byte {
	var buf bytes.Buffer
	if err := m.writePayload(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func TestLoadRejects(t *testing.T) {
	m := trainOrFatal(t, synthetic(30, 5), testOptions())
	good := payload(t, m)

	wrongVersion := slices.Clone(good)
	binary.LittleEndian.PutUint32(wrongVersion[len(magic):], FormatVersion+1)

	badFeatures := bytes.Replace(good, []byte(FeatureVersion), []byte(strings.Repeat("x", len(FeatureVersion))), 1)

	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"not gzip", []byte("hello"), "not a saved model"},
		{"bad magic", gz([]byte("SOMETHING ELSE ENTIRELY\n\x01\x00\x00\x00")), "bad magic"},
		{"format version", gz(wrongVersion), "format version"},
		{"feature version", gz(badFeatures), "features"},
		{"truncated", gz(good[:len(good)-3]), "truncated"},
		{"trailing data", gz(append(slices.Clone(good), 0)), "trailing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(bytes.NewReader(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load: error %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := Load(bytes.NewReader(gz(good))); err != nil {
		t.Errorf("the untouched payload does not load: %v", err)
	}
}

func TestProbabilitiesSumToOne(t *testing.T) {
	m := trainOrFatal(t, synthetic(90, 6), testOptions())
	for _, text := range []string{"", "rude", "thank you", "?", strings.Repeat("waiting ", 500), "\U0001F621\U0001F621"} {
		p := m.Predict(text)
		var sum float64
		for l, v := range p.Probabilities {
			if v < 0 || v > 1 || math.IsNaN(v) {
				t.Errorf("Predict(%q): P(%s) = %v", text, l, v)
			}
			sum += v
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("Predict(%q): probabilities sum to %v", text, sum)
		}
		if len(p.Probabilities) != 3 || p.Confidence != p.Probabilities[p.Label] {
			t.Errorf("Predict(%q) = %+v", text, p)
		}
		for _, v := range p.Probabilities {
			if v > p.Confidence {
				t.Errorf("Predict(%q): label %s is not the most probable", text, p.Label)
			}
		}
	}
}

func TestExplain(t *testing.T) {
	m := trainOrFatal(t, synthetic(150, 7), testOptions())
	text := "The receptionist was rude and lost my blood results, but the nurse was lovely"
	words := strings.Fields(Normalize(text))
	inText := func(phrase string) bool {
		for _, w := range strings.Fields(strings.ReplaceAll(phrase, "not … ", "")) {
			if !slices.Contains(words, w) && !slices.Contains(words, "not_"+w) {
				return false
			}
		}
		return true
	}
	toward, against := m.Explain(text, "complaint", 4)
	if len(toward) == 0 || len(against) == 0 {
		t.Fatalf("toward %v against %v", toward, against)
	}
	if len(toward) > 4 || len(against) > 4 {
		t.Errorf("more than k contributions: %d, %d", len(toward), len(against))
	}
	for _, c := range append(slices.Clone(toward), against...) {
		if functionWords(c.Feature) {
			t.Errorf("function words reported: %q", c.Feature)
		}
	}
	for i, c := range toward {
		if c.Weight <= 0 || !inText(c.Feature) || (i > 0 && c.Weight > toward[i-1].Weight) {
			t.Errorf("toward[%d] = %+v", i, c)
		}
	}
	for i, c := range against {
		if c.Weight >= 0 || !inText(c.Feature) || (i > 0 && c.Weight < against[i-1].Weight) {
			t.Errorf("against[%d] = %+v", i, c)
		}
	}
	var towardWords []string
	for _, c := range toward {
		towardWords = append(towardWords, c.Feature)
	}
	joined := strings.Join(towardWords, " | ")
	if !strings.Contains(joined, "rude") && !strings.Contains(joined, "lost") && !strings.Contains(joined, "results") {
		t.Errorf("no complaint word among reasons: %s", joined)
	}
	// The contributions add up to the calibrated score difference.
	var sum float64
	_, weights := m.contributions(analyse(text, m.opts.features()), 0, new(scratch))
	for _, w := range weights {
		sum += w
	}
	s := m.rawScores(featurize(text, m.opts.features()))
	for k := range s {
		s[k] -= float64(m.bias[k]) // Explain leaves the bias out
	}
	want := (s[0] - (s[1]+s[2])/2) / m.cal.Temperature
	if math.Abs(sum-want) > 1e-4 {
		t.Errorf("contributions sum to %v, want %v", sum, want)
	}

	if f, a := m.Explain(text, "no such label", 3); f != nil || a != nil {
		t.Error("unknown label explained")
	}
	if f, a := m.Explain("", "complaint", 3); len(f)+len(a) != 0 {
		t.Error("empty text explained")
	}
	// Placeholders are named for a person.
	f, a := m.Explain("@someone https://x.y 42 a@b.com", "complaint", 10)
	for _, c := range append(f, a...) {
		if strings.ContainsAny(c.Feature, "<>") {
			t.Errorf("placeholder shown raw: %q", c.Feature)
		}
	}
}

func TestCrossValidate(t *testing.T) {
	ex := synthetic(60, 8)
	rep, err := CrossValidate(ex, 3, 1, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Examples != 60 || rep.Folds != 3 || len(rep.PerLabel) != 3 {
		t.Fatalf("report %+v", rep)
	}
	total := 0
	for _, row := range rep.Confusion {
		for _, c := range row {
			total += c
		}
	}
	if total != 60 {
		t.Errorf("confusion matrix counts %d examples", total)
	}
	for _, s := range rep.PerLabel {
		if s.Support != 20 {
			t.Errorf("%s support %d", s.Label, s.Support)
		}
		for _, v := range []float64{s.Precision, s.Recall, s.F1} {
			if v < 0 || v > 1 {
				t.Errorf("%s: figure %v out of range", s.Label, v)
			}
		}
	}
	if rep.MacroF1 < 0.8 || rep.Accuracy < 0.8 {
		t.Errorf("separable data: macro F1 %.3f, accuracy %.3f", rep.MacroF1, rep.Accuracy)
	}
	if rep.LogLoss <= 0 || rep.ECE < 0 || rep.ECE > 1 || rep.Brier < 0 || rep.Brier > 2 {
		t.Errorf("calibration figures: %+v", rep)
	}
	out := rep.String()
	for _, want := range []string{"precision", "complaint", "feedback", "other", "macro avg", "accuracy", "confusion"} {
		if !strings.Contains(out, want) {
			t.Errorf("report table lacks %q:\n%s", want, out)
		}
	}
	// Same inputs, same report, whatever the parallelism.
	o := testOptions()
	o.Workers = 1
	rep2, err := CrossValidate(ex, 3, 1, o)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep, rep2) {
		t.Error("report depends on Workers")
	}
}

func TestMakeReportFigures(t *testing.T) {
	// 4 examples of a, 2 of b. Predictions: a,a,a,b | b,a.
	y := []int{0, 0, 0, 0, 1, 1}
	p := func(a float64) []float64 { return []float64{a, 1 - a} }
	probs := [][]float64{p(0.9), p(0.8), p(0.7), p(0.4), p(0.2), p(0.6)}
	r := makeReport([]string{"a", "b"}, y, probs, 2)
	if !reflect.DeepEqual(r.Confusion, [][]int{{3, 1}, {1, 1}}) {
		t.Fatalf("confusion %v", r.Confusion)
	}
	near := func(got, want float64) bool { return math.Abs(got-want) < 1e-12 }
	// a: P=3/4 R=3/4 F1=.75; b: P=1/2 R=1/2 F1=.5.
	if !near(r.PerLabel[0].F1, 0.75) || !near(r.PerLabel[1].F1, 0.5) || !near(r.MacroF1, 0.625) || !near(r.Accuracy, 4.0/6) {
		t.Errorf("figures %+v", r)
	}
}

func TestCalibrationRecoversTemperature(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const T = 2.5
	offsets := []float64{0.3, -0.3}
	var scores [][]float64
	var y []int
	var w []float64
	for i := 0; i < 20000; i++ {
		s := []float64{rng.NormFloat64() * 4, rng.NormFloat64() * 4}
		p := []float64{s[0]/T + offsets[0], s[1]/T + offsets[1]}
		softmaxInPlace(p)
		label := 1
		if rng.Float64() < p[0] {
			label = 0
		}
		scores = append(scores, s)
		y = append(y, label)
		w = append(w, 1)
	}
	cal := fitCalibration(scores, y, w, 2)
	if math.Abs(cal.Temperature-T) > 0.15 {
		t.Errorf("temperature %v, want about %v", cal.Temperature, T)
	}
	if math.Abs(cal.Offsets[0]-offsets[0]) > 0.05 || math.Abs(cal.Offsets[0]+cal.Offsets[1]) > 1e-9 {
		t.Errorf("offsets %v, want about %v", cal.Offsets, offsets)
	}
}

func TestCalibrationOnSeparableData(t *testing.T) {
	// The held-out folds of this synthetic set are perfectly separable; the
	// smoothed targets must keep the temperature from collapsing.
	m := trainOrFatal(t, synthetic(60, 13), testOptions())
	c := m.Calibration()
	if c.Temperature < 0.3 || c.Temperature > 5 {
		t.Errorf("temperature %v", c.Temperature)
	}
	var sum float64
	for _, v := range c.Offsets {
		sum += v
	}
	if math.Abs(sum) > 1e-9 {
		t.Errorf("offsets %v do not sum to 0", c.Offsets)
	}
	if p := m.Predict(synthetic(60, 13)[0].Text); p.Confidence > 0.999 || p.Label != "complaint" {
		t.Errorf("overconfident or wrong on a training text: %+v", p)
	}
}

func TestTrainRejects(t *testing.T) {
	ex := synthetic(30, 9)
	bad := func(f func(*Options)) Options { o := testOptions(); f(&o); return o }
	tests := []struct {
		name string
		ex   []Example
		opts Options
		want string
	}{
		{"no examples", nil, testOptions(), "no examples"},
		{"one label", []Example{{Text: "a", Label: "x"}, {Text: "b", Label: "x"}}, testOptions(), "at least 2 labels"},
		{"zero options", ex, Options{}, "Buckets"},
		{"epochs", ex, bad(func(o *Options) { o.Epochs = 0 }), "Epochs"},
		{"learning rate", ex, bad(func(o *Options) { o.LearningRate = math.NaN() }), "LearningRate"},
		{"word ngrams", ex, bad(func(o *Options) { o.WordNgrams = 3 }), "WordNgrams"},
		{"char ngrams", ex, bad(func(o *Options) { o.CharMin = 5; o.CharMax = 3 }), "character"},
		{"negative weight", []Example{{Text: "a", Label: "x", Weight: -1}, {Text: "b", Label: "y"}}, testOptions(), "weight"},
		{"label outside fixed set", ex, bad(func(o *Options) { o.Labels = []string{"complaint", "feedback"} }), "not one of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Train(tt.ex, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := CrossValidate(ex, 1, 1, testOptions()); err == nil {
		t.Error("CrossValidate accepted 1 fold")
	}
}

func TestFixedLabelsAndWeights(t *testing.T) {
	// A label with no examples still gets a probability; weights count.
	ex := []Example{
		{Text: "rude receptionist", Label: "complaint", Weight: 2},
		{Text: "lost my results", Label: "complaint"},
		{Text: "lovely nurse", Label: "feedback"},
		{Text: "very kind doctor", Label: "feedback", Weight: 0.5},
	}
	o := testOptions()
	o.Labels = []string{"other", "feedback", "complaint"}
	m := trainOrFatal(t, ex, o)
	if got := m.Labels(); !slices.Equal(got, []string{"complaint", "feedback", "other"}) {
		t.Errorf("labels %v", got)
	}
	p := m.Predict("rude")
	if _, ok := p.Probabilities["other"]; !ok || p.Probabilities["other"] >= p.Probabilities["complaint"] {
		t.Errorf("got %+v", p)
	}
	// Too few examples per label for 5 calibration folds: uncalibrated.
	if c := m.Calibration(); c.Temperature != 1 {
		t.Errorf("calibration %+v on 4 examples", c)
	}
}

func TestOptionsString(t *testing.T) {
	s := DefaultOptions().String()
	for _, want := range []string{"word 1-2-grams", "char 1-4-grams", "262144 buckets", "calibrated"} {
		if !strings.Contains(s, want) {
			t.Errorf("%q lacks %q", s, want)
		}
	}
}

var sinkPrediction Prediction

func BenchmarkPredict(b *testing.B) {
	m := trainOrFatal(b, synthetic(150, 10), DefaultOptions())
	text := "The receptionist was rude and I waited 50 minutes past my appointment, nobody told me why. Not good enough!"
	b.ReportAllocs()
	for b.Loop() {
		sinkPrediction = m.Predict(text)
	}
}

func BenchmarkTrain(b *testing.B) {
	ex := synthetic(300, 11)
	o := DefaultOptions()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Train(ex, o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSave(b *testing.B) {
	m := trainOrFatal(b, synthetic(300, 12), DefaultOptions())
	for b.Loop() {
		if err := m.Save(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
