package model

// The feature extraction and explanation as they were before they were made faster, kept
// verbatim (renamed ref...) as the reference the fast code must agree with bit for bit.

import (
	"cmp"
	"html"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Special tokens that stand in for things whose exact value carries no
// signal (and, for handles and links, could identify someone).
const (
	refTokURL   = "<url>"
	refTokEmail = "<email>"
	refTokUser  = "<user>"
	refTokNum   = "<num>"
)

// refToken is one normalised word (or special refToken, or "!"/"?", or a symbol
// such as an emoji) of a text.
type refToken struct {
	// Text is the normalised form: lowercased, repeated letters squeezed to
	// two, digits replaced.
	Text string
	// Negated is true when the refToken follows a negation word ("not",
	// "never", "don't", ...) within the same clause.
	Negated bool
	// Word is true for ordinary words, the only tokens that get character
	// n-grams.
	Word bool
}

// refNegators start a negation scope. Words ending in "n't" do too.
var refNegators = map[string]bool{
	"not": true, "no": true, "never": true, "nothing": true, "nobody": true,
	"none": true, "nor": true, "neither": true, "nowhere": true, "cannot": true,
	"without": true, "dont": true, "cant": true, "wont": true, "didnt": true,
	"doesnt": true, "isnt": true, "wasnt": true, "havent": true, "hasnt": true,
	"hadnt": true, "couldnt": true, "wouldnt": true, "shouldnt": true,
	"arent": true, "werent": true, "aint": true,
}

// refNegationScope is how many words after a negator are marked as negated.
// The scope ends sooner at clause punctuation or "but".
const refNegationScope = 10

func refIsNegator(w string) bool {
	return refNegators[w] || strings.HasSuffix(w, "n't")
}

// Normalize returns the normalised tokens of text joined by single spaces,
// with negated words prefixed by "not_". It is the exact view of the text
// that the model's word features see, exported for tests and debugging.
func refNormalize(text string) string {
	toks := refTokenize(text)
	parts := make([]string, len(toks))
	for i, t := range toks {
		if t.Negated {
			parts[i] = "not_" + t.Text
		} else {
			parts[i] = t.Text
		}
	}
	return strings.Join(parts, " ")
}

// tokenize splits text into normalised tokens:
//   - HTML entities are decoded, text is lowercased, curly quotes are made
//     straight;
//   - links become <url>, e-mail addresses <email>, @handles <user>,
//     numbers <num>
//     (digits inside words become 0: "10am" -> "0am");
//   - a '#' before a word is dropped ("#fail" -> "fail");
//   - a letter repeated three or more times is squeezed to two ("sooo" ->
//     "soo");
//   - runs of '!' or '?' become one "!" or "?" refToken; other symbols
//     (emoji) are tokens of their own; other punctuation only separates
//     words and ends a negation scope;
//   - up to refNegationScope words after a negation word are marked Negated,
//     up to the end of the clause (punctuation or "but").
func refTokenize(text string) []refToken {
	text = html.UnescapeString(text)
	text = strings.ToLower(text)
	text = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u02bc", "'", "`", "'").Replace(text)

	var toks []refToken
	negLeft := 0 // words still to mark as negated
	clauseEnd := func() { negLeft = 0 }
	addWord := func(w string) {
		w = strings.Trim(w, "'")
		if w == "" {
			return
		}
		w = refNormalizeWord(w)
		if w == "but" {
			clauseEnd()
		}
		t := refToken{Text: w, Word: w != refTokNum}
		if negLeft > 0 {
			t.Negated = true
			negLeft--
		}
		toks = append(toks, t)
		if refIsNegator(w) {
			negLeft = refNegationScope
		}
	}
	addSpecial := func(s string) {
		toks = append(toks, refToken{Text: s})
	}

	for _, chunk := range strings.Fields(text) {
		bare := strings.Trim(chunk, "()[]<>\"'.,;:!?")
		switch {
		case strings.HasPrefix(bare, "http://"), strings.HasPrefix(bare, "https://"),
			strings.HasPrefix(bare, "www."):
			addSpecial(refTokURL)
			continue
		case refIsEmail(bare):
			addSpecial(refTokEmail)
			continue
		}
		i := 0
		for i < len(chunk) {
			r, size := utf8.DecodeRuneInString(chunk[i:])
			switch {
			case r == '@' && i+size < len(chunk) && refIsHandleRune(chunk[i+size]):
				j := i + size
				for j < len(chunk) && refIsHandleRune(chunk[j]) {
					j++
				}
				addSpecial(refTokUser)
				i = j
			case refIsWordRune(r):
				j := i
				for j < len(chunk) {
					r2, s2 := utf8.DecodeRuneInString(chunk[j:])
					if !refIsWordRune(r2) {
						// Keep "10:30", "3.5" and "1,000" whole.
						if (r2 == '.' || r2 == ',' || r2 == ':') && j > i && refIsDigit(chunk[j-1]) &&
							j+1 < len(chunk) && refIsDigit(chunk[j+1]) {
							j++
							continue
						}
						break
					}
					j += s2
				}
				addWord(chunk[i:j])
				i = j
			case r == '!' || r == '?':
				j := i
				for j < len(chunk) && (chunk[j] == '!' || chunk[j] == '?') {
					j++
				}
				// "?!" and "!?" count as "?": a question asked in anger is
				// still a question.
				if strings.IndexByte(chunk[i:j], '?') >= 0 {
					addSpecial("?")
				} else {
					addSpecial("!")
				}
				clauseEnd()
				i = j
			case r == '#' || r == '-' || r == '_' || r == '/' || r == '&' || r == '"' || r == '(' || r == ')' || r == '*':
				i += size // separators that do not end a clause
			case unicode.IsSymbol(r) || (r >= 0x1F000 && r <= 0x1FAFF):
				if r != '\ufe0f' && r != utf8.RuneError && !unicode.Is(unicode.Sk, r) {
					addSpecial(string(r))
				}
				i += size
			default:
				// . , ; : and any other punctuation.
				if unicode.IsPunct(r) {
					clauseEnd()
				}
				i += size
			}
		}
	}
	return toks
}

// isEmail reports whether s looks like an e-mail address: something, '@',
// then a domain with a dot.
func refIsEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 {
		return false
	}
	dot := strings.LastIndexByte(s[at:], '.')
	return dot > 1 && at+dot < len(s)-1
}

func refIsDigit(b byte) bool { return b >= '0' && b <= '9' }

func refIsHandleRune(b byte) bool {
	return b == '_' || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z')
}

func refIsWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || unicode.Is(unicode.Mn, r)
}

// normalizeWord maps numbers to <num>, digits in words to 0, and squeezes
// letters repeated three or more times to two.
func refNormalizeWord(w string) string {
	hasDigit, hasLetter := false, false
	for _, r := range w {
		if unicode.IsDigit(r) {
			hasDigit = true
		} else if unicode.IsLetter(r) {
			hasLetter = true
		}
	}
	if hasDigit && !hasLetter {
		return refTokNum
	}
	var b strings.Builder
	b.Grow(len(w))
	var prev rune = -1
	run := 0
	prevDigit := false
	for _, r := range w {
		if unicode.IsDigit(r) {
			if !prevDigit {
				b.WriteByte('0')
			}
			prevDigit = true
			prev, run = -1, 0
			continue
		}
		if prevDigit && (r == '.' || r == ',' || r == ':') {
			continue // a separator inside a number ("3.5mg" -> "0mg")
		}
		prevDigit = false
		if r == prev {
			run++
		} else {
			prev, run = r, 1
		}
		if run <= 2 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Feature groups. A feature's key is its group byte followed by its text,
// hashed with 64-bit FNV-1a and reduced to a bucket.
const (
	refGroupWord   byte = 'w' // unigram (negated unigrams are "not_"+word)
	refGroupBigram byte = 'b' // two consecutive tokens, plain forms
	refGroupChar   byte = 'c' // character n-gram inside "<word>"
)

const (
	refFnvOffset uint64 = 14695981039346656037
	refFnvPrime  uint64 = 1099511628211
)

func refHashStart(group byte) uint64 {
	return (refFnvOffset ^ uint64(group)) * refFnvPrime
}

func refHashAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * refFnvPrime
	}
	return h
}

func refHashAddBytes(h uint64, s []byte) uint64 {
	for _, c := range s {
		h = (h ^ uint64(c)) * refFnvPrime
	}
	return h
}

// refNamedFeature is one occurrence of a feature in a text, before
// bucketing, with the phrase it is reported as by Explain.
type refNamedFeature struct {
	Hash  uint64
	Group byte
	Owner string // only filled in when asked for
}

// rawFeatures lists every feature occurrence of text (word unigrams, word
// bigrams, character n-grams), sorted by hash (then owner). With owners,
// each carries the phrase it is attributed to: a unigram and the
// character n-grams of a word belong to that word, a bigram to its two
// words.
func refRawFeatures(text string, cfg featureConfig, owners bool) []refNamedFeature {
	toks := refTokenize(text)
	out := make([]refNamedFeature, 0, len(toks)*16)
	for i, t := range toks {
		var owner string
		if owners {
			owner = refDisplayWord(t)
		}
		h := refHashStart(refGroupWord)
		if t.Negated {
			h = refHashAdd(h, "not_")
		}
		out = append(out, refNamedFeature{Hash: refHashAdd(h, t.Text), Group: refGroupWord, Owner: owner})
		if cfg.Bigrams && i+1 < len(toks) {
			n := toks[i+1]
			h := refHashAdd(refHashAdd(refHashAdd(refHashStart(refGroupBigram), t.Text), " "), n.Text)
			var bo string
			if owners {
				bo = t.Text + " " + n.Text
			}
			out = append(out, refNamedFeature{Hash: h, Group: refGroupBigram, Owner: bo})
		}
		if t.Word && cfg.chars() {
			out = refAppendCharGrams(out, t.Text, owner, cfg.CharMin, cfg.CharMax)
		}
	}
	slices.SortFunc(out, func(a, b refNamedFeature) int {
		if c := cmp.Compare(a.Hash, b.Hash); c != 0 {
			return c
		}
		return strings.Compare(a.Owner, b.Owner)
	})
	return out
}

// displayWord is how a refToken is named to a person.
func refDisplayWord(t refToken) string {
	if t.Negated {
		return "not … " + t.Text
	}
	return t.Text
}

func refAppendCharGrams(out []refNamedFeature, w, owner string, nmin, nmax int) []refNamedFeature {
	// Byte offsets of rune starts in "<" + w + ">".
	padded := "<" + w + ">"
	starts := make([]int, 0, len(padded)+1)
	for i := range padded {
		starts = append(starts, i)
	}
	starts = append(starts, len(padded))
	runes := len(starts) - 1
	base := refHashStart(refGroupChar)
	for n := nmin; n <= nmax; n++ {
		for s := 0; s+n <= runes; s++ {
			h := refHashAdd(base, padded[starts[s]:starts[s+n]])
			out = append(out, refNamedFeature{Hash: h, Group: refGroupChar, Owner: owner})
		}
	}
	return out
}

// groupValues is the value every distinct feature of each group gets:
// features are binary, and the distinct word features (unigrams and
// bigrams) of a text share unit L2 norm while its distinct character
// n-grams share a norm of CharWeight.
func refGroupValues(raw []refNamedFeature, cfg featureConfig) (word, char float32) {
	var nWord, nChar int
	for i, f := range raw {
		if i > 0 && f.Hash == raw[i-1].Hash {
			continue
		}
		if f.Group == refGroupChar {
			nChar++
		} else {
			nWord++
		}
	}
	if nWord > 0 {
		word = float32(1 / math.Sqrt(float64(nWord)))
	}
	if nChar > 0 {
		char = float32(cfg.CharWeight / math.Sqrt(float64(nChar)))
	}
	return word, char
}

// vectorize turns raw features (sorted by hash) into a sparse vector
// sorted by bucket. Distinct features that collide in a bucket add up.
func refVectorize(raw []refNamedFeature, cfg featureConfig) []feature {
	vWord, vChar := refGroupValues(raw, cfg)
	feats := make([]feature, 0, len(raw))
	for i, f := range raw {
		if i > 0 && f.Hash == raw[i-1].Hash {
			continue
		}
		v := vWord
		if f.Group == refGroupChar {
			v = vChar
		}
		feats = append(feats, feature{Bucket: cfg.bucket(f.Hash), Value: v})
	}
	slices.SortFunc(feats, func(a, b feature) int { return cmp.Compare(a.Bucket, b.Bucket) })
	merged := feats[:0]
	for _, f := range feats {
		if n := len(merged); n > 0 && merged[n-1].Bucket == f.Bucket {
			merged[n-1].Value += f.Value
			continue
		}
		merged = append(merged, f)
	}
	return merged
}

func refFeaturize(text string, cfg featureConfig) []feature {
	return refVectorize(refRawFeatures(text, cfg, false), cfg)
}

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
func (m *Model) refExplain(text, label string, k int) (toward, against []Contribution) {
	li := sort.SearchStrings(m.labels, label)
	if li >= len(m.labels) || m.labels[li] != label || k <= 0 {
		return nil, nil
	}
	byOwner := m.refContributions(text, li)
	all := make([]Contribution, 0, len(byOwner))
	for name, w := range byOwner {
		if w != 0 && !math.IsNaN(w) && !functionWords(name) {
			all = append(all, Contribution{Feature: name, Weight: w})
		}
	}
	sort.Slice(all, func(a, b int) bool {
		if all[a].Weight != all[b].Weight {
			return all[a].Weight > all[b].Weight
		}
		return all[a].Feature < all[b].Feature
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
	return toward, against
}

// contributions is every phrase's contribution to label li's score
// (without the bias), as Explain defines it.
func (m *Model) refContributions(text string, li int) map[string]float64 {
	L := len(m.labels)
	cfg := m.opts.features()
	raw := refRawFeatures(text, cfg, true)
	vWord, vChar := refGroupValues(raw, cfg)
	byOwner := map[string]float64{}
	for i := 0; i < len(raw); {
		j := i + 1
		for j < len(raw) && raw[j].Hash == raw[i].Hash {
			j++
		}
		v := vWord
		if raw[i].Group == refGroupChar {
			v = vChar
		}
		row := m.row(cfg.bucket(raw[i].Hash))
		var others float64
		for k, w := range row {
			if k != li {
				others += float64(w)
			}
		}
		d := float64(v) * (float64(row[li]) - others/float64(L-1)) / m.cal.Temperature
		// A feature that occurs several times (a character n-gram shared
		// by several words) is shared equally among its occurrences.
		share := d / float64(j-i)
		for t := i; t < j; t++ {
			byOwner[displayPhrase(raw[t].Owner)] += share
		}
		i = j
	}
	return byOwner
}
