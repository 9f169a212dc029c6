package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/signpost/signpost/services/classifier/internal/corpus"
	"github.com/signpost/signpost/services/classifier/internal/model"
	"github.com/signpost/signpost/services/classifier/internal/routing"
)

const (
	defaultCorpus  = "services/classifier/corpus/gp-feedback.jsonl"
	defaultWeights = "services/classifier/internal/textmodel/weights/signpost.model"
)

// kinds are the text model's labels, in the order the model sorts them.
var kinds = []string{string(routing.KindComplaint), string(routing.KindFeedback), string(routing.KindOther)}

// examples turns corpus entries into training examples. Items without words are left out: the
// classifier decides those without the model (a bare rating is feedback).
func examples(entries []corpus.Entry) []model.Example {
	var out []model.Example
	for _, e := range entries {
		if hasWords(e.Text) {
			out = append(out, model.Example{Text: e.Text, Label: string(e.Kind())})
		}
	}
	return out
}

func hasWords(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' }) >= 0
}

func trainOptions() model.Options {
	o := model.DefaultOptions()
	o.Labels = kinds
	return o
}

func loadCorpus(path string) ([]corpus.Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w (run from the repository root, or pass -corpus)", err)
	}
	defer f.Close()
	entries, err := corpus.Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return entries, nil
}

// runTrain trains the shipped model from the team's corpus and writes its weights.
func runTrain(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	corpusPath := fs.String("corpus", defaultCorpus, "labelled corpus (JSON lines)")
	out := fs.String("out", defaultWeights, "where to write the model")
	if err := fs.Parse(args); err != nil {
		return err
	}
	entries, err := loadCorpus(*corpusPath)
	if err != nil {
		return err
	}
	start := time.Now()
	m, err := model.Train(examples(entries), trainOptions())
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	if err := m.Save(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	info, _ := os.Stat(*out)
	fmt.Fprintf(stdout, "trained model %s on %d examples in %s; wrote %s (%d bytes)\n",
		m.Version(), len(examples(entries)), time.Since(start).Round(time.Millisecond), *out, info.Size())
	return nil
}
