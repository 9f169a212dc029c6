package wire

import (
	"bytes"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Reader reads one JSON document the way encoding/json.Unmarshal would, for callers that know
// its shape. At anything it cannot read exactly as encoding/json does (a key it was not told of,
// a null where a value is wanted, an escaped surrogate, invalid UTF-8, a malformed document) it
// stops and Failed reports true; the caller then leaves the document to encoding/json, which
// gives the same values where both succeed and its own error where it fails.
type Reader struct {
	data   []byte
	i      int
	failed bool
	buf    []byte
}

// NewReader returns a reader at the start of data.
func NewReader(data []byte) *Reader { return &Reader{data: data} }

// Failed reports whether the reader stopped at something it does not read.
func (r *Reader) Failed() bool { return r.failed }

// End checks that nothing but white space follows the document.
func (r *Reader) End() {
	r.space()
	if r.i != len(r.data) {
		r.fail()
	}
}

func (r *Reader) fail() {
	r.failed = true
	r.i = len(r.data)
}

func (r *Reader) space() {
	for r.i < len(r.data) {
		switch r.data[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// next consumes c, after white space, if it is next.
func (r *Reader) next(c byte) bool {
	r.space()
	if r.i < len(r.data) && r.data[r.i] == c {
		r.i++
		return true
	}
	return false
}

// Object reads an object, calling field with each key; field reads the key's value with the
// reader's methods. Keys are compared as written: a key with an escape fails.
func (r *Reader) Object(field func(key []byte)) {
	if !r.next('{') {
		r.fail()
		return
	}
	if r.next('}') {
		return
	}
	for !r.failed {
		key, escaped := r.literal()
		if escaped || !r.next(':') {
			r.fail()
			return
		}
		field(key[1 : len(key)-1])
		if r.next(',') {
			continue
		}
		if !r.next('}') {
			r.fail()
		}
		return
	}
}

// Unknown is what field does with a key it was not told of: encoding/json would ignore the key
// or match it to a field whatever its case, so the document is left to it.
func (r *Reader) Unknown() { r.fail() }

// literal reads a string and returns it as written, quotes and escapes included, and whether it
// holds an escape. It checks that the string is valid JSON.
func (r *Reader) literal() (raw []byte, escaped bool) {
	r.space()
	if r.i >= len(r.data) || r.data[r.i] != '"' {
		r.fail()
		return nil, false
	}
	start := r.i
	for j := start + 1; j < len(r.data); j++ {
		for j < len(r.data) && plain[r.data[j]] {
			j++
		}
		if j == len(r.data) {
			break
		}
		switch c := r.data[j]; {
		case c == '"':
			r.i = j + 1
			return r.data[start:r.i], escaped
		case c < 0x20:
			r.fail()
			return nil, false
		case c == '\\':
			escaped = true
			j++
			if j >= len(r.data) {
				r.fail()
				return nil, false
			}
			switch r.data[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(r.data) {
					r.fail()
					return nil, false
				}
				for _, h := range r.data[j+1 : j+5] {
					if hexValue(h) < 0 {
						r.fail()
						return nil, false
					}
				}
				j += 4
			default:
				r.fail()
				return nil, false
			}
		}
	}
	r.fail()
	return nil, false
}

// text reads a string's content, unescaped. It is in the reader's memory until the next read.
func (r *Reader) text() []byte {
	raw, escaped := r.literal()
	if r.failed {
		return nil
	}
	s := raw[1 : len(raw)-1]
	if escaped {
		s = r.unescape(s)
	}
	if !r.failed && !utf8.Valid(s) { // encoding/json would put U+FFFD for each bad byte
		r.fail()
		return nil
	}
	return s
}

// unescape is s with its escapes (which literal checked) replaced by what they stand for.
func (r *Reader) unescape(s []byte) []byte {
	out := r.buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		switch s[i] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			var rn rune
			for _, h := range s[i+1 : i+5] {
				rn = rn<<4 | rune(hexValue(h))
			}
			if utf16.IsSurrogate(rn) { // pairs and lone halves: left to encoding/json
				r.fail()
				return nil
			}
			out = utf8.AppendRune(out, rn)
			i += 4
		default: // " \ /
			out = append(out, s[i])
		}
	}
	r.buf = out
	return out
}

// plain holds the bytes a string holds as they are: all but the quote, the backslash and control
// characters.
var plain = func() (p [256]bool) {
	for c := 0x20; c < 256; c++ {
		p[c] = c != '"' && c != '\\'
	}
	return p
}()

func hexValue(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// String reads a string into *s (of any string type).
func String[S ~string](r *Reader, s *S) {
	if t := r.text(); !r.failed {
		*s = S(t)
	}
}

// Strings reads a list of strings, or null (a nil list), into *list.
func Strings[S ~string](r *Reader, list *[]S) {
	if r.null() {
		*list = nil
		return
	}
	if !r.next('[') {
		r.fail()
		return
	}
	out := []S{}
	if !r.next(']') {
		for !r.failed {
			var s S
			String(r, &s)
			out = append(out, s)
			if r.next(',') {
				continue
			}
			if !r.next(']') {
				r.fail()
			}
			break
		}
	}
	if !r.failed {
		*list = out
	}
}

// null consumes a null if it is next.
func (r *Reader) null() bool {
	r.space()
	if bytes.HasPrefix(r.data[r.i:], []byte("null")) {
		r.i += len("null")
		return true
	}
	return false
}

// UUID reads a string holding a UUID, as uuid.UUID's UnmarshalText reads it.
func (r *Reader) UUID(u *uuid.UUID) {
	t := r.text()
	if r.failed {
		return
	}
	v, err := uuid.ParseBytes(t)
	if err != nil {
		r.fail()
		return
	}
	*u = v
}

// Time reads a string holding a time, as time.Time's UnmarshalJSON reads it.
func (r *Reader) Time(t *time.Time) {
	raw, _ := r.literal()
	if r.failed {
		return
	}
	if err := t.UnmarshalJSON(raw); err != nil {
		r.fail()
	}
}

// Bool reads true or false.
func (r *Reader) Bool(b *bool) {
	r.space()
	switch rest := r.data[r.i:]; {
	case bytes.HasPrefix(rest, []byte("true")):
		*b = true
		r.i += len("true")
	case bytes.HasPrefix(rest, []byte("false")):
		*b = false
		r.i += len("false")
	default:
		r.fail()
	}
}

// Float reads a number into a float64.
func (r *Reader) Float(f *float64) {
	n := r.number()
	if r.failed {
		return
	}
	v, err := strconv.ParseFloat(string(n), 64)
	if err != nil {
		r.fail()
		return
	}
	*f = v
}

// Int reads a number into an int; one with a fraction or an exponent fails, as in encoding/json.
func (r *Reader) Int(n *int) {
	lit := r.number()
	if r.failed {
		return
	}
	v, err := strconv.ParseInt(string(lit), 10, 64)
	if err != nil || int64(int(v)) != v {
		r.fail()
		return
	}
	*n = int(v)
}

// number reads a number as JSON's grammar has it: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (r *Reader) number() []byte {
	r.space()
	d, start := r.data, r.i
	i := start
	digits := func() bool {
		from := i
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
		}
		return i > from
	}
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case !digits():
		r.fail()
		return nil
	}
	if i < len(d) && d[i] == '.' {
		i++
		if !digits() {
			r.fail()
			return nil
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if !digits() {
			r.fail()
			return nil
		}
	}
	r.i = i
	return d[start:i]
}
