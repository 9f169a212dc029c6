package textmodel_test

import (
	"os"
	"strings"
	"testing"

	"github.com/signpost/signpost/services/classifier/internal/corpus"
	"github.com/signpost/signpost/services/classifier/internal/routing"
	"github.com/signpost/signpost/services/classifier/internal/textmodel"
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
}
