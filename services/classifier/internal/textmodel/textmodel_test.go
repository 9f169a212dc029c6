package textmodel_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/signpost/signpost/services/classifier/internal/corpus"
	"github.com/signpost/signpost/services/classifier/internal/routing"
	"github.com/signpost/signpost/services/classifier/internal/textmodel"
	"github.com/signpost/signpost/shared/feedback"
)

func TestShippedModelLoadsAndExplainsItself(t *testing.T) {
	c, err := textmodel.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.Version(), "model-") || len(c.Version()) < 12 {
		t.Errorf("version %q", c.Version())
	}
	v := c.Classify("The receptionist hung up on me twice and I still have no appointment", "")
	if v.Kind != routing.KindComplaint || v.Confidence < 0.5 || v.ModelVersion != c.Version() {
		t.Errorf("verdict %+v", v)
	}
	if !strings.Contains(strings.Join(v.Evidence, " "), "for a complaint") {
		t.Errorf("evidence does not name the words for a complaint: %v", v.Evidence)
	}
	if v := c.Classify(" . ", "1"); v.Kind != routing.KindFeedback {
		t.Errorf("a bare one-star rating must be feedback, got %s", v.Kind)
	}
}

// The shipped weights must be what `make model` makes from the corpus with the code as it is:
// a change to the features, the options or the corpus without retraining fails here.
func TestShippedModelIsReproducibleFromTheCorpus(t *testing.T) {
	f, err := os.Open("../../corpus/gp-feedback.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entries, err := corpus.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	m, err := textmodel.Train(entries)
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := textmodel.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	if got := "model-" + m.Version(); got != shipped.Version() {
		t.Errorf("training from the corpus gives %s but %s ships: run `make model` and commit the weights", got, shipped.Version())
	}
	flags, err := textmodel.TrainFlags(entries)
	if err != nil {
		t.Fatal(err)
	}
	for f, m := range flags {
		raw, err := os.ReadFile("weights/flag-" + string(f) + ".model")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := m.Save(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), raw) {
			t.Errorf("the shipped %s model differs from one trained on the corpus: run `make model`", f)
		}
	}
}

func TestFlagModelsAddWhatTheRulesMiss(t *testing.T) {
	flags, err := textmodel.ShippedFlags(noRules{})
	if err != nil {
		t.Fatal(err)
	}
	hits := flags.Detect("I keep thinking everyone would be better off without me and I can't see a way out", nil)
	if len(hits) == 0 || hits[0].Flag != feedback.Safeguarding || !strings.Contains(hits[0].Trigger, "model") {
		t.Errorf("the safeguarding model did not raise the flag: %+v", hits)
	}
	if hits := flags.Detect("Lovely surgery, the flu clinic ran on time", nil); len(hits) != 0 {
		t.Errorf("flags on a plain compliment: %+v", hits)
	}
}

type noRules struct{}

func (noRules) Detect(string, []string) []routing.FlagHit { return nil }
