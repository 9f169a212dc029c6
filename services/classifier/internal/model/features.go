package model

import (
	"math"
)

// Feature groups. A feature's key is its group byte followed by its text,
// hashed with 64-bit FNV-1a and reduced to a bucket.
const (
	groupWord   byte = 'w' // unigram (negated unigrams are "not_"+word)
	groupBigram byte = 'b' // two consecutive tokens, plain forms
	groupChar   byte = 'c' // character n-gram inside "<word>"
)

const (
	fnvOffset uint64 = 14695981039346656037
	fnvPrime  uint64 = 1099511628211
)

func hashStart(group byte) uint64 {
	return (fnvOffset ^ uint64(group)) * fnvPrime
}

func hashAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

func hashAddByte(h uint64, c byte) uint64 { return (h ^ uint64(c)) * fnvPrime }

// feature is one active feature of a text: a bucket and its value.
type feature struct {
	Bucket uint32
	Value  float32
}

// featureConfig is the part of Options that decides features.
type featureConfig struct {
	Buckets    int
	CharMin    int
	CharMax    int
	CharWeight float64
	Bigrams    bool
}

func (c featureConfig) chars() bool { return c.CharMax > 0 && c.CharWeight > 0 }

func (c featureConfig) bucket(h uint64) uint32 {
	if b := uint64(c.Buckets); b&(b-1) == 0 {
		return uint32(h & (b - 1)) // the same, without a division
	}
	return uint32(h % uint64(c.Buckets))
}

// textFeatures is a text featurised once: its tokens, its distinct features (hash, and whether a
// character n-gram or a word feature), every occurrence of them with the phrase Explain
// attributes it to, and its sparse vector. It is read only once made, so models may share it.
type textFeatures struct {
	cfg     featureConfig
	toks    []token
	hashes  []uint64 // distinct features, in the order first met
	isChar  []bool
	byHash  []int32  // distinct features in ascending hash order
	buckets []uint32 // their buckets, in the same order
	occ     []occurrence
	// vWord and vChar are the values of every distinct word and character feature: features are
	// binary, and the distinct word features (unigrams and bigrams) of a text share unit L2 norm
	// while its distinct character n-grams share a norm of CharWeight.
	vWord, vChar float32
	// x is the vector, sorted by bucket: distinct features that collide in a bucket add up.
	x []feature
}

// occurrence is one occurrence of a distinct feature in a text, and the phrase Explain
// attributes it to, as an owner number: 2i for token i's word (its unigram and the character
// n-grams taken from it), 2i+1 for the bigram token i starts.
type occurrence struct {
	Feature int32
	Owner   int32
}

// featurize is the vector of text.
func featurize(text string, cfg featureConfig) []feature { return analyse(text, cfg).x }

// analyse featurises text.
func analyse(text string, cfg featureConfig) *textFeatures {
	tf := new(textFeatures)
	tf.read(text, cfg)
	return tf
}

// read featurises text into tf, in the room tf kept from the text it read before (if any).
func (tf *textFeatures) read(text string, cfg featureConfig) {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	tf.cfg, tf.toks = cfg, appendTokens(tf.toks[:0], text)
	toks := tf.toks
	hashes, owners := sc.hashes[:0], sc.owners[:0]
	notH := hashAdd(hashStart(groupWord), "not_")
	for i, t := range toks {
		h := hashStart(groupWord)
		if t.Negated {
			h = notH
		}
		hashes = append(hashes, hashAdd(h, t.Text))
		owners = append(owners, int32(2*i))
		if cfg.Bigrams && i+1 < len(toks) {
			hashes = append(hashes, hashAdd(hashAddByte(hashAdd(hashStart(groupBigram), t.Text), ' '), toks[i+1].Text))
			owners = append(owners, int32(2*i+1))
		}
	}
	words := len(hashes)
	if cfg.chars() {
		for i, t := range toks {
			if t.Word {
				n := len(hashes)
				hashes = appendCharGrams(hashes, t.Text, cfg.CharMin, cfg.CharMax)
				for range len(hashes) - n {
					owners = append(owners, int32(2*i))
				}
			}
		}
	}
	sc.hashes, sc.owners = hashes, owners

	// Number the distinct features in the order first met.
	sc.set.reset(len(hashes))
	tf.occ = resize(tf.occ, len(hashes))
	distinct, isChar := sc.distinct[:0], sc.isChar[:0]
	for j, h := range hashes {
		f, ok := sc.set.add(h, int32(len(distinct)))
		if !ok {
			distinct = append(distinct, h)
			isChar = append(isChar, j >= words)
		}
		tf.occ[j] = occurrence{Feature: f, Owner: owners[j]}
	}
	sc.distinct, sc.isChar = distinct, isChar
	tf.hashes, tf.isChar = append(tf.hashes[:0], distinct...), append(tf.isChar[:0], isChar...)
	sc.sorted = append(sc.sorted[:0], tf.hashes...)
	sc.spare = append(sc.spare[:0], tf.hashes...)
	sorted := sortHashes(sc.sorted, sc.spare)
	tf.byHash = resize(tf.byHash, len(sorted))
	for i, h := range sorted {
		tf.byHash[i], _ = sc.set.add(h, -1)
	}
	tf.vectorize(sc)
}

// resize is s with length n, reusing its room when it has enough; what it held is not cleared.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// appendCharGrams appends the hash of every character n-gram (nmin <= n <= nmax runes) of the
// word padded as "<" + w + ">", without making the padded string: rune i of the padded word
// starts at byte starts[i] of w, the '<' at -1 and the '>' at len(w).
func appendCharGrams(out []uint64, w string, nmin, nmax int) []uint64 {
	var buf [48]int32
	starts := append(buf[:0], -1)
	for i := range w {
		starts = append(starts, int32(i))
	}
	starts = append(starts, int32(len(w)), int32(len(w))+1)
	runes := len(starts) - 1
	base := hashStart(groupChar)
	for s := 0; s < runes; s++ {
		h := base
		for n := 1; n <= nmax && s+n <= runes; n++ {
			// Extend the (n-1)-gram at s by rune s+n-1.
			switch from, to := starts[s+n-1], starts[s+n]; {
			case from < 0:
				h = hashAddByte(h, '<')
			case int(from) == len(w):
				h = hashAddByte(h, '>')
			default:
				h = hashAdd(h, w[from:to])
			}
			if n >= nmin {
				out = append(out, h)
			}
		}
	}
	return out
}

func (tf *textFeatures) vectorize(sc *scratch) {
	var nWord, nChar int
	for _, c := range tf.isChar {
		if c {
			nChar++
		} else {
			nWord++
		}
	}
	tf.vWord, tf.vChar = 0, 0
	if nWord > 0 {
		tf.vWord = float32(1 / math.Sqrt(float64(nWord)))
	}
	if nChar > 0 {
		tf.vChar = float32(tf.cfg.CharWeight / math.Sqrt(float64(nChar)))
	}
	feats := sc.feats[:0]
	tf.buckets = resize(tf.buckets, len(tf.byHash))
	for i, f := range tf.byHash {
		tf.buckets[i] = tf.cfg.bucket(tf.hashes[f])
		feats = append(feats, feature{Bucket: tf.buckets[i], Value: tf.value(f)})
	}
	sc.feats = feats
	feats = sortByBucket(tf.x, feats, tf.cfg.Buckets, sc)
	merged := feats[:0]
	for _, f := range feats {
		if n := len(merged); n > 0 && merged[n-1].Bucket == f.Bucket {
			merged[n-1].Value += f.Value
			continue
		}
		merged = append(merged, f)
	}
	tf.x = merged
}

// value is distinct feature f's value.
func (tf *textFeatures) value(f int32) float32 {
	if tf.isChar[f] {
		return tf.vChar
	}
	return tf.vWord
}
