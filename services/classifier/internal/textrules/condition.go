package textrules

import (
	"slices"
	"strings"
)

// condition is an and/or tree whose leaves hold when the text contains any of their literals;
// the zero condition always holds.
type condition struct {
	op       conditionOp
	literals []string    // opAny: sorted, none empty
	parts    []condition // opAnd, opOr
	mask     []maskWord  // opAny: the literals as numbered by the screen that reads texts for them
}

type conditionOp uint8

const (
	opTrue conditionOp = iota
	opAny
	opAnd
	opOr
)

// maskWord is one 64-bit word of a set of literal numbers.
type maskWord struct {
	word int
	bits uint64
}

// anyOf holds when the text contains one of ss; nil, or a set with "", always holds.
func anyOf(ss []string) condition {
	if ss == nil || slices.Contains(ss, "") {
		return condition{}
	}
	return condition{op: opAny, literals: dedupe(ss)}
}

// and holds when every one of cs holds. A part that another part implies is left out.
func and(cs ...condition) condition {
	var parts []condition
	for _, c := range cs {
		switch c.op {
		case opTrue:
		case opAnd:
			parts = append(parts, c.parts...)
		default:
			parts = append(parts, c)
		}
	}
	parts = withoutImplied(parts, func(p, q condition) bool { return q.implies(p) })
	switch len(parts) {
	case 0:
		return condition{}
	case 1:
		return parts[0]
	}
	return condition{op: opAnd, parts: parts}
}

// or holds when one of cs holds. Literal leaves are merged into one, and a part that implies
// another part is left out.
func or(cs ...condition) condition {
	var parts []condition
	var literals []string
	for _, c := range cs {
		switch c.op {
		case opTrue:
			return condition{}
		case opAny:
			literals = append(literals, c.literals...)
		case opOr:
			for _, p := range c.parts {
				if p.op == opAny {
					literals = append(literals, p.literals...)
				} else {
					parts = append(parts, p)
				}
			}
		default:
			parts = append(parts, c)
		}
	}
	if literals != nil {
		parts = append([]condition{anyOf(literals)}, parts...)
	}
	parts = withoutImplied(parts, func(p, q condition) bool { return p.implies(q) })
	switch len(parts) {
	case 0:
		return condition{}
	case 1:
		return parts[0]
	}
	return condition{op: opOr, parts: parts}
}

// withoutImplied drops every part p for which redundant(p, q) holds for another part q; of two
// parts redundant to each other, the first is kept.
func withoutImplied(parts []condition, redundant func(p, q condition) bool) []condition {
	var out []condition
	for i, p := range parts {
		drop := false
		for j, q := range parts {
			if i != j && redundant(p, q) && (j < i || !redundant(q, p)) {
				drop = true
				break
			}
		}
		if !drop {
			out = append(out, p)
		}
	}
	return out
}

// implies reports whether c holding means d holds; false when that is not certain.
func (c condition) implies(d condition) bool {
	switch d.op {
	case opTrue:
		return true
	case opAnd:
		for _, q := range d.parts {
			if !c.implies(q) {
				return false
			}
		}
		return true
	case opOr:
		for _, q := range d.parts {
			if c.implies(q) {
				return true
			}
		}
	}
	switch c.op {
	case opAny:
		if d.op != opAny {
			return false
		}
		// Every literal of c contains a literal of d.
		for _, x := range c.literals {
			if !slices.ContainsFunc(d.literals, func(y string) bool { return strings.Contains(x, y) }) {
				return false
			}
		}
		return true
	case opAnd:
		for _, p := range c.parts {
			if p.implies(d) {
				return true
			}
		}
	case opOr:
		for _, p := range c.parts {
			if !p.implies(d) {
				return false
			}
		}
		return true
	}
	return false
}

// literals lists every literal of the condition.
func (c condition) allLiterals(into []string) []string {
	into = append(into, c.literals...)
	for _, p := range c.parts {
		into = p.allLiterals(into)
	}
	return into
}

// String shows a condition, for tests and for reading what a rule requires.
func (c condition) String() string {
	switch c.op {
	case opAny:
		if len(c.literals) == 1 {
			return `"` + c.literals[0] + `"`
		}
		return `("` + strings.Join(c.literals, `" | "`) + `")`
	case opAnd, opOr:
		sep := " & "
		if c.op == opOr {
			sep = " | "
		}
		parts := make([]string, len(c.parts))
		for i, p := range c.parts {
			parts[i] = p.String()
		}
		return "(" + strings.Join(parts, sep) + ")"
	}
	return "true"
}
