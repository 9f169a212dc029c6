package model

import (
	"cmp"
	"html"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Special tokens that stand in for things whose exact value carries no
// signal (and, for handles and links, could identify someone).
const (
	tokURL   = "<url>"
	tokEmail = "<email>"
	tokUser  = "<user>"
	tokNum   = "<num>"
)

// token is one normalised word (or special token, or "!"/"?", or a symbol
// such as an emoji) of a text.
type token struct {
	// Text is the normalised form: lowercased, repeated letters squeezed to
	// two, digits replaced.
	Text string
	// Negated is true when the token follows a negation word ("not",
	// "never", "don't", ...) within the same clause.
	Negated bool
	// Word is true for ordinary words, the only tokens that get character
	// n-grams.
	Word bool
}

// negators start a negation scope. Words ending in "n't" do too.
var negators = map[string]bool{
	"not": true, "no": true, "never": true, "nothing": true, "nobody": true,
	"none": true, "nor": true, "neither": true, "nowhere": true, "cannot": true,
	"without": true, "dont": true, "cant": true, "wont": true, "didnt": true,
	"doesnt": true, "isnt": true, "wasnt": true, "havent": true, "hasnt": true,
	"hadnt": true, "couldnt": true, "wouldnt": true, "shouldnt": true,
	"arent": true, "werent": true, "aint": true,
}

// negationScope is how many words after a negator are marked as negated.
// The scope ends sooner at clause punctuation or "but".
const negationScope = 10

func isNegator(w string) bool {
	return negators[w] || strings.HasSuffix(w, "n't")
}

// Normalize returns the normalised tokens of text joined by single spaces,
// with negated words prefixed by "not_". It is the exact view of the text
// that the model's word features see, exported for tests and debugging.
func Normalize(text string) string {
	toks := tokenize(text)
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
//   - runs of '!' or '?' become one "!" or "?" token; other symbols
//     (emoji) are tokens of their own; other punctuation only separates
//     words and ends a negation scope;
//   - up to negationScope words after a negation word are marked Negated,
//     up to the end of the clause (punctuation or "but").
func tokenize(text string) []token {
	text = html.UnescapeString(text)
	text = strings.ToLower(text)
	text = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u02bc", "'", "`", "'").Replace(text)

	var toks []token
	negLeft := 0 // words still to mark as negated
	clauseEnd := func() { negLeft = 0 }
	addWord := func(w string) {
		w = strings.Trim(w, "'")
		if w == "" {
			return
		}
		w = normalizeWord(w)
		if w == "but" {
			clauseEnd()
		}
		t := token{Text: w, Word: w != tokNum}
		if negLeft > 0 {
			t.Negated = true
			negLeft--
		}
		toks = append(toks, t)
		if isNegator(w) {
			negLeft = negationScope
		}
	}
	addSpecial := func(s string) {
		toks = append(toks, token{Text: s})
	}

	for _, chunk := range strings.Fields(text) {
		bare := strings.Trim(chunk, "()[]<>\"'.,;:!?")
		switch {
		case strings.HasPrefix(bare, "http://"), strings.HasPrefix(bare, "https://"),
			strings.HasPrefix(bare, "www."):
			addSpecial(tokURL)
			continue
		case isEmail(bare):
			addSpecial(tokEmail)
			continue
		}
		i := 0
		for i < len(chunk) {
			r, size := utf8.DecodeRuneInString(chunk[i:])
			switch {
			case r == '@' && i+size < len(chunk) && isHandleRune(chunk[i+size]):
				j := i + size
				for j < len(chunk) && isHandleRune(chunk[j]) {
					j++
				}
				addSpecial(tokUser)
				i = j
			case isWordRune(r):
				j := i
				for j < len(chunk) {
					r2, s2 := utf8.DecodeRuneInString(chunk[j:])
					if !isWordRune(r2) {
						// Keep "10:30", "3.5" and "1,000" whole.
						if (r2 == '.' || r2 == ',' || r2 == ':') && j > i && isDigit(chunk[j-1]) &&
							j+1 < len(chunk) && isDigit(chunk[j+1]) {
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
func isEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 {
		return false
	}
	dot := strings.LastIndexByte(s[at:], '.')
	return dot > 1 && at+dot < len(s)-1
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func isHandleRune(b byte) bool {
	return b == '_' || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z')
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || unicode.Is(unicode.Mn, r)
}

// normalizeWord maps numbers to <num>, digits in words to 0, and squeezes
// letters repeated three or more times to two.
func normalizeWord(w string) string {
	hasDigit, hasLetter := false, false
	for _, r := range w {
		if unicode.IsDigit(r) {
			hasDigit = true
		} else if unicode.IsLetter(r) {
			hasLetter = true
		}
	}
	if hasDigit && !hasLetter {
		return tokNum
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

func hashAddBytes(h uint64, s []byte) uint64 {
	for _, c := range s {
		h = (h ^ uint64(c)) * fnvPrime
	}
	return h
}

// feature is one active feature of a text: a bucket and its value.
type feature struct {
	Bucket uint32
	Value  float32
}

// namedFeature is one occurrence of a feature in a text, before
// bucketing, with the phrase it is reported as by Explain.
type namedFeature struct {
	Hash  uint64
	Group byte
	Owner string // only filled in when asked for
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

// rawFeatures lists every feature occurrence of text (word unigrams, word
// bigrams, character n-grams), sorted by hash (then owner). With owners,
// each carries the phrase it is attributed to: a unigram and the
// character n-grams of a word belong to that word, a bigram to its two
// words.
func rawFeatures(text string, cfg featureConfig, owners bool) []namedFeature {
	toks := tokenize(text)
	out := make([]namedFeature, 0, len(toks)*16)
	for i, t := range toks {
		var owner string
		if owners {
			owner = displayWord(t)
		}
		h := hashStart(groupWord)
		if t.Negated {
			h = hashAdd(h, "not_")
		}
		out = append(out, namedFeature{Hash: hashAdd(h, t.Text), Group: groupWord, Owner: owner})
		if cfg.Bigrams && i+1 < len(toks) {
			n := toks[i+1]
			h := hashAdd(hashAdd(hashAdd(hashStart(groupBigram), t.Text), " "), n.Text)
			var bo string
			if owners {
				bo = t.Text + " " + n.Text
			}
			out = append(out, namedFeature{Hash: h, Group: groupBigram, Owner: bo})
		}
		if t.Word && cfg.chars() {
			out = appendCharGrams(out, t.Text, owner, cfg.CharMin, cfg.CharMax)
		}
	}
	slices.SortFunc(out, func(a, b namedFeature) int {
		if c := cmp.Compare(a.Hash, b.Hash); c != 0 {
			return c
		}
		return strings.Compare(a.Owner, b.Owner)
	})
	return out
}

// displayWord is how a token is named to a person.
func displayWord(t token) string {
	if t.Negated {
		return "not … " + t.Text
	}
	return t.Text
}

func appendCharGrams(out []namedFeature, w, owner string, nmin, nmax int) []namedFeature {
	// Byte offsets of rune starts in "<" + w + ">".
	padded := "<" + w + ">"
	starts := make([]int, 0, len(padded)+1)
	for i := range padded {
		starts = append(starts, i)
	}
	starts = append(starts, len(padded))
	runes := len(starts) - 1
	base := hashStart(groupChar)
	for n := nmin; n <= nmax; n++ {
		for s := 0; s+n <= runes; s++ {
			h := hashAdd(base, padded[starts[s]:starts[s+n]])
			out = append(out, namedFeature{Hash: h, Group: groupChar, Owner: owner})
		}
	}
	return out
}

// groupValues is the value every distinct feature of each group gets:
// features are binary, and the distinct word features (unigrams and
// bigrams) of a text share unit L2 norm while its distinct character
// n-grams share a norm of CharWeight.
func groupValues(raw []namedFeature, cfg featureConfig) (word, char float32) {
	var nWord, nChar int
	for i, f := range raw {
		if i > 0 && f.Hash == raw[i-1].Hash {
			continue
		}
		if f.Group == groupChar {
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

func (c featureConfig) bucket(h uint64) uint32 { return uint32(h % uint64(c.Buckets)) }

// vectorize turns raw features (sorted by hash) into a sparse vector
// sorted by bucket. Distinct features that collide in a bucket add up.
func vectorize(raw []namedFeature, cfg featureConfig) []feature {
	vWord, vChar := groupValues(raw, cfg)
	feats := make([]feature, 0, len(raw))
	for i, f := range raw {
		if i > 0 && f.Hash == raw[i-1].Hash {
			continue
		}
		v := vWord
		if f.Group == groupChar {
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

func featurize(text string, cfg featureConfig) []feature {
	return vectorize(rawFeatures(text, cfg, false), cfg)
}
