package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/signpost/signpost/services/classifier/internal/model"
)

func TestClassifyWritesOneDecisionPerLine(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"1","practice":"trent-meadows-medical-practice","channel":"facebook_comment","text":"Waited 50 minutes past my appointment and the receptionist was rude when I asked why"}`,
		`{"id":"2","practice":"charlton-medical-centre","channel":"website_review","text":"Thank you to the whole team, always kind and helpful","rating":"5"}`,
		`{"id":"3","practice":"charlton-medical-centre","channel":"google_review","text":"Thank you to the whole team, always kind and helpful","rating":"5"}`,
		`{"id":"4","practice":"stretton-medical-centre","channel":"google_review","text":"","rating":"1"}`,
		`{"id":"5","practice":"charlton-medical-centre","channel":"complaint_form","text":"My referral was never sent"}`,
		``,
		`{"id":"6","practice":"stretton-medical-centre","channel":"facebook_post","text":"Is the flu clinic on this Saturday?"}`,
	}, "\n")
	var out strings.Builder
	if err := run(context.Background(), nil, strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"1": "complaint", "2": "official_review", "3": "unofficial_review", "4": "official_review",
		"5": "complaint", "6": "other"}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(want) {
		t.Fatalf("%d lines for %d inputs:\n%s", len(lines), len(want), out.String())
	}
	for _, line := range lines {
		var d map[string]any
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatal(err)
		}
		for _, field := range []string{"id", "route", "flags", "confidence", "needs_review", "reasons"} {
			if _, ok := d[field]; !ok {
				t.Errorf("line %s lacks %q", line, field)
			}
		}
		id := d["id"].(string)
		if d["route"] != want[id] {
			t.Errorf("item %s: route %v, want %s (reasons %v)", id, d["route"], want[id], d["reasons"])
		}
		if id == "1" && !slices.Contains(d["flags"].([]any), any("staff_identified")) {
			t.Errorf("item 1 names the receptionist: flags %v", d["flags"])
		}
	}
}

func TestClassifyAnswersABadLineAndFails(t *testing.T) {
	in := `{"id":"x","practice":"nowhere","channel":"google_review","text":"hi"}` + "\n" + `not json` + "\n" +
		`{"id":"y","practice":"charlton-medical-centre","channel":"website_review","text":"Lovely"}`
	var out strings.Builder
	err := run(context.Background(), nil, strings.NewReader(in), &out)
	if err == nil || !strings.Contains(err.Error(), "2 line(s)") {
		t.Errorf("error %v, want one naming 2 lines", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "unknown practice") || !strings.Contains(lines[1], "line 2") ||
		!strings.Contains(lines[2], `"route":"official_review"`) {
		t.Errorf("output:\n%s", out.String())
	}
}

// smallCorpus writes a corpus of clear examples of each kind.
func smallCorpus(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "corpus.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range 12 {
		fmt.Fprintf(w, `{"id":"c%d","practice":"charlton-medical-centre","channel":"facebook_comment","text":"waited %d hours and nobody called me back, rude receptionist","route":"complaint","flags":["staff_identified"]}`+"\n", i, i+2)
		fmt.Fprintf(w, `{"id":"r%d","practice":"charlton-medical-centre","channel":"website_review","text":"lovely kind team, thank you number %d","route":"official_review","flags":[]}`+"\n", i, i)
		fmt.Fprintf(w, `{"id":"o%d","practice":"stretton-medical-centre","channel":"facebook_post","text":"what time does the clinic open on day %d?","route":"other","flags":[]}`+"\n", i, i)
	}
	w.Flush()
	f.Close()
	return path
}

func TestTrainWritesALoadableModelAndEvalReportsEveryFigure(t *testing.T) {
	corpus := smallCorpus(t)
	out := t.TempDir()
	var buf strings.Builder
	if err := run(context.Background(), []string{"train", "-corpus", corpus, "-out", out}, nil, &buf); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "flag-safeguarding.model")); err != nil {
		t.Errorf("no safeguarding model written: %v", err)
	}
	f, err := os.Open(filepath.Join(out, "signpost.model"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := model.Load(f)
	if err != nil {
		t.Fatal(err)
	}
	if p := m.Predict("nobody called me back and the receptionist was rude"); p.Label != "complaint" {
		t.Errorf("trained model says %s", p.Label)
	}
	buf.Reset()
	if err := run(context.Background(), []string{"eval", "-corpus", corpus, "-folds", "3"}, nil, &buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"complaint      precision=", "route          accuracy=", "calibration", "safeguarding", "rules-1"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("eval output lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestUnknownCommandIsRefused(t *testing.T) {
	if err := run(context.Background(), []string{"frobnicate"}, nil, &strings.Builder{}); err == nil {
		t.Error("an unknown command must fail")
	}
}
