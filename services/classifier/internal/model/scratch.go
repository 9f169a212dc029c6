package model

import (
	"math/bits"
	"sync"
)

// scratch is the working memory of analyse and Explain, reused from text to text.
type scratch struct {
	set      featureSet
	hashes   []uint64 // every occurrence's hash: word features first, then character n-grams
	owners   []int32
	distinct []uint64
	isChar   []bool
	sorted   []uint64
	spare    []uint64
	starts   []int32
	next     []int32
	feats    []feature
	// Explain's: the owners of the text's features and their names, the distinct phrases, and
	// each phrase's contribution.
	named         []named
	names         []string
	order         []int
	phraseOf      []int32
	phrases       []string
	weights       []float64
	contributions []Contribution
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// featureSet numbers distinct feature hashes: an open-addressing hash table, never more than
// half full.
type featureSet struct {
	keys  []uint64
	vals  []int32 // 1 + number; 0 = free
	shift uint
	n     int
}

func newFeatureSet(n int) featureSet {
	k := bits.Len(uint(2*n + 1))
	return featureSet{keys: make([]uint64, 1<<k), vals: make([]int32, 1<<k), shift: uint(64 - k)}
}

// reset empties the set, with room for n features.
func (s *featureSet) reset(n int) {
	if len(s.keys) < 2*n+1 {
		*s = newFeatureSet(n)
		return
	}
	clear(s.vals)
	s.n = 0
}

// add returns h's number and true if h is in the set, or else adds h as number next (unless
// next < 0) and returns next and false.
func (s *featureSet) add(h uint64, next int32) (int32, bool) {
	mask := len(s.keys) - 1
	for i := int((h * 0x9e3779b97f4a7c15) >> s.shift); ; i = (i + 1) & mask {
		switch {
		case s.vals[i] == 0:
			if next < 0 {
				return next, false
			}
			s.keys[i], s.vals[i] = h, next+1
			if s.n++; 2*s.n > len(s.keys) {
				s.grow()
			}
			return next, false
		case s.keys[i] == h:
			return s.vals[i] - 1, true
		}
	}
}

func (s *featureSet) grow() {
	bigger := newFeatureSet(len(s.keys))
	for i, v := range s.vals {
		if v != 0 {
			bigger.add(s.keys[i], v-1)
		}
	}
	*s = bigger
}
