package model

import (
	"html"
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
func tokenize(text string) []token { return appendTokens(nil, text) }

// appendTokens appends text's tokens (see tokenize) to toks.
func appendTokens(toks []token, text string) []token {
	text = html.UnescapeString(text)
	text = strings.ToLower(text)
	if strings.IndexByte(text, '`') >= 0 || !isASCII(text) {
		text = straightQuotes.Replace(text)
	}

	toks = slices.Grow(toks, len(text)/5+1)
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

	for chunk := range strings.FieldsSeq(text) {
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

var straightQuotes = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u02bc", "'", "`", "'")

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
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
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '\''
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || unicode.Is(unicode.Mn, r)
}

// normalizeWord maps numbers to <num>, digits in words to 0, and squeezes
// letters repeated three or more times to two.
func normalizeWord(w string) string {
	if plainWord(w) {
		return w
	}
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

// plainWord reports whether normalizeWord leaves w as it is: ASCII, no digit, no character three
// times in a row.
func plainWord(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf || '0' <= c && c <= '9' || i >= 2 && c == w[i-1] && c == w[i-2] {
			return false
		}
	}
	return true
}
