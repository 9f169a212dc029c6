package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/signpost/signpost/services/classifier/internal/model"
)

// Labels of the binary task `classify cv` judges.
const (
	cvComplaint    = "complaint"
	cvNotComplaint = "not_complaint"
)

// runCV implements `classify cv` (SPEC.md section 8): it reads JSON lines
// {"text", "complaint": true|false} (other fields are ignored, blank lines
// skipped), cross-validates the shipped model design (model.DefaultOptions)
// on them with the labels complaint / not_complaint, prints the report and
// ends with the line macro_f1=<number>.
func runCV(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("cv", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	folds := fs.Int("folds", 10, "number of stratified folds (at least 2)")
	seed := fs.Int64("seed", 1, "seed that deals the examples into folds")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "usage: classify cv [-folds N] [-seed S] < lines.jsonl")
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return nil
		}
		return fmt.Errorf("cv: %w", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("cv: unexpected argument %q (the data is read from standard input)", fs.Arg(0))
	}
	if *folds < 2 {
		return fmt.Errorf("cv: -folds must be at least 2, got %d", *folds)
	}
	examples, err := readCVLines(stdin)
	if err != nil {
		return fmt.Errorf("cv: %w", err)
	}
	var nComplaint int
	for _, ex := range examples {
		if ex.Label == cvComplaint {
			nComplaint++
		}
	}
	if nComplaint == 0 || nComplaint == len(examples) {
		return fmt.Errorf("cv: need both complaints and non-complaints, got %d of %d lines complaints", nComplaint, len(examples))
	}
	if len(examples) < *folds {
		return fmt.Errorf("cv: %d examples are too few for %d folds", len(examples), *folds)
	}

	opts := model.DefaultOptions()
	opts.Labels = []string{cvComplaint, cvNotComplaint}
	rep, err := model.CrossValidate(examples, *folds, *seed, opts)
	if err != nil {
		return fmt.Errorf("cv: %w", err)
	}
	fmt.Fprintf(stdout, "model design: %s\n", opts)
	fmt.Fprint(stdout, rep)
	fmt.Fprintf(stdout, "macro_f1=%.4f\n", rep.MacroF1)
	return nil
}

// readCVLines parses the JSON lines of `classify cv`. Each non-blank line
// must be an object with a string "text" and a boolean "complaint".
func readCVLines(r io.Reader) ([]model.Example, error) {
	br := bufio.NewReader(r)
	var out []model.Example
	for n := 1; ; n++ {
		line, err := br.ReadString('\n')
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("reading line %d: %w", n, err)
		}
		if s := strings.TrimSpace(line); s != "" {
			var row struct {
				Text      *string `json:"text"`
				Complaint *bool   `json:"complaint"`
			}
			if jerr := json.Unmarshal([]byte(s), &row); jerr != nil {
				return nil, fmt.Errorf("line %d: %w", n, jerr)
			}
			if row.Text == nil {
				return nil, fmt.Errorf("line %d: missing \"text\"", n)
			}
			if row.Complaint == nil {
				return nil, fmt.Errorf("line %d: missing \"complaint\" (true or false)", n)
			}
			label := cvNotComplaint
			if *row.Complaint {
				label = cvComplaint
			}
			out = append(out, model.Example{Text: *row.Text, Label: label})
		}
		if err == io.EOF {
			break
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no examples on standard input")
	}
	return out, nil
}
