// Package textmodel is the shipped text classifier: the trained model (internal/model) with its
// weights embedded in the binary, answering complaint, feedback or other with a calibrated
// probability and the words that weighed most for and against a complaint.
package textmodel

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"

	"github.com/signpost/signpost/services/classifier/internal/model"
	"github.com/signpost/signpost/services/classifier/internal/routing"
)

//go:embed weights/signpost.model
var shipped []byte

// Shipped loads the model that ships in the repository (make model rebuilds it).
func Shipped() (*Classifier, error) {
	m, err := model.Load(bytes.NewReader(shipped))
	if err != nil {
		return nil, fmt.Errorf("shipped model: %w", err)
	}
	return New(m)
}

// Classifier implements routing.TextClassifier over a trained model.
type Classifier struct {
	m *model.Model
}

// New wraps a trained model whose labels are the routing kinds.
func New(m *model.Model) (*Classifier, error) {
	want := []string{string(routing.KindComplaint), string(routing.KindFeedback), string(routing.KindOther)}
	if got := m.Labels(); strings.Join(got, ",") != strings.Join(want, ",") {
		return nil, fmt.Errorf("model labels %v, want %v", got, want)
	}
	return &Classifier{m: m}, nil
}

// Version is the model's content hash.
func (c *Classifier) Version() string { return "model-" + c.m.Version() }

// Classify says what the text is. A rating with no text is feedback, never a complaint: there is
// nothing in it that reports a failure.
func (c *Classifier) Classify(text, rating string) routing.TextVerdict {
	v := routing.TextVerdict{ModelVersion: c.Version()}
	if strings.TrimFunc(text, func(r rune) bool { return r == ' ' || r == '.' || r == '-' || r == '\n' }) == "" {
		if rating != "" {
			v.Kind, v.Confidence, v.Evidence = routing.KindFeedback, 1, []string{"a rating with no text"}
		} else {
			v.Kind, v.Confidence, v.Evidence = routing.KindOther, 1, []string{"no text"}
		}
		return v
	}
	p := c.m.Predict(text)
	v.Kind, v.Confidence = routing.Kind(p.Label), p.Confidence
	v.Evidence = append(v.Evidence, fmt.Sprintf("complaint %.0f%%, feedback %.0f%%, other %.0f%%",
		100*p.Probabilities[string(routing.KindComplaint)], 100*p.Probabilities[string(routing.KindFeedback)],
		100*p.Probabilities[string(routing.KindOther)]))
	pro, con := c.m.Explain(text, string(routing.KindComplaint), 3)
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
