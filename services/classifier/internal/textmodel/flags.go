package textmodel

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/signpost/signpost/services/classifier/internal/corpus"
	"github.com/signpost/signpost/services/classifier/internal/model"
	"github.com/signpost/signpost/services/classifier/internal/routing"
	"github.com/signpost/signpost/shared/feedback"
)

//go:embed weights/flag-*.model
var flagWeights embed.FS

// Thresholds are the probabilities at which a flag model raises its flag. Safeguarding is low on
// purpose: a missed risk costs far more than a person reading one more alert.
var Thresholds = map[feedback.Flag]float64{
	feedback.StaffIdentified: 0.5,
	feedback.PatientInfo:     0.5,
	feedback.Abusive:         0.5,
	feedback.Defamatory:      0.5,
	feedback.Safeguarding:    0.2,
}

// Flags raises a flag when the rules find its words, or when the flag's model, trained on the
// team's corpus, finds the text likely enough to carry it; either way it says what set it off.
type Flags struct {
	rules   routing.FlagDetector
	models  map[feedback.Flag]*model.Model
	version string
}

// NewFlags combines rules with flag models (a flag without a model is left to the rules).
func NewFlags(rules routing.FlagDetector, models map[feedback.Flag]*model.Model) *Flags {
	h := sha256.New()
	for _, f := range feedback.Flags {
		if m, ok := models[f]; ok {
			h.Write([]byte(string(f) + "=" + m.Version() + ";"))
		}
	}
	return &Flags{rules: rules, models: maps.Clone(models), version: "flags-" + hex.EncodeToString(h.Sum(nil))[:12]}
}

// ShippedFlags loads the flag models that ship in the repository (make model rebuilds them).
func ShippedFlags(rules routing.FlagDetector) (*Flags, error) {
	shipped, err := shippedModels()
	if err != nil {
		return nil, err
	}
	models := map[feedback.Flag]*model.Model{}
	for i, f := range feedback.Flags {
		models[f] = shipped[1+i]
	}
	return NewFlags(rules, models), nil
}

// Version names the flag models: a hash of their versions, in flag order.
func (fl *Flags) Version() string { return fl.version }

// Detect implements routing.FlagDetector.
func (fl *Flags) Detect(text string, staff []string) []routing.FlagHit {
	return fl.DetectReading(nil, text, staff)
}

// DetectReading implements routing.ReadingDetector: the flag models score the text model's
// reading of the text where it has their feature options, and featurise the text once for all
// of them otherwise.
func (fl *Flags) DetectReading(r routing.Reading, text string, staff []string) []routing.FlagHit {
	hits := fl.rules.Detect(text, staff)
	if !hasWords(text) {
		return hits
	}
	v, read := r.(model.Vector)
	for _, f := range feedback.Flags {
		m, ok := fl.models[f]
		if !ok || slices.ContainsFunc(hits, func(h routing.FlagHit) bool { return h.Flag == f }) {
			continue
		}
		if !read {
			v, read = m.Vectorize(text), true
			defer v.Release() // its own reading, not the caller's
		}
		p := m.ProbabilityVector(v, text, flagYes)
		if p < Thresholds[f] {
			continue
		}
		pro, _ := m.ExplainVector(v, text, flagYes, 3)
		words := make([]string, len(pro))
		for i, c := range pro {
			words[i] = fmt.Sprintf("%q", c.Feature)
		}
		hits = append(hits, routing.FlagHit{Flag: f,
			Trigger: fmt.Sprintf("the %s model, %.0f%% sure, on %s", f, 100*p, strings.Join(words, ", "))})
	}
	return hits
}

const flagYes, flagNo = "yes", "no"

// TrainFlags trains one model per flag on the corpus: does the text carry the flag or not.
func TrainFlags(entries []corpus.Entry) (map[feedback.Flag]*model.Model, error) {
	out := map[feedback.Flag]*model.Model{}
	for _, f := range feedback.Flags {
		var ex []model.Example
		for _, e := range entries {
			if !hasWords(e.Text) {
				continue
			}
			label := flagNo
			if slices.Contains(e.Flags, f) {
				label = flagYes
			}
			ex = append(ex, model.Example{Text: e.Text, Label: label})
		}
		o := model.DefaultOptions()
		o.Labels = []string{flagNo, flagYes}
		m, err := model.Train(ex, o)
		if err != nil {
			return nil, fmt.Errorf("%s model: %w", f, err)
		}
		out[f] = m
	}
	return out, nil
}
