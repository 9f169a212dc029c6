package textrules

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// A screen reads a text once for the literals of all its patterns' requirements (one pass of an
// Aho-Corasick automaton over the folded text) and tells which patterns may match.
type screen struct {
	literals []string
	// The automaton: state transitions by byte class, the byte classes, and per state the
	// literals that end there (ids[ends[st]:ends[st+1]]).
	next    []int32
	classes [256]uint16
	nclass  int
	ends    []int32
	ids     []int32
	// Where every literal is ASCII, a character outside ASCII only matters if it folds to ASCII
	// (the Kelvin sign, the long s): asciiOnly says so, toASCII lists those characters.
	asciiOnly bool
	toASCII   []rune
}

// newScreen builds the screen for the patterns, numbering the literals of their requirements.
func newScreen(patterns ...*pattern) *screen {
	var all []string
	for _, p := range patterns {
		all = p.need.need.allLiterals(all)
	}
	s := &screen{literals: dedupe(all)}
	for _, p := range patterns {
		s.number(&p.need.need)
	}
	s.build()
	return s
}

func (s *screen) number(c *condition) {
	if c.op == opAny {
		var words []uint64
		for _, lit := range c.literals {
			id, _ := slices.BinarySearch(s.literals, lit)
			for len(words) <= id>>6 {
				words = append(words, 0)
			}
			words[id>>6] |= 1 << (id & 63)
		}
		c.mask = nil
		for w, bits := range words {
			if bits != 0 {
				c.mask = append(c.mask, maskWord{word: w, bits: bits})
			}
		}
	}
	for i := range c.parts {
		s.number(&c.parts[i])
	}
}

// build makes the automaton: a trie of the literals, with failure links folded into a full
// transition table over the byte classes that occur in literals (every other byte is class 0).
func (s *screen) build() {
	for _, lit := range s.literals {
		for i := 0; i < len(lit); i++ {
			if s.classes[lit[i]] == 0 {
				s.nclass++
				s.classes[lit[i]] = uint16(s.nclass)
			}
		}
	}
	s.nclass++
	width := s.nclass
	trie := [][]int32{make([]int32, width)} // child per class; 0 = none (the root is never a child)
	ends := [][]int32{nil}
	for id, lit := range s.literals {
		st := int32(0)
		for i := 0; i < len(lit); i++ {
			c := s.classes[lit[i]]
			if trie[st][c] == 0 {
				trie = append(trie, make([]int32, width))
				ends = append(ends, nil)
				trie[st][c] = int32(len(trie) - 1)
			}
			st = trie[st][c]
		}
		ends[st] = append(ends[st], int32(id))
	}
	// Breadth first: a state's failure is the longest proper suffix of its string that is a trie
	// state; its transitions for missing children are its failure's.
	fail := make([]int32, len(trie))
	s.next = make([]int32, len(trie)*width)
	queue := []int32{}
	for c := 0; c < width; c++ {
		if child := trie[0][c]; child != 0 {
			s.next[c] = child
			queue = append(queue, child)
		}
	}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		ends[st] = append(ends[st], ends[fail[st]]...)
		for c := 0; c < width; c++ {
			if child := trie[st][c]; child != 0 {
				fail[child] = s.next[int(fail[st])*width+c]
				s.next[int(st)*width+c] = child
				queue = append(queue, child)
			} else {
				s.next[int(st)*width+c] = s.next[int(fail[st])*width+c]
			}
		}
	}
	for _, e := range ends {
		s.ends = append(s.ends, int32(len(s.ids)))
		s.ids = append(s.ids, e...)
	}
	s.ends = append(s.ends, int32(len(s.ids)))
	s.asciiOnly = true
	for _, lit := range s.literals {
		for i := 0; i < len(lit); i++ {
			s.asciiOnly = s.asciiOnly && lit[i] < utf8.RuneSelf
		}
	}
	for c := rune(0); c < utf8.RuneSelf; c++ {
		for f := unicode.SimpleFold(c); f != c; f = unicode.SimpleFold(f) {
			if f >= utf8.RuneSelf {
				s.toASCII = append(s.toASCII, f)
			}
		}
	}
}

// seen is what a screen read in one text: which literals it contains, and how many ASCII digits.
type seen struct {
	found  []uint64
	digits int
}

// read folds the text (see fold) on the fly and runs the automaton over it.
func (s *screen) read(text string) seen {
	sn := seen{found: make([]uint64, (len(s.literals)+63)/64)}
	width := int32(s.nclass)
	st := int32(0)
	step := func(class uint16) {
		st = s.next[st*width+int32(class)]
		if from, to := s.ends[st], s.ends[st+1]; from < to {
			for _, id := range s.ids[from:to] {
				sn.found[id>>6] |= 1 << (id & 63)
			}
		}
	}
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(text); {
		b := text[i]
		if b < utf8.RuneSelf {
			if '0' <= b && b <= '9' {
				sn.digits++
			}
			step(s.classes[foldASCII[b]])
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if s.asciiOnly {
			// No literal has a byte of a character outside ASCII: any of them leads back to
			// the start, as class 0 does, unless the character folds to ASCII.
			class := uint16(0)
			if slices.Contains(s.toASCII, r) {
				class = s.classes[foldRune(r)]
			}
			step(class)
			continue
		}
		n := utf8.EncodeRune(buf[:], foldRune(r))
		for _, c := range buf[:n] {
			step(s.classes[c])
		}
	}
	return sn
}

// mayMatch reports whether the pattern's matches could be in the text read.
func (sn seen) mayMatch(p *pattern) bool {
	return sn.digits >= p.need.digits && sn.holds(&p.need.need)
}

func (sn seen) holds(c *condition) bool {
	switch c.op {
	case opAny:
		for _, m := range c.mask {
			if sn.found[m.word]&m.bits != 0 {
				return true
			}
		}
		return false
	case opAnd:
		for i := range c.parts {
			if !sn.holds(&c.parts[i]) {
				return false
			}
		}
		return true
	case opOr:
		for i := range c.parts {
			if sn.holds(&c.parts[i]) {
				return true
			}
		}
		return false
	}
	return true
}
