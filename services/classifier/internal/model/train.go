package model

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
)

// Example is one labelled text.
type Example struct {
	Text  string
	Label string
	// Weight scales the example's loss; 0 means 1. Negative is an error.
	Weight float64
}

// Options decide the features and the training. Start from
// DefaultOptions and change what you need: Train does not fill in zero
// fields, it rejects invalid ones.
type Options struct {
	// Buckets is the number of hash buckets every feature is reduced to.
	Buckets int
	// WordNgrams is the longest word n-gram: 1 (unigrams) or 2 (unigrams
	// and bigrams).
	WordNgrams int
	// CharMin and CharMax bound the character n-grams taken inside each
	// word padded as "<word>". CharMax 0 turns them off.
	CharMin, CharMax int
	// CharWeight is the L2 norm of the character n-gram part of a text's
	// vector; the word n-gram part has norm 1.
	CharWeight float64

	// Epochs is the number of passes over the data.
	Epochs int
	// LearningRate is AdaGrad's base step.
	LearningRate float64
	// L2 is the L2 penalty added, on every step, to the gradient of the
	// weights the step touches (so a feature is penalised in proportion to
	// how often it occurs). With AdaGrad's shrinking steps, the number of
	// Epochs and the LearningRate regularise as much as L2 does.
	L2 float64
	// Seed fixes the order examples are visited in and the calibration
	// folds. The same examples, Options and Seed give the same weights bit
	// for bit on a given GOARCH (math.Exp and fused multiply-adds may
	// differ in the last bit between architectures).
	Seed int64
	// BalanceClasses weights every label's examples so that each label
	// carries the same total weight.
	BalanceClasses bool

	// CalibrationFolds is the number of held-out folds used to fit the
	// temperature and label offsets that calibrate probabilities (see
	// Train). 0 or 1 turns calibration off (temperature 1, no offsets).
	CalibrationFolds int

	// Labels, when set, is the label set of the model (sorted by Train);
	// examples with other labels are an error. When empty, the labels are
	// the distinct labels of the examples.
	Labels []string

	// Workers bounds the goroutines Train and CrossValidate use; 0 means
	// GOMAXPROCS. It never changes a result.
	Workers int
}

// DefaultOptions is the design the product ships.
func DefaultOptions() Options {
	return Options{
		Buckets:          1 << 18,
		WordNgrams:       2,
		CharMin:          1,
		CharMax:          4,
		CharWeight:       0.5,
		Epochs:           10,
		LearningRate:     0.05,
		L2:               1e-4,
		Seed:             1,
		BalanceClasses:   true,
		CalibrationFolds: 5,
	}
}

// String describes the design in one line, for reports.
func (o Options) String() string {
	chars := "no char n-grams"
	if o.CharMax > 0 && o.CharWeight > 0 {
		chars = fmt.Sprintf("char %d-%d-grams (weight %g)", o.CharMin, o.CharMax, o.CharWeight)
	}
	cal := "uncalibrated"
	if o.CalibrationFolds >= 2 {
		cal = fmt.Sprintf("calibrated on %d held-out folds", o.CalibrationFolds)
	}
	return fmt.Sprintf("softmax regression, word 1-%d-grams + %s, %d buckets, AdaGrad lr %g, %d epochs, L2 %g, balanced %t, seed %d, %s",
		o.WordNgrams, chars, o.Buckets, o.LearningRate, o.Epochs, o.L2, o.BalanceClasses, o.Seed, cal)
}

func (o Options) validate() error {
	switch {
	case o.Buckets < 16 || o.Buckets > 1<<24:
		return fmt.Errorf("model: Buckets %d out of range [16, 2^24]", o.Buckets)
	case o.WordNgrams != 1 && o.WordNgrams != 2:
		return fmt.Errorf("model: WordNgrams must be 1 or 2, got %d", o.WordNgrams)
	case o.CharMax != 0 && (o.CharMin < 1 || o.CharMax < o.CharMin || o.CharMax > 8):
		return fmt.Errorf("model: character n-grams [%d, %d] invalid", o.CharMin, o.CharMax)
	case o.CharWeight < 0 || math.IsNaN(o.CharWeight) || math.IsInf(o.CharWeight, 0):
		return fmt.Errorf("model: CharWeight %v invalid", o.CharWeight)
	case o.Epochs < 1:
		return fmt.Errorf("model: Epochs must be >= 1, got %d", o.Epochs)
	case !(o.LearningRate > 0) || math.IsInf(o.LearningRate, 0):
		return fmt.Errorf("model: LearningRate must be > 0, got %v", o.LearningRate)
	case !(o.L2 >= 0) || math.IsInf(o.L2, 0):
		return fmt.Errorf("model: L2 must be >= 0, got %v", o.L2)
	case o.CalibrationFolds < 0:
		return fmt.Errorf("model: CalibrationFolds must be >= 0, got %d", o.CalibrationFolds)
	case o.Workers < 0:
		return fmt.Errorf("model: Workers must be >= 0, got %d", o.Workers)
	}
	return nil
}

func (o Options) features() featureConfig {
	cfg := featureConfig{
		Buckets:    o.Buckets,
		CharMin:    o.CharMin,
		CharMax:    o.CharMax,
		CharWeight: o.CharWeight,
		Bigrams:    o.WordNgrams >= 2,
	}
	if cfg.CharMax == 0 {
		cfg.CharWeight = 0
	}
	return cfg
}

func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// dataset is examples turned into vectors.
type dataset struct {
	x [][]feature
	y []int
	w []float64
}

// Train fits a multinomial logistic regression over hashed word and
// character n-grams.
//
// Optimisation: AdaGrad on the softmax cross-entropy, one example at a
// time, visiting the examples in an order shuffled per epoch by a PCG
// generator seeded from Options.Seed, so results are reproducible bit for
// bit. Each step adds L2 times the current weight to the gradient of every
// weight the example touches. Weights are stored as float32.
//
// Calibration: raw softmax scores of a regularised, class-balanced model
// are not honest probabilities. With CalibrationFolds = k >= 2, Train
// first splits the examples into k stratified folds, trains k models each
// on k-1 folds, and scores the held-out fold with them. On those
// held-out scores it fits a temperature T and one offset per label by
// minimising the cross-entropy of softmax(s/T + c) against Platt's smoothed
// targets (a convex problem, solved by Newton's method; see
// fitCalibration). The final model is then trained on all examples and
// keeps T and c; Predict returns softmax(s/T + c). The offsets undo the
// prior shift that BalanceClasses introduces, so the predicted label is the
// most probable one under honest probabilities. Calibration is skipped
// (T = 1, c = 0) when some label has fewer than k examples.
func Train(examples []Example, opts Options) (*Model, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	if len(examples) == 0 {
		return nil, errors.New("model: no examples")
	}
	labels, err := labelSet(examples, opts.Labels)
	if err != nil {
		return nil, err
	}
	opts.Labels = labels
	cfg := opts.features()
	data, err := vectorizeAll(examples, labels, cfg, opts.workers())
	if err != nil {
		return nil, err
	}
	return trainData(data, labels, opts)
}

func labelSet(examples []Example, fixed []string) ([]string, error) {
	if len(fixed) > 0 {
		labels := append([]string(nil), fixed...)
		sort.Strings(labels)
		for i := 1; i < len(labels); i++ {
			if labels[i] == labels[i-1] {
				return nil, fmt.Errorf("model: label %q listed twice", labels[i])
			}
		}
		if len(labels) < 2 {
			return nil, errors.New("model: need at least 2 labels")
		}
		return labels, nil
	}
	seen := map[string]bool{}
	var labels []string
	for _, ex := range examples {
		if !seen[ex.Label] {
			seen[ex.Label] = true
			labels = append(labels, ex.Label)
		}
	}
	sort.Strings(labels)
	if len(labels) < 2 {
		return nil, fmt.Errorf("model: need at least 2 labels, the examples have %d", len(labels))
	}
	return labels, nil
}

func vectorizeAll(examples []Example, labels []string, cfg featureConfig, workers int) (dataset, error) {
	index := make(map[string]int, len(labels))
	for i, l := range labels {
		index[l] = i
	}
	d := dataset{
		x: make([][]feature, len(examples)),
		y: make([]int, len(examples)),
		w: make([]float64, len(examples)),
	}
	for i, ex := range examples {
		y, ok := index[ex.Label]
		if !ok {
			return dataset{}, fmt.Errorf("model: example %d has label %q, not one of %q", i, ex.Label, labels)
		}
		if ex.Label == "" {
			return dataset{}, fmt.Errorf("model: example %d has an empty label", i)
		}
		w := ex.Weight
		if w == 0 {
			w = 1
		}
		if !(w > 0) || math.IsInf(w, 0) {
			return dataset{}, fmt.Errorf("model: example %d has invalid weight %v", i, ex.Weight)
		}
		d.y[i], d.w[i] = y, w
	}
	parallel(len(examples), workers, func(i int) {
		d.x[i] = featurize(examples[i].Text, cfg)
	})
	return d, nil
}

// parallel calls fn(0..n-1) on up to workers goroutines.
func parallel(n, workers int, fn func(i int)) {
	if workers > n {
		workers = n
	}
	if workers <= 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

func (d dataset) subset(idx []int) dataset {
	s := dataset{x: make([][]feature, len(idx)), y: make([]int, len(idx)), w: make([]float64, len(idx))}
	for j, i := range idx {
		s.x[j], s.y[j], s.w[j] = d.x[i], d.y[i], d.w[i]
	}
	return s
}

func trainData(data dataset, labels []string, opts Options) (*Model, error) {
	L := len(labels)
	cal := Calibration{Temperature: 1, Offsets: make([]float64, L)}
	if k := opts.CalibrationFolds; k >= 2 && minLabelCount(data.y, L) >= k {
		folds := stratifiedFolds(data.y, L, k, opts.Seed)
		heldScores := make([][]float64, len(data.y))
		inner := opts
		inner.CalibrationFolds = 0
		parallel(k, opts.workers(), func(f int) {
			var trainIdx []int
			for g := 0; g < k; g++ {
				if g != f {
					trainIdx = append(trainIdx, folds[g]...)
				}
			}
			sort.Ints(trainIdx)
			m := fitWeights(data.subset(trainIdx), labels, inner)
			for _, i := range folds[f] {
				heldScores[i] = m.rawScores(data.x[i])
			}
		})
		cal = fitCalibration(heldScores, data.y, data.w, L)
	}
	m := fitWeights(data, labels, opts)
	m.cal = cal
	m.computeVersion()
	return m, nil
}

func minLabelCount(y []int, L int) int {
	counts := make([]int, L)
	for _, v := range y {
		counts[v]++
	}
	mn := counts[0]
	for _, c := range counts {
		mn = min(mn, c)
	}
	return mn
}

// stratifiedFolds deals each label's examples, shuffled with seed, round
// robin into k folds. Each fold's indices are sorted.
func stratifiedFolds(y []int, L, k int, seed int64) [][]int {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	byLabel := make([][]int, L)
	for i, v := range y {
		byLabel[v] = append(byLabel[v], i)
	}
	folds := make([][]int, k)
	next := 0
	for _, idx := range byLabel {
		rng.Shuffle(len(idx), func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
		for _, i := range idx {
			folds[next] = append(folds[next], i)
			next = (next + 1) % k
		}
	}
	for _, f := range folds {
		sort.Ints(f)
	}
	return folds
}

// fitWeights runs AdaGrad and returns an uncalibrated model.
func fitWeights(data dataset, labels []string, opts Options) *Model {
	L := len(labels)
	B := opts.Buckets
	n := len(data.y)

	// Example weights, balanced per label if asked.
	w := append([]float64(nil), data.w...)
	if opts.BalanceClasses {
		tot := make([]float64, L)
		var all float64
		for i, y := range data.y {
			tot[y] += w[i]
			all += w[i]
		}
		for i, y := range data.y {
			w[i] *= all / (float64(L) * tot[y])
		}
	}

	// Train over the buckets the data uses only, renumbered 0..D-1 in
	// order of first use: a small corpus touches a small share of the
	// buckets. Each weight sees the same arithmetic as it would in a dense
	// array, so the result does not depend on the renumbering.
	slot := make([]int32, B) // 1 + compact index; 0 = unused
	var active []uint32
	x := make([][]feature, n)
	for i, xi := range data.x {
		cx := make([]feature, len(xi))
		for t, f := range xi {
			if slot[f.Bucket] == 0 {
				active = append(active, f.Bucket)
				slot[f.Bucket] = int32(len(active))
			}
			cx[t] = feature{Bucket: uint32(slot[f.Bucket] - 1), Value: f.Value}
		}
		x[i] = cx
	}
	D := len(active)

	W := make([]float64, D*L)
	G := make([]float64, D*L)
	bias := make([]float64, L)
	Gb := make([]float64, L)
	scores := make([]float64, L)
	lr, l2 := opts.LearningRate, opts.L2
	const eps = 1e-8

	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x2545f4914f6cdd1d))
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	for epoch := 0; epoch < opts.Epochs; epoch++ {
		rng.Shuffle(n, func(a, b int) { order[a], order[b] = order[b], order[a] })
		for _, i := range order {
			xi := x[i]
			copy(scores, bias)
			for _, f := range xi {
				row := W[int(f.Bucket)*L : int(f.Bucket)*L+L]
				v := float64(f.Value)
				for k := range scores {
					scores[k] += v * row[k]
				}
			}
			softmaxInPlace(scores)
			// scores now holds p; turn it into the loss gradient wrt the
			// scores.
			for k := range scores {
				g := scores[k]
				if k == data.y[i] {
					g -= 1
				}
				scores[k] = w[i] * g
			}
			for k, g := range scores {
				Gb[k] += g * g
				bias[k] -= lr * g / (math.Sqrt(Gb[k]) + eps)
			}
			for _, f := range xi {
				base := int(f.Bucket) * L
				v := float64(f.Value)
				for k, g := range scores {
					j := base + k
					grad := g*v + l2*W[j]
					G[j] += grad * grad
					W[j] -= lr * grad / (math.Sqrt(G[j]) + eps)
				}
			}
		}
	}

	m := &Model{
		labels: append([]string(nil), labels...),
		opts:   opts,
		w:      newWeightTable(B, L, len(active)),
		bias:   make([]float32, L),
	}
	m.opts.Labels = m.labels
	m.opts.Workers = 0
	for c, b := range active {
		row := m.w.setRow(b, c+1, L)
		for k := range row {
			row[k] = float32(W[c*L+k])
		}
	}
	for k, v := range bias {
		m.bias[k] = float32(v)
	}
	m.cal = Calibration{Temperature: 1, Offsets: make([]float64, L)}
	return m
}

func softmaxInPlace(s []float64) {
	mx := s[0]
	for _, v := range s[1:] {
		mx = max(mx, v)
	}
	var sum float64
	for k, v := range s {
		e := math.Exp(v - mx)
		s[k] = e
		sum += e
	}
	for k := range s {
		s[k] /= sum
	}
}

// fitCalibration finds a = 1/T and offsets c minimising the weighted
// cross-entropy of softmax(a*s + c) over the held-out scores, by damped
// Newton's method from a = 1, c = 0. The targets are Platt's smoothed
// ones: an example of label y aims at (N_y+1)/(N_y+L) for y and
// 1/(N_y+L) for every other label, N_y being the (weighted) number of
// held-out examples of y. With few examples this keeps the fit from
// becoming certain (T -> 0) just because the held-out folds happened to be
// separable; with many it is the plain log loss. c is centred to sum to 0.
func fitCalibration(scores [][]float64, y []int, w []float64, L int) Calibration {
	cal := Calibration{Temperature: 1, Offsets: make([]float64, L)}
	if len(scores) == 0 {
		return cal
	}
	count := make([]float64, L)
	for i, v := range y {
		count[v] += w[i]
	}
	// target(i, k) is the smoothed target of example i for label k.
	target := func(i, k int) float64 {
		n := count[y[i]]
		if k == y[i] {
			return (n + 1) / (n + float64(L))
		}
		return 1 / (n + float64(L))
	}
	// Parameters: theta[0] = a, theta[1..L] = c.
	P := L + 1
	theta := make([]float64, P)
	theta[0] = 1
	const ridge = 1e-6 // keeps the Hessian invertible (c is shift-invariant)
	z := make([]float64, L)
	loss := func(th []float64) float64 {
		var tot, wsum float64
		for i, s := range scores {
			for k := range z {
				z[k] = th[0]*s[k] + th[1+k]
			}
			l := logSumExp(z)
			for k := range z {
				l -= target(i, k) * z[k]
			}
			tot += w[i] * l
			wsum += w[i]
		}
		var reg float64
		for _, v := range th[1:] {
			reg += v * v
		}
		return tot/wsum + ridge*reg/2
	}
	cur := loss(theta)
	grad := make([]float64, P)
	hess := make([][]float64, P)
	for r := range hess {
		hess[r] = make([]float64, P)
	}
	mean := make([]float64, P) // sum_k p_k f_k, f_k = dz_k/dtheta = (s_k, e_k)
	next := make([]float64, P)
	for iter := 0; iter < 100; iter++ {
		clear(grad)
		for r := range hess {
			clear(hess[r])
		}
		var wsum float64
		for i, s := range scores {
			for k := range z {
				z[k] = theta[0]*s[k] + theta[1+k]
			}
			softmaxInPlace(z) // z = p
			// d loss / d z_k = p_k - t_k; Hessian wrt z = diag(p) - p p^T,
			// so H = sum_k p_k f_k f_k^T - mean mean^T.
			var ps float64
			for k := range z {
				d := w[i] * (z[k] - target(i, k))
				grad[0] += d * s[k]
				grad[1+k] += d
				ps += z[k] * s[k]
			}
			mean[0] = ps
			copy(mean[1:], z)
			for k := range z {
				pk := z[k] * w[i]
				hess[0][0] += pk * s[k] * s[k]
				hess[0][1+k] += pk * s[k]
				hess[1+k][0] += pk * s[k]
				hess[1+k][1+k] += pk
			}
			for r := 0; r < P; r++ {
				for c := 0; c < P; c++ {
					hess[r][c] -= w[i] * mean[r] * mean[c]
				}
			}
			wsum += w[i]
		}
		for r := 0; r < P; r++ {
			grad[r] /= wsum
			for c := 0; c < P; c++ {
				hess[r][c] /= wsum
			}
			if r > 0 {
				grad[r] += ridge * theta[r]
				hess[r][r] += ridge
			}
		}
		var gn float64
		for _, g := range grad {
			gn = max(gn, math.Abs(g))
		}
		if gn < 1e-9 {
			break
		}
		step, ok := solve(hess, grad)
		if !ok {
			break
		}
		// Backtracking line search; a must stay positive.
		t, improved := 1.0, false
		for ls := 0; ls < 40; ls++ {
			for r := range next {
				next[r] = theta[r] - t*step[r]
			}
			if next[0] > 0 {
				if l := loss(next); l < cur {
					cur, improved = l, true
					copy(theta, next)
					break
				}
			}
			t /= 2
		}
		if !improved {
			break
		}
	}
	// Centre the offsets: softmax is unchanged by a common shift.
	var c0 float64
	for _, v := range theta[1:] {
		c0 += v
	}
	c0 /= float64(L)
	cal.Temperature = 1 / theta[0]
	for k := range cal.Offsets {
		cal.Offsets[k] = theta[1+k] - c0
	}
	return cal
}

func logSumExp(z []float64) float64 {
	mx := z[0]
	for _, v := range z[1:] {
		mx = max(mx, v)
	}
	var s float64
	for _, v := range z {
		s += math.Exp(v - mx)
	}
	return mx + math.Log(s)
}

// solve solves A x = b by Gaussian elimination with partial pivoting. A
// and b are not modified.
func solve(A [][]float64, b []float64) ([]float64, bool) {
	n := len(b)
	M := make([][]float64, n)
	for r := range M {
		M[r] = make([]float64, n+1)
		copy(M[r], A[r])
		M[r][n] = b[r]
	}
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(M[r][c]) > math.Abs(M[p][c]) {
				p = r
			}
		}
		if math.Abs(M[p][c]) < 1e-14 {
			return nil, false
		}
		M[c], M[p] = M[p], M[c]
		for r := c + 1; r < n; r++ {
			f := M[r][c] / M[c][c]
			for k := c; k <= n; k++ {
				M[r][k] -= f * M[c][k]
			}
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := M[r][n]
		for k := r + 1; k < n; k++ {
			s -= M[r][k] * x[k]
		}
		x[r] = s / M[r][r]
	}
	return x, true
}
