package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/signpost/signpost/services/classifier/internal/corpus"
	"github.com/signpost/signpost/services/classifier/internal/model"
	"github.com/signpost/signpost/services/classifier/internal/textmodel"
	"github.com/signpost/signpost/shared/feedback"
)

const (
	defaultCorpus  = "services/classifier/corpus/gp-feedback.jsonl"
	defaultWeights = "services/classifier/internal/textmodel/weights"
)

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

// runTrain trains the shipped models from the team's corpus and writes their weights: the text
// model (signpost.model) and one model per flag (flag-<flag>.model).
func runTrain(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	corpusPath := fs.String("corpus", defaultCorpus, "labelled corpus (JSON lines)")
	out := fs.String("out", defaultWeights, "directory to write the models to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	entries, err := loadCorpus(*corpusPath)
	if err != nil {
		return err
	}
	start := time.Now()
	text, err := textmodel.Train(entries)
	if err != nil {
		return err
	}
	flags, err := textmodel.TrainFlags(entries)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if err := save(stdout, text, filepath.Join(*out, "signpost.model")); err != nil {
		return err
	}
	for _, f := range feedback.Flags {
		if err := save(stdout, flags[f], filepath.Join(*out, "flag-"+string(f)+".model")); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "trained on %d examples in %s\n", len(textmodel.Examples(entries)), time.Since(start).Round(time.Millisecond))
	return nil
}

func save(stdout io.Writer, m *model.Model, path string) error {
	f, err := os.Create(path)
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
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "model %s -> %s (%d bytes)\n", m.Version(), path, info.Size())
	return nil
}
