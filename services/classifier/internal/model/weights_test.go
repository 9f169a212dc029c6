package model

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// Models whose weights are stored side by side answer, save and name themselves exactly as they
// did alone.
func TestSharedWeightsChangeNothing(t *testing.T) {
	alone := []*Model{shippedForTest(t, "signpost"), shippedForTest(t, "flag-abusive"), shippedForTest(t, "flag-safeguarding")}
	shared, err := ShareWeights(alone...)
	if err != nil {
		t.Fatal(err)
	}
	if shared[0].w.stride != 16 || &shared[0].w.rows[0] != &shared[2].w.rows[0] {
		t.Fatalf("the weights are not stored side by side: stride %d", shared[0].w.stride)
	}
	texts := referenceTexts(t)
	for i, m := range alone {
		s := shared[i]
		if s.Version() != m.Version() {
			t.Errorf("model %d: version %s shared, %s alone", i, s.Version(), m.Version())
		}
		var a, b bytes.Buffer
		if err := m.Save(&a); err != nil {
			t.Fatal(err)
		}
		if err := s.Save(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("model %d saves differently once shared", i)
		}
		for _, text := range texts[:200] {
			if got, want := s.Predict(text), m.Predict(text); !reflect.DeepEqual(got, want) {
				t.Fatalf("model %d, %q: %+v shared, %+v alone", i, text, got, want)
			}
			gt, ga := s.Explain(text, m.labels[1], 3)
			wt, wa := m.Explain(text, m.labels[1], 3)
			if !reflect.DeepEqual(gt, wt) || !reflect.DeepEqual(ga, wa) {
				t.Fatalf("model %d, %q: explained differently once shared", i, text)
			}
		}
	}
	o := testOptions()
	o.Buckets = 1 << 10
	small := trainOrFatal(t, synthetic(30, 3), o)
	if _, err := ShareWeights(alone[0], small); err == nil || !strings.Contains(err.Error(), "buckets") {
		t.Errorf("sharing models with different buckets: %v", err)
	}
}
