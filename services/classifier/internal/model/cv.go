package model

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

// LabelStats are one label's figures in a cross-validation Report.
type LabelStats struct {
	Label     string
	Precision float64
	Recall    float64
	F1        float64
	// Support is the number of examples whose true label is Label.
	Support int
}

// Report is the result of CrossValidate. Every example is predicted once,
// by the model trained on the folds it is not in.
type Report struct {
	Folds    int
	Examples int
	Labels   []string
	PerLabel []LabelStats
	MacroF1  float64
	Accuracy float64
	// Confusion[t][p] counts examples of true label Labels[t] predicted as
	// Labels[p].
	Confusion [][]int
	// LogLoss is the mean negative log probability given to the true
	// label; Brier is the mean squared error of the probability vector.
	LogLoss float64
	Brier   float64
	// ECE is the expected calibration error of the predicted label's
	// probability over 10 equal-width bins: how far, on average, the
	// stated confidence is from the observed accuracy.
	ECE float64
}

// CrossValidate runs stratified k-fold cross-validation: each label's
// examples are shuffled with seed and dealt round robin into folds; for
// each fold a model is trained with opts (including its own calibration)
// on the other folds and predicts the fold. Folds are trained in parallel
// (opts.Workers); the report does not depend on it. Example weights are
// used in training but not in the figures, which count examples.
func CrossValidate(examples []Example, folds int, seed int64, opts Options) (Report, error) {
	if err := opts.validate(); err != nil {
		return Report{}, err
	}
	if folds < 2 {
		return Report{}, fmt.Errorf("model: need at least 2 folds, got %d", folds)
	}
	if len(examples) < folds {
		return Report{}, fmt.Errorf("model: %d examples cannot make %d folds", len(examples), folds)
	}
	labels, err := labelSet(examples, opts.Labels)
	if err != nil {
		return Report{}, err
	}
	opts.Labels = labels
	workers := opts.workers()
	data, err := vectorizeAll(examples, labels, opts.features(), workers)
	if err != nil {
		return Report{}, err
	}
	L := len(labels)
	parts := stratifiedFolds(data.y, L, folds, seed)
	for f, p := range parts {
		if len(p) == 0 {
			return Report{}, fmt.Errorf("model: fold %d is empty", f)
		}
	}
	probs := make([][]float64, len(examples))
	errs := make([]error, folds)
	inner := opts
	inner.Workers = max(1, workers/folds) // spare workers go to calibration folds
	parallel(folds, workers, func(f int) {
		var trainIdx []int
		for g := range parts {
			if g != f {
				trainIdx = append(trainIdx, parts[g]...)
			}
		}
		sort.Ints(trainIdx)
		m, err := trainData(data.subset(trainIdx), labels, inner)
		if err != nil {
			errs[f] = err
			return
		}
		for _, i := range parts[f] {
			probs[i] = m.predictVector(data.x[i])
		}
	})
	if err := errors.Join(errs...); err != nil {
		return Report{}, err
	}
	return makeReport(labels, data.y, probs, folds), nil
}

func makeReport(labels []string, y []int, probs [][]float64, folds int) Report {
	L := len(labels)
	r := Report{
		Folds:     folds,
		Examples:  len(y),
		Labels:    append([]string(nil), labels...),
		Confusion: make([][]int, L),
	}
	for t := range r.Confusion {
		r.Confusion[t] = make([]int, L)
	}
	const bins = 10
	var binConf, binAcc [bins]float64
	var binN [bins]int
	correct := 0
	for i, p := range probs {
		best := 0
		for k := range p {
			if p[k] > p[best] {
				best = k
			}
		}
		r.Confusion[y[i]][best]++
		hit := 0.0
		if best == y[i] {
			correct++
			hit = 1
		}
		r.LogLoss -= math.Log(max(p[y[i]], 1e-15))
		for k := range p {
			d := p[k]
			if k == y[i] {
				d--
			}
			r.Brier += d * d
		}
		b := min(int(p[best]*bins), bins-1)
		binConf[b] += p[best]
		binAcc[b] += hit
		binN[b]++
	}
	n := float64(len(y))
	r.Accuracy = float64(correct) / n
	r.LogLoss /= n
	r.Brier /= n
	for b := range binN {
		if binN[b] > 0 {
			r.ECE += math.Abs(binConf[b]-binAcc[b]) / n
		}
	}
	for k, l := range labels {
		var tp, fp, fn int
		for t := 0; t < L; t++ {
			for p := 0; p < L; p++ {
				c := r.Confusion[t][p]
				switch {
				case t == k && p == k:
					tp += c
				case p == k:
					fp += c
				case t == k:
					fn += c
				}
			}
		}
		s := LabelStats{Label: l, Support: tp + fn}
		if tp+fp > 0 {
			s.Precision = float64(tp) / float64(tp+fp)
		}
		if tp+fn > 0 {
			s.Recall = float64(tp) / float64(tp+fn)
		}
		if s.Precision+s.Recall > 0 {
			s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
		}
		r.PerLabel = append(r.PerLabel, s)
		r.MacroF1 += s.F1
	}
	r.MacroF1 /= float64(L)
	return r
}

// String prints the report as a table: per-label precision, recall, F1
// and support, the macro average, accuracy, calibration figures and the
// confusion matrix (rows: true label, columns: predicted).
func (r Report) String() string {
	var b strings.Builder
	w := len("macro avg")
	for _, l := range r.Labels {
		w = max(w, len(l))
	}
	fmt.Fprintf(&b, "%d-fold stratified cross-validation, %d examples\n\n", r.Folds, r.Examples)
	fmt.Fprintf(&b, "%-*s  %9s  %6s  %6s  %7s\n", w, "label", "precision", "recall", "f1", "support")
	for _, s := range r.PerLabel {
		fmt.Fprintf(&b, "%-*s  %9.4f  %6.4f  %6.4f  %7d\n", w, s.Label, s.Precision, s.Recall, s.F1, s.Support)
	}
	var mp, mr float64
	for _, s := range r.PerLabel {
		mp += s.Precision
		mr += s.Recall
	}
	if n := float64(len(r.PerLabel)); n > 0 {
		mp, mr = mp/n, mr/n
	}
	fmt.Fprintf(&b, "%-*s  %9.4f  %6.4f  %6.4f  %7d\n", w, "macro avg", mp, mr, r.MacroF1, r.Examples)
	fmt.Fprintf(&b, "\naccuracy  %.4f\nlog loss  %.4f\nbrier     %.4f\nECE       %.4f\n", r.Accuracy, r.LogLoss, r.Brier, r.ECE)
	fmt.Fprintf(&b, "\nconfusion (rows: true, columns: predicted)\n%-*s", w, "")
	cw := 6
	for _, l := range r.Labels {
		cw = max(cw, len(l))
	}
	for _, l := range r.Labels {
		fmt.Fprintf(&b, "  %*s", cw, l)
	}
	b.WriteByte('\n')
	for t, l := range r.Labels {
		fmt.Fprintf(&b, "%-*s", w, l)
		for p := range r.Labels {
			fmt.Fprintf(&b, "  %*d", cw, r.Confusion[t][p])
		}
		b.WriteByte('\n')
	}
	return b.String()
}
