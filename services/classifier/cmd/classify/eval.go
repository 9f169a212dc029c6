package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand"
	"slices"
	"time"

	"github.com/signpost/signpost/services/classifier/internal/corpus"
	"github.com/signpost/signpost/services/classifier/internal/routing"
	"github.com/signpost/signpost/services/classifier/internal/textmodel"
	"github.com/signpost/signpost/services/classifier/internal/textrules"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/policy"
)

// runEval cross-validates the whole decision (model, flags and policy) on the team's corpus: the
// model of each fold is trained on the other folds only.
func runEval(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	corpusPath := fs.String("corpus", defaultCorpus, "labelled corpus (JSON lines)")
	folds := fs.Int("folds", 10, "number of folds")
	testPath := fs.String("test", "", "held-out file: train on the whole corpus and test on this instead of cross-validating")
	seed := fs.Int64("seed", 1, "shuffle seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *folds < 2 {
		return fmt.Errorf("-folds must be at least 2")
	}
	entries, err := loadCorpus(*corpusPath)
	if err != nil {
		return err
	}
	policies, err := policy.Load(policy.Examples())
	if err != nil {
		return err
	}
	start := time.Now()
	if *testPath != "" {
		return heldOut(stdout, entries, *corpusPath, *testPath, policies, start)
	}
	fold := assignFolds(entries, *folds, *seed)
	modelDecisions := make([]feedback.Decision, len(entries))
	for k := range *folds {
		var train []corpus.Entry
		for i, e := range entries {
			if fold[i] != k {
				train = append(train, e)
			}
		}
		engine, err := trainedEngine(train)
		if err != nil {
			return fmt.Errorf("fold %d: %w", k, err)
		}
		for i, e := range entries {
			if fold[i] == k {
				modelDecisions[i] = decideEntry(engine, policies, e)
			}
		}
	}
	rules := routing.Engine{Text: textrules.Rules{}, Flags: textrules.Flags{}}
	ruleDecisions := make([]feedback.Decision, len(entries))
	for i, e := range entries {
		ruleDecisions[i] = decideEntry(rules, policies, e)
	}
	fmt.Fprintf(stdout, "corpus %s: %d items, %d-fold cross-validation (seed %d), %s\n\n",
		*corpusPath, len(entries), *folds, *seed, time.Since(start).Round(time.Millisecond))
	fmt.Fprintln(stdout, "model (shipped design, trained per fold):")
	report(stdout, entries, modelDecisions)
	fmt.Fprintln(stdout, "\nrules-1 (the foundation's rules for text and flags, for comparison):")
	report(stdout, entries, ruleDecisions)
	return nil
}

// heldOut trains on the whole corpus and scores a set written apart from it.
func heldOut(stdout io.Writer, train []corpus.Entry, trainPath, testPath string, policies *policy.Set, start time.Time) error {
	test, err := loadCorpus(testPath)
	if err != nil {
		return err
	}
	engine, err := trainedEngine(train)
	if err != nil {
		return err
	}
	ds := make([]feedback.Decision, len(test))
	for i, e := range test {
		ds[i] = decideEntry(engine, policies, e)
	}
	fmt.Fprintf(stdout, "trained on %s (%d items), tested on %s (%d items), %s\n\n",
		trainPath, len(train), testPath, len(test), time.Since(start).Round(time.Millisecond))
	report(stdout, test, ds)
	return nil
}

// trainedEngine is the shipped engine's design, trained on the entries.
func trainedEngine(train []corpus.Entry) (routing.Engine, error) {
	m, err := textmodel.Train(train)
	if err != nil {
		return routing.Engine{}, err
	}
	text, err := textmodel.New(m)
	if err != nil {
		return routing.Engine{}, err
	}
	flags, err := textmodel.TrainFlags(train)
	if err != nil {
		return routing.Engine{}, err
	}
	return routing.Engine{Text: text, Flags: textmodel.NewFlags(textrules.Flags{}, flags)}, nil
}

func decideEntry(engine routing.Engine, policies *policy.Set, e corpus.Entry) feedback.Decision {
	p, _ := policies.ForPractice(e.Practice)
	return engine.Decide(p, feedback.Item{Organisation: p.Organisation.Slug, Practice: e.Practice, Channel: e.Channel,
		SourceID: e.ID, Text: e.Text, Rating: e.Rating})
}

// assignFolds shuffles the entries and deals each route out across the folds in turn.
func assignFolds(entries []corpus.Entry, k int, seed int64) []int {
	idx := rand.New(rand.NewSource(seed)).Perm(len(entries))
	fold := make([]int, len(entries))
	next := map[feedback.Route]int{}
	for _, i := range idx {
		r := entries[i].Route
		fold[i] = next[r] % k
		next[r]++
	}
	return fold
}

func report(w io.Writer, entries []corpus.Entry, ds []feedback.Decision) {
	var correct, auto, autoCorrect int
	var tp, fp, fn int
	bins := make([]struct {
		n, correct int
		conf       float64
	}, 10)
	for i, e := range entries {
		d := ds[i]
		ok := d.Route == e.Route
		if ok {
			correct++
		}
		if !d.NeedsReview {
			auto++
			if ok {
				autoCorrect++
			}
		}
		switch {
		case d.Route == feedback.Complaint && e.Route == feedback.Complaint:
			tp++
		case d.Route == feedback.Complaint:
			fp++
		case e.Route == feedback.Complaint:
			fn++
		}
		b := min(int(d.Confidence*10), 9)
		bins[b].n++
		bins[b].conf += d.Confidence
		if ok {
			bins[b].correct++
		}
	}
	n := len(entries)
	p, r := ratio(tp, tp+fp), ratio(tp, tp+fn)
	fmt.Fprintf(w, "  complaint      precision=%.3f recall=%.3f f1=%.3f  (tp %d, fp %d, fn %d)\n", p, r, f1(p, r), tp, fp, fn)
	fmt.Fprintf(w, "  route          accuracy=%.3f  (%d/%d)\n", ratio(correct, n), correct, n)
	fmt.Fprintf(w, "  needs_review   %.1f%% of items; accuracy of the rest (decided without a person) %.3f\n",
		100*ratio(n-auto, n), ratio(autoCorrect, auto))
	ece := 0.0
	for _, b := range bins {
		if b.n > 0 {
			ece += float64(b.n) / float64(n) * math.Abs(b.conf/float64(b.n)-ratio(b.correct, b.n))
		}
	}
	fmt.Fprintf(w, "  calibration    expected calibration error=%.3f (confidence against route accuracy, 10 bins)\n", ece)
	for _, f := range feedback.Flags {
		var tp, fp, fn int
		for i, e := range entries {
			want, got := slices.Contains(e.Flags, f), ds[i].Has(f)
			switch {
			case want && got:
				tp++
			case got:
				fp++
			case want:
				fn++
			}
		}
		p, r := ratio(tp, tp+fp), ratio(tp, tp+fn)
		fmt.Fprintf(w, "  %-16s precision=%.3f recall=%.3f f1=%.3f  (tp %d, fp %d, fn %d)\n", f, p, r, f1(p, r), tp, fp, fn)
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
