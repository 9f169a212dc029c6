package corpus_test

import (
	"os"
	"strings"
	"testing"

	"github.com/signpost/signpost/services/classifier/internal/corpus"
	"github.com/signpost/signpost/services/classifier/internal/routing"
	"github.com/signpost/signpost/shared/feedback"
)

func TestTheTeamCorpusIsWellFormed(t *testing.T) {
	f, err := os.Open("../../corpus/gp-feedback.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entries, err := corpus.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 800 {
		t.Errorf("%d entries, the classifier issue asks for at least 800", len(entries))
	}
	channels, practices, ids := map[feedback.Channel]int{}, map[string]int{}, map[string]bool{}
	for _, e := range entries {
		channels[e.Channel]++
		practices[e.Practice]++
		if ids[e.ID] {
			t.Errorf("duplicate id %s", e.ID)
		}
		ids[e.ID] = true
		if e.Channel == feedback.ComplaintForm && e.Route != feedback.Complaint {
			t.Errorf("%s: everything from the complaint form is a complaint", e.ID)
		}
	}
	if len(channels) != len(feedback.Channels) || len(practices) != 3 {
		t.Errorf("corpus covers %d channels and %d practices", len(channels), len(practices))
	}
}

func TestBadLinesAreNamed(t *testing.T) {
	for _, in := range []string{
		`{"id":"1","practice":"p","channel":"website_review","text":"x","route":"official_review","flags":[]}` + "\n" + `{`,
		"\n" + `{"id":"1","practice":"p","channel":"fax","text":"x","route":"other","flags":[]}`,
		`{"id":"1","practice":"p","channel":"website_review","text":"x","route":"praise","flags":[]}` + "\n",
	} {
		if _, err := corpus.Read(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), "line 2") && !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%q: error %v should name the line", in, err)
		}
	}
	e := corpus.Entry{Route: feedback.UnofficialReview}
	if e.Kind() != routing.KindFeedback {
		t.Error("an unofficial review is feedback to the text model")
	}
}
