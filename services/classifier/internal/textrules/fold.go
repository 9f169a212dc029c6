package textrules

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// fold maps text to the form literals are looked for in: every character becomes the first
// character of its case-folding orbit (lower case for ASCII letters), so that a pattern's
// literal, with or without (?i), is found in the folded text wherever the pattern could match it
// ("K" the Kelvin sign and "ſ" the long s fold to "k" and "s" as (?i) matches them), and every
// character of \s (tab, new line, form feed, carriage return) becomes a space. Invalid UTF-8
// becomes U+FFFD, as regexp reads it. Text and literals fold alike, so whatever a pattern
// matches, the folded text contains its folded literals.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		b := []byte(s)
		for i, c := range b {
			b[i] = foldASCII[c]
		}
		return string(b)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// foldASCII is fold for each ASCII byte.
var foldASCII = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		t[c] = byte(c)
		switch {
		case 'A' <= c && c <= 'Z':
			t[c] = byte(c) + 'a' - 'A'
		case c == '\t' || c == '\n' || c == '\f' || c == '\r':
			t[c] = ' '
		}
	}
	return t
}()

func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		return rune(foldASCII[r])
	}
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	if least < utf8.RuneSelf {
		return rune(foldASCII[least])
	}
	return least
}
