package textrules

import (
	"regexp"
	"regexp/syntax"
	"slices"
)

// A requirement is what every match of a pattern must contain, worked out from the pattern
// itself: literal pieces of text (in folded form, see fold), combined with and/or, and a least
// number of ASCII digits. A text that does not meet a pattern's requirement cannot match it, so
// the pattern need not run; a text that does still runs the pattern, which alone says what
// matched. Requirements are only ever weaker than their patterns, never stronger.
type requirement struct {
	need   condition
	digits int // ASCII digits every match contains at least
}

// maxExact bounds the sets of strings tracked exactly while a pattern is analysed; beyond it a
// set is replaced by something weaker (never stronger).
const maxExact = 64

// maxClass is the largest character class tracked as its characters (a digit is one of 10).
const maxClass = 10

// requirementOf works out the requirement of a compiled pattern, parsed again the way regexp
// parses it.
func requirementOf(re *regexp.Regexp) requirement {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return requirement{} // cannot happen for a compiled pattern; no requirement is always safe
	}
	tree = tree.Simplify()
	return requirement{need: analyse(tree).all(), digits: minDigits(tree)}
}

// shape is what the analysis knows of a piece of a pattern: either the exact (small) set of
// strings it matches, or strings every match starts with, strings every match ends with, and a
// condition on the rest. A nil prefix or suffix set says nothing.
type shape struct {
	exact          []string
	isExact        bool
	prefix, suffix []string
	need           condition
}

func exactly(ss ...string) shape { return shape{exact: dedupe(ss), isExact: true} }

// starts is the set every match starts with (nil: unknown).
func (s shape) starts() []string {
	if s.isExact {
		return s.exact
	}
	return s.prefix
}

func (s shape) ends() []string {
	if s.isExact {
		return s.exact
	}
	return s.suffix
}

// all is the whole condition every match meets.
func (s shape) all() condition {
	if s.isExact {
		return anyOf(s.exact)
	}
	return and(s.need, anyOf(s.prefix), anyOf(s.suffix))
}

func analyse(re *syntax.Regexp) shape {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return exactly("")
	case syntax.OpLiteral:
		return exactly(fold(string(re.Rune)))
	case syntax.OpCharClass:
		return class(re.Rune)
	case syntax.OpCapture:
		return analyse(re.Sub[0])
	case syntax.OpQuest:
		if sub := analyse(re.Sub[0]); sub.isExact && len(sub.exact) < maxExact {
			return exactly(append([]string{""}, sub.exact...)...)
		}
		return shape{}
	case syntax.OpPlus:
		sub := analyse(re.Sub[0])
		return shape{prefix: sub.starts(), suffix: sub.ends(), need: sub.all()}
	case syntax.OpRepeat:
		if re.Min >= 1 {
			sub := analyse(re.Sub[0])
			return shape{prefix: sub.starts(), suffix: sub.ends(), need: sub.all()}
		}
		return shape{}
	case syntax.OpConcat:
		s := exactly("")
		for _, sub := range re.Sub {
			s = concat(s, analyse(sub))
		}
		return s
	case syntax.OpAlternate:
		return alternate(re.Sub)
	}
	// Any character, star, no match: nothing is known.
	return shape{}
}

func class(ranges []rune) shape {
	var chars []string
	for i := 0; i+1 < len(ranges); i += 2 {
		if ranges[i+1]-ranges[i] >= 4*maxClass {
			return shape{}
		}
		for r := ranges[i]; r <= ranges[i+1]; r++ {
			chars = append(chars, fold(string(r)))
			if len(chars) > 4*maxClass {
				return shape{}
			}
		}
	}
	chars = dedupe(chars)
	if len(chars) == 0 || len(chars) > maxClass {
		return shape{}
	}
	return exactly(chars...)
}

func concat(a, b shape) shape {
	if a.isExact && b.isExact && len(a.exact)*len(b.exact) <= maxExact {
		return exactly(cross(a.exact, b.exact)...)
	}
	var s shape
	switch {
	case !a.isExact:
		s.prefix = a.prefix
	case b.starts() != nil && len(a.exact)*len(b.starts()) <= maxExact:
		s.prefix = cross(a.exact, b.starts())
	default:
		s.prefix = a.exact
	}
	switch {
	case !b.isExact:
		s.suffix = b.suffix
	case a.ends() != nil && len(a.ends())*len(b.exact) <= maxExact:
		s.suffix = cross(a.ends(), b.exact)
	default:
		s.suffix = b.exact
	}
	// Where the two meet, the end of one is followed by the start of the other.
	var seam condition
	if e, st := a.ends(), b.starts(); e != nil && st != nil && len(e)*len(st) <= maxExact {
		seam = anyOf(cross(e, st))
	}
	s.need = and(a.all(), b.all(), seam)
	return s
}

func alternate(subs []*syntax.Regexp) shape {
	shapes := make([]shape, len(subs))
	exact := true
	var union []string
	for i, sub := range subs {
		shapes[i] = analyse(sub)
		exact = exact && shapes[i].isExact
		union = append(union, shapes[i].exact...)
	}
	if exact && len(dedupe(union)) <= maxExact {
		return exactly(union...)
	}
	var s shape
	prefixes, suffixes := []string{}, []string{}
	alts := make([]condition, len(shapes))
	for i, sh := range shapes {
		alts[i] = sh.all()
		if prefixes != nil && sh.starts() != nil {
			prefixes = append(prefixes, sh.starts()...)
		} else {
			prefixes = nil
		}
		if suffixes != nil && sh.ends() != nil {
			suffixes = append(suffixes, sh.ends()...)
		} else {
			suffixes = nil
		}
	}
	if prefixes != nil {
		s.prefix = dedupe(prefixes)
	}
	if suffixes != nil {
		s.suffix = dedupe(suffixes)
	}
	s.need = or(alts...)
	return s
}

// minDigits is the least number of ASCII digits in any match.
func minDigits(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			if r >= '0' && r <= '9' {
				n++
			}
		}
		return n
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return 0
		}
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] < '0' || re.Rune[i+1] > '9' {
				return 0
			}
		}
		return 1
	case syntax.OpCapture:
		return minDigits(re.Sub[0])
	case syntax.OpPlus:
		return minDigits(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min * minDigits(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, sub := range re.Sub {
			n += minDigits(sub)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, sub := range re.Sub {
			if d := minDigits(sub); n < 0 || d < n {
				n = d
			}
		}
		return max(n, 0)
	}
	return 0
}

func cross(a, b []string) []string {
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return dedupe(out)
}

func dedupe(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	return slices.Compact(out)
}
