package textrules

import "regexp"

// A pattern is a maintained regular expression with what its matches require (see requirement).
// The rules run it only on a text that meets the requirement, and then exactly as written, so a
// rule finds what it always found; the requirement only spares the rule the texts it cannot match.
// A pattern belongs to the one screen built with it, which numbers its requirement's literals.
type pattern struct {
	re   *regexp.Regexp
	need requirement
}

// newPattern compiles a pattern for the screen; register it before the screen is built.
func newPattern(expr string) *pattern {
	re := regexp.MustCompile(expr)
	return &pattern{re: re, need: requirementOf(re)}
}

func newPatterns(exprs ...string) []*pattern {
	out := make([]*pattern, len(exprs))
	for i, e := range exprs {
		out[i] = newPattern(e)
	}
	return out
}

// findString is the pattern's leftmost match in the text, or "" (also for a text it cannot match).
func (p *pattern) findString(text string, sn seen) string {
	if !sn.mayMatch(p) {
		return ""
	}
	return p.re.FindString(text)
}

// matchString reports whether the pattern matches the text.
func (p *pattern) matchString(text string, sn seen) bool {
	return sn.mayMatch(p) && p.re.MatchString(text)
}
