// Package textmodel is the shipped text classifier: the trained model (internal/model) with its
// weights embedded in the binary, answering complaint, feedback or other with a calibrated
// probability and the words that weighed most for and against a complaint.
package textmodel

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"github.com/signpost/signpost/services/classifier/internal/model"
	"github.com/signpost/signpost/services/classifier/internal/routing"
	"github.com/signpost/signpost/shared/feedback"
)

//go:embed weights/signpost.model
var shipped []byte

// Shipped loads the model that ships in the repository (make model rebuilds it).
func Shipped() (*Classifier, error) {
	models, err := shippedModels()
	if err != nil {
		return nil, err
	}
	return New(models[0])
}

// shippedModels are the shipped text model and flag models (in feedback.Flags order), decoded
// from the embedded weights once per process, and read only from then on. Their weights are
// stored side by side (model.ShareWeights): scoring a text with all six then reads each of its
// features' weights once, not six times.
var shippedModels = sync.OnceValues(func() ([]*model.Model, error) {
	text, err := model.Load(bytes.NewReader(shipped))
	if err != nil {
		return nil, fmt.Errorf("shipped model: %w", err)
	}
	models := []*model.Model{text}
	for _, f := range feedback.Flags {
		raw, err := flagWeights.ReadFile("weights/flag-" + string(f) + ".model")
		if err != nil {
			return nil, fmt.Errorf("shipped %s model: %w", f, err)
		}
		m, err := model.Load(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("shipped %s model: %w", f, err)
		}
		models = append(models, m)
	}
	return model.ShareWeights(models...)
})

var (
	_ routing.ReadingClassifier = (*Classifier)(nil)
	_ routing.ReadingDetector   = (*Flags)(nil)
)

// Classifier implements routing.TextClassifier over a trained model.
type Classifier struct {
	m       *model.Model
	version string
}

// New wraps a trained model whose labels are the routing kinds.
func New(m *model.Model) (*Classifier, error) {
	want := []string{string(routing.KindComplaint), string(routing.KindFeedback), string(routing.KindOther)}
	if got := m.Labels(); strings.Join(got, ",") != strings.Join(want, ",") {
		return nil, fmt.Errorf("model labels %v, want %v", got, want)
	}
	return &Classifier{m: m, version: "model-" + m.Version()}, nil
}

// Version is the model's content hash.
func (c *Classifier) Version() string { return c.version }

// Classify says what the text is. A rating with no text is feedback, never a complaint: there is
// nothing in it that reports a failure.
func (c *Classifier) Classify(text, rating string) routing.TextVerdict {
	r := c.Read(text)
	defer routing.Release(r)
	return c.ClassifyReading(r, text, rating)
}

// Read featurises the text once, for ClassifyReading and the flag models' DetectReading (they
// share the text model's feature options); a text with nothing in it needs no reading (nil).
func (c *Classifier) Read(text string) routing.Reading {
	if blank(text) {
		return nil
	}
	return c.m.Vectorize(text)
}

// blank reports whether the text has nothing in it but spaces, dots, dashes and new lines.
func blank(text string) bool {
	return strings.TrimFunc(text, func(r rune) bool { return r == ' ' || r == '.' || r == '-' || r == '\n' }) == ""
}

// ClassifyReading says what Classify says, from the text's reading (see Read).
func (c *Classifier) ClassifyReading(r routing.Reading, text, rating string) routing.TextVerdict {
	v := routing.TextVerdict{ModelVersion: c.Version()}
	if blank(text) {
		if rating != "" {
			v.Kind, v.Confidence, v.Evidence = routing.KindFeedback, 1, []string{"a rating with no text"}
		} else {
			v.Kind, v.Confidence, v.Evidence = routing.KindOther, 1, []string{"no text"}
		}
		return v
	}
	vec, _ := r.(model.Vector) // the model featurises the text again unless vec is its reading
	p := c.m.PredictVector(vec, text)
	v.Kind, v.Confidence = routing.Kind(p.Label), p.Confidence
	v.Evidence = append(v.Evidence, fmt.Sprintf("complaint %.0f%%, feedback %.0f%%, other %.0f%%",
		100*p.Probabilities[string(routing.KindComplaint)], 100*p.Probabilities[string(routing.KindFeedback)],
		100*p.Probabilities[string(routing.KindOther)]))
	pro, con := c.m.ExplainVector(vec, text, string(routing.KindComplaint), 3)
	if s := phrases(pro); s != "" {
		v.Evidence = append(v.Evidence, "for a complaint: "+s)
	}
	if s := phrases(con); s != "" {
		v.Evidence = append(v.Evidence, "against: "+s)
	}
	return v
}

func phrases(cs []model.Contribution) string {
	q := make([]string, 0, len(cs))
	for _, c := range cs {
		q = append(q, fmt.Sprintf("%q", c.Feature))
	}
	return strings.Join(q, ", ")
}
