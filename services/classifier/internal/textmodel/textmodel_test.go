package textmodel_test

import (
	"strings"
	"testing"

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
