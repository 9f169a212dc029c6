package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/signpost/signpost/services/classifier/internal/corpus"
	"github.com/signpost/signpost/services/classifier/internal/textmodel"
)

const (
	defaultCorpus  = "services/classifier/corpus/gp-feedback.jsonl"
	defaultWeights = "services/classifier/internal/textmodel/weights/signpost.model"
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
	m, err := textmodel.Train(entries)
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
		m.Version(), len(textmodel.Examples(entries)), time.Since(start).Round(time.Millisecond), *out, info.Size())
	return nil
}
