package model

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
)

// Explain returns the phrases of text that push most toward label (toward,
// strongest first, all with Weight > 0) and most against it (against,
// strongest first, all with Weight < 0), at most k of each.
//
// Each feature's contribution is its value times the difference between
// its weight for label and the mean of its weights for the other labels,
// divided by the calibration temperature; for two labels that is exactly
// its share of the calibrated log-odds. A word's unigram and the character
// n-grams taken from it are reported together as that word; a bigram is
// reported as its two words. A character n-gram shared by several words of
// the text is shared equally among them. Phrases made only of function
// words ("the", "i", "was", "to me") are not reported: they weigh in the
// score but mean nothing to a reader. An unknown label or k <= 0 gives
// nothing.
func (m *Model) Explain(text, label string, k int) (toward, against []Contribution) {
	li := sort.SearchStrings(m.labels, label)
	if li >= len(m.labels) || m.labels[li] != label || k <= 0 {
		return nil, nil
	}
	return m.explain(analyse(text, m.opts.features()), label, k)
}

func (m *Model) explain(tf *textFeatures, label string, k int) (toward, against []Contribution) {
	li := sort.SearchStrings(m.labels, label)
	if li >= len(m.labels) || m.labels[li] != label || k <= 0 {
		return nil, nil
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	phrases, weights := m.contributions(tf, li, sc)
	all := sc.contributions[:0]
	for p, name := range phrases {
		if w := weights[p]; w != 0 && !math.IsNaN(w) && !functionWords(name) {
			all = append(all, Contribution{Feature: name, Weight: w})
		}
	}
	// Strongest toward the label first; phrases are distinct, so the order is total.
	slices.SortFunc(all, func(a, b Contribution) int {
		if c := cmp.Compare(b.Weight, a.Weight); c != 0 {
			return c
		}
		return strings.Compare(a.Feature, b.Feature)
	})
	for _, c := range all {
		if c.Weight > 0 && len(toward) < k {
			toward = append(toward, c)
		}
	}
	for i := len(all) - 1; i >= 0 && len(against) < k; i-- {
		if all[i].Weight < 0 {
			against = append(against, all[i])
		}
	}
	sc.contributions = all
	return toward, against
}

// contributions is every phrase of the text and its contribution to label li's score (without
// the bias), as Explain defines it. Each phrase's sum is made in ascending order of feature hash.
// Both are in sc's memory: they last while the caller holds sc.
func (m *Model) contributions(tf *textFeatures, li int, sc *scratch) (phrases []string, weights []float64) {
	phrases, phraseOf := tf.phrases(sc)
	weights = append(sc.weights[:0], make([]float64, len(phrases))...)
	sc.weights = weights
	// The owners of each distinct feature's occurrences: owners[start[f]:start[f+1]].
	start := append(sc.starts[:0], make([]int32, len(tf.hashes)+1)...)
	for _, o := range tf.occ {
		start[o.Feature+1]++
	}
	for f := range tf.hashes {
		start[f+1] += start[f]
	}
	owners := append(sc.owners[:0], make([]int32, len(tf.occ))...)
	next := append(sc.next[:0], start...)
	for _, o := range tf.occ {
		owners[next[o.Feature]] = o.Owner
		next[o.Feature]++
	}
	sc.starts, sc.owners, sc.next = start, owners, next
	L := len(m.labels)
	for i, f := range tf.byHash {
		row := m.w.row(tf.buckets[i], L)
		var others float64
		for k, w := range row {
			if k != li {
				others += float64(w)
			}
		}
		d := float64(tf.value(f)) * (float64(row[li]) - others/float64(L-1)) / m.cal.Temperature
		// A feature that occurs several times (a character n-gram shared
		// by several words) is shared equally among its occurrences.
		occ := owners[start[f]:start[f+1]]
		share := d / float64(len(occ))
		for _, o := range occ {
			weights[phraseOf[o]] += share
		}
	}
	return phrases, weights
}

// phrases names every owner of the text's features for a person (see occurrence): the distinct
// phrases, and the phrase of each owner number. Both are in sc's memory; the names are cut from
// one string of their own.
func (tf *textFeatures) phrases(sc *scratch) (phrases []string, phraseOf []int32) {
	// Every owner's name, cut from one string.
	var b strings.Builder
	size := 0
	for _, t := range tf.toks {
		size += 3*len(t.Text) + 16 // a word and a bigram, at most a few bytes more for a person
	}
	b.Grow(size)
	owners := sc.named[:0]
	for i, t := range tf.toks {
		// A word's name; a negated one's starts with negatedWord, which has no placeholder.
		if t.Negated {
			b.WriteString(negatedWord)
		}
		b.WriteString(displayPhrase(t.Text))
		owners = append(owners, named{owner: int32(2 * i), end: b.Len()})
		if tf.cfg.Bigrams && i+1 < len(tf.toks) {
			next := tf.toks[i+1].Text
			if strings.IndexByte(t.Text, '<') < 0 && strings.IndexByte(next, '<') < 0 {
				b.WriteString(t.Text) // displayPhrase leaves a phrase without placeholders as it is
				b.WriteByte(' ')
				b.WriteString(next)
			} else {
				b.WriteString(displayPhrase(t.Text + " " + next))
			}
			owners = append(owners, named{owner: int32(2*i + 1), end: b.Len()})
		}
	}
	all := b.String()
	names := resize(sc.names, len(owners))
	start := 0
	for i, o := range owners {
		names[i], start = all[start:o.end], o.end
	}
	// The same name is one phrase, however many owners have it.
	order := resize(sc.order, len(owners))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(names[a], names[b]) })
	phraseOf, phrases = resize(sc.phraseOf, 2*len(tf.toks)), sc.phrases[:0]
	clear(phraseOf)
	for j, i := range order {
		if j == 0 || names[i] != names[order[j-1]] {
			phrases = append(phrases, names[i])
		}
		phraseOf[owners[i].owner] = int32(len(phrases) - 1)
	}
	sc.named, sc.names, sc.order, sc.phraseOf, sc.phrases = owners, names, order, phraseOf, phrases
	return phrases, phraseOf
}

// named is an owner of features (see occurrence) and the end of its name in the string of names.
type named struct {
	owner int32
	end   int
}

// negatedWord is what a negated word's name starts with.
const negatedWord = "not … "
