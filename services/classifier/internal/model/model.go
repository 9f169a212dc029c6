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
package model

import (
	"math"
	"sort"
	"strings"
)

// Model is a trained classifier. It is safe for concurrent use.
type Model struct {
	labels  []string
	opts    Options
	weights []float32 // Buckets rows of len(labels) weights
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
	for _, f := range x {
		row := m.weights[int(f.Bucket)*L : int(f.Bucket)*L+L]
		v := float64(f.Value)
		for k := range s {
			s[k] += v * float64(row[k])
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

// Explain returns the phrases of text that push most toward label (toward,
// strongest first, all with Weight > 0) and most against it (against,
// strongest first, all with Weight < 0), at most k of each.
//
// Each feature's contribution is its value times the difference between
// its weight for label and the mean of its weights for the other labels,
// divided by the calibration temperature; for two labels that is exactly
// its share of the calibrated log-odds. A word's unigram and the character
// n-grams taken from it are reported together as that word; a bigram is
// reported as its two words. A character n-gram shared by several words of
// the text is shared equally among them. Phrases made only of function
// words ("the", "i", "was", "to me") are not reported: they weigh in the
// score but mean nothing to a reader. An unknown label or k <= 0 gives
// nothing.
func (m *Model) Explain(text, label string, k int) (toward, against []Contribution) {
	li := sort.SearchStrings(m.labels, label)
	if li >= len(m.labels) || m.labels[li] != label || k <= 0 {
		return nil, nil
	}
	byOwner := m.contributions(text, li)
	all := make([]Contribution, 0, len(byOwner))
	for name, w := range byOwner {
		if w != 0 && !math.IsNaN(w) && !functionWords(name) {
			all = append(all, Contribution{Feature: name, Weight: w})
		}
	}
	sort.Slice(all, func(a, b int) bool {
		if all[a].Weight != all[b].Weight {
			return all[a].Weight > all[b].Weight
		}
		return all[a].Feature < all[b].Feature
	})
	for _, c := range all {
		if c.Weight > 0 && len(toward) < k {
			toward = append(toward, c)
		}
	}
	for i := len(all) - 1; i >= 0 && len(against) < k; i-- {
		if all[i].Weight < 0 {
			against = append(against, all[i])
		}
	}
	return toward, against
}

// contributions is every phrase's contribution to label li's score
// (without the bias), as Explain defines it.
func (m *Model) contributions(text string, li int) map[string]float64 {
	L := len(m.labels)
	cfg := m.opts.features()
	raw := rawFeatures(text, cfg, true)
	vWord, vChar := groupValues(raw, cfg)
	byOwner := map[string]float64{}
	for i := 0; i < len(raw); {
		j := i + 1
		for j < len(raw) && raw[j].Hash == raw[i].Hash {
			j++
		}
		v := vWord
		if raw[i].Group == groupChar {
			v = vChar
		}
		b := int(cfg.bucket(raw[i].Hash))
		row := m.weights[b*L : b*L+L]
		var others float64
		for k, w := range row {
			if k != li {
				others += float64(w)
			}
		}
		d := float64(v) * (float64(row[li]) - others/float64(L-1)) / m.cal.Temperature
		// A feature that occurs several times (a character n-gram shared
		// by several words) is shared equally among its occurrences.
		share := d / float64(j-i)
		for t := i; t < j; t++ {
			byOwner[displayPhrase(raw[t].Owner)] += share
		}
		i = j
	}
	return byOwner
}

var placeholderNames = strings.NewReplacer(tokURL, "a link", tokEmail, "an e-mail address", tokUser, "@mention", tokNum, "a number")

func displayPhrase(s string) string { return placeholderNames.Replace(s) }

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
	for _, w := range strings.Fields(phrase) {
		if !stopWords[w] {
			return false
		}
	}
	return true
}

// Vector is a text as a model sees it. Featurised once, it can be scored by every model trained
// with the same feature options (the flag models share one), saving the work per model.
type Vector struct {
	cfg featureConfig
	x   []feature
}

// Vectorize featurises text for this model and any model with the same feature options.
func (m *Model) Vectorize(text string) Vector {
	cfg := m.opts.features()
	return Vector{cfg: cfg, x: featurize(text, cfg)}
}

// PredictVector classifies a vectorised text. A vector made with other feature options is made
// again from text, so the answer is always the one Predict gives.
func (m *Model) PredictVector(v Vector, text string) Prediction {
	if cfg := m.opts.features(); v.cfg != cfg {
		v = Vector{cfg: cfg, x: featurize(text, cfg)}
	}
	return m.prediction(m.predictVector(v.x))
}
