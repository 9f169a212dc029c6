// Package model is Signpost's text classifier: a multinomial logistic
// regression (softmax) over hashed word n-grams (unigrams, bigrams) and
// character n-grams, with calibrated probabilities and per-feature
// explanations.
//
// Texts are normalised (see Normalize): lowercased, links, e-mail
// addresses, @handles and numbers replaced by placeholders, letters repeated three or more times
// squeezed, and words after a negation marked. Every feature is hashed
// (64-bit FNV-1a) into Options.Buckets buckets, so the model has a fixed
// size whatever the vocabulary. Training (Train) is deterministic: the
// same examples and Options give the same weights bit for bit, and the
// same Version (on one architecture; see Options.Seed).
//
// The design was chosen by 10-fold cross-validation on a public corpus of
// 3,449 complaint / non-complaint tweets (Preoţiuc-Pietro et al., 2019):
// macro-F1 0.818 with DefaultOptions (mean of three fold seeds), against
// about 0.775 published for bag-of-words logistic regression. Without
// character n-grams it falls to 0.787, without word bigrams to 0.809, with
// an AdaGrad step of 0.2 instead of 0.05 to 0.814. Calibration leaves
// macro-F1 about where it is (0.819 without) but takes the expected
// calibration error from 0.074 to 0.013 and the log loss from 0.405 to
// 0.374. See `classify cv`.
//
// Scoring is built for throughput without changing an answer: a text is featurised once into a
// Vector that every model with the same feature options can score and explain, and models can
// keep their weights side by side (ShareWeights) so that a text's features are looked up once for
// all of them. The tests hold the featurisation and explanations to the reference code they
// replaced, bit for bit.
package model

import (
	"strings"
	"sync"
)

// Model is a trained classifier. It is safe for concurrent use.
type Model struct {
	labels  []string
	opts    Options
	w       weightTable
	bias    []float32
	cal     Calibration
	version string
}

// Calibration maps raw scores s to probabilities softmax(s/Temperature +
// Offsets). It is fitted on held-out folds during training (see Train).
type Calibration struct {
	Temperature float64
	// Offsets has one value per label, in Labels order; they sum to 0.
	Offsets []float64
}

// Prediction is the model's verdict on one text.
type Prediction struct {
	// Label is the most probable label.
	Label string
	// Probabilities holds every label's calibrated probability; they sum
	// to 1.
	Probabilities map[string]float64
	// Confidence is Probabilities[Label].
	Confidence float64
}

// Contribution is how much one phrase of a text moves the score of a
// label, in calibrated log-odds units: positive pushes toward the label,
// negative against it.
type Contribution struct {
	// Feature is a word or two-word phrase of the text as the model sees
	// it (normalised: "not … helpful" for a negated word, "@mention",
	// "a link", "an e-mail address", "a number" for placeholders).
	Feature string
	Weight  float64
}

// Labels returns the model's labels, sorted.
func (m *Model) Labels() []string { return append([]string(nil), m.labels...) }

// Options returns the options the model was trained with (Workers is 0).
func (m *Model) Options() Options {
	o := m.opts
	o.Labels = m.Labels()
	return o
}

// Calibration returns the fitted calibration.
func (m *Model) Calibration() Calibration {
	c := m.cal
	c.Offsets = append([]float64(nil), c.Offsets...)
	return c
}

// Version is a stable content hash of the model: the first 12 hex digits
// of the SHA-256 of its serialised form (format version, options, labels,
// calibration and weights).
func (m *Model) Version() string { return m.version }

// rawScores is the linear score of every label for a feature vector.
func (m *Model) rawScores(x []feature) []float64 {
	L := len(m.labels)
	s := make([]float64, L)
	for k := range s {
		s[k] = float64(m.bias[k])
	}
	index, rows, stride, offset := m.w.index, m.w.rows, m.w.stride, m.w.offset
	switch L { // the same sums, with the labels' scores in registers for two or three labels
	case 2:
		s0, s1 := s[0], s[1]
		for _, f := range x {
			i := int(index[f.Bucket])*stride + offset
			row := rows[i : i+2 : i+2]
			v := float64(f.Value)
			s0 += v * float64(row[0])
			s1 += v * float64(row[1])
		}
		s[0], s[1] = s0, s1
	case 3:
		s0, s1, s2 := s[0], s[1], s[2]
		for _, f := range x {
			i := int(index[f.Bucket])*stride + offset
			row := rows[i : i+3 : i+3]
			v := float64(f.Value)
			s0 += v * float64(row[0])
			s1 += v * float64(row[1])
			s2 += v * float64(row[2])
		}
		s[0], s[1], s[2] = s0, s1, s2
	default:
		for _, f := range x {
			i := int(index[f.Bucket])*stride + offset
			row := rows[i : i+L : i+L]
			v := float64(f.Value)
			for k := range s {
				s[k] += v * float64(row[k])
			}
		}
	}
	return s
}

// probabilities turns raw scores into calibrated probabilities in place.
func (m *Model) probabilities(s []float64) []float64 {
	for k := range s {
		s[k] = s[k]/m.cal.Temperature + m.cal.Offsets[k]
	}
	softmaxInPlace(s)
	return s
}

func (m *Model) predictVector(x []feature) []float64 {
	return m.probabilities(m.rawScores(x))
}

// Predict classifies text.
func (m *Model) Predict(text string) Prediction {
	p := m.predictVector(featurize(text, m.opts.features()))
	return m.prediction(p)
}

func (m *Model) prediction(p []float64) Prediction {
	best := 0
	for k := range p {
		if p[k] > p[best] {
			best = k
		}
	}
	out := Prediction{
		Label:         m.labels[best],
		Probabilities: make(map[string]float64, len(p)),
		Confidence:    p[best],
	}
	for k, l := range m.labels {
		out.Probabilities[l] = p[k]
	}
	return out
}

var placeholderNames = strings.NewReplacer(tokURL, "a link", tokEmail, "an e-mail address", tokUser, "@mention", tokNum, "a number")

func displayPhrase(s string) string {
	if strings.IndexByte(s, '<') < 0 {
		return s // every placeholder starts with '<'
	}
	return placeholderNames.Replace(s)
}

// stopWords are function words that Explain does not report on their own.
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the i me my mine myself we us our you your he him his she her it its
		they them their this that these those is was were be been being am are do did does done have has had
		will would shall should can could may might must to of in on at for from by with about as into onto
		and or so if then than there it's i'm i've i'd i'll you're we're they're he's she's that's`) {
		stopWords[w] = true
	}
}

// functionWords reports whether every word of a displayed phrase is a
// function word.
func functionWords(phrase string) bool {
	phrase = strings.TrimPrefix(phrase, "not … ")
	for w := range strings.FieldsSeq(phrase) {
		if !stopWords[w] {
			return false
		}
	}
	return true
}

// Vector is a text as a model sees it. Featurised once, it can be scored and explained by every
// model trained with the same feature options (the text model and the flag models share them),
// saving the work per model. It is read only, so goroutines may share it.
type Vector struct {
	tf *textFeatures
}

// Vectorize featurises text for this model and any model with the same feature options.
func (m *Model) Vectorize(text string) Vector {
	tf := readings.Get().(*textFeatures)
	tf.read(text, m.opts.features())
	return Vector{tf: tf}
}

// Release hands the vector's memory back for the next text Vectorize reads, so that featurising
// a stream of texts allocates next to nothing. Neither the vector nor any copy of it may be used
// after; what was made from it (predictions, explanations) owns its memory and stays valid.
func (v Vector) Release() {
	if v.tf != nil && cap(v.tf.occ) <= maxPooledOccurrences {
		readings.Put(v.tf)
	}
}

// readings holds featurised texts' memory for Vectorize to reuse.
var readings = sync.Pool{New: func() any { return new(textFeatures) }}

// maxPooledOccurrences bounds the memory a released vector may keep for reuse: one of a very
// long text is left to the collector instead.
const maxPooledOccurrences = 1 << 14

// features is the vector's features if it was made with this model's feature options, or else
// text featurised again, so that every answer is the one the text alone gives.
func (m *Model) features(v Vector, text string) *textFeatures {
	if cfg := m.opts.features(); v.tf == nil || v.tf.cfg != cfg {
		return analyse(text, cfg)
	}
	return v.tf
}

// PredictVector classifies a vectorised text: what Predict(text) says.
func (m *Model) PredictVector(v Vector, text string) Prediction {
	return m.prediction(m.predictVector(m.features(v, text).x))
}

// ProbabilityVector is the probability PredictVector gives label (0 for a label the model does
// not have).
func (m *Model) ProbabilityVector(v Vector, text, label string) float64 {
	p := m.predictVector(m.features(v, text).x)
	for k, l := range m.labels {
		if l == label {
			return p[k]
		}
	}
	return 0
}

// ExplainVector explains a vectorised text: what Explain(text, label, k) says.
func (m *Model) ExplainVector(v Vector, text, label string, k int) (toward, against []Contribution) {
	return m.explain(m.features(v, text), label, k)
}
