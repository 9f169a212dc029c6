// Package wire writes and reads JSON exactly as encoding/json does, without its reflection, for
// the few types that travel in every event and every batch of rows. A Writer or Reader that meets
// a value encoding/json would write or read differently says so (Failed), and its caller then
// uses encoding/json itself: the bytes and values are encoding/json's either way.
package wire

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Writer writes one JSON document, in the order its methods are called: BeginObject, then Field
// and a value for each field, then EndObject; arrays likewise, values without Field. A value that
// encoding/json refuses to write (NaN, a time outside the years 0–9999) makes Failed true.
type Writer struct {
	buf    []byte
	comma  bool // a value was written last: the next field or element needs a comma first
	failed bool
}

// NewWriter returns a writer that appends to buf.
func NewWriter(buf []byte) *Writer { return &Writer{buf: buf} }

// Bytes is what has been written.
func (w *Writer) Bytes() []byte { return w.buf }

// Failed reports whether a value had no JSON that encoding/json would write.
func (w *Writer) Failed() bool { return w.failed }

// Field starts an object's field: the value written next is key's. Keys are the caller's own
// names and are written as they are.
func (w *Writer) Field(key string) *Writer {
	w.separate()
	w.buf = append(w.buf, '"')
	w.buf = append(w.buf, key...)
	w.buf = append(w.buf, '"', ':')
	w.comma = false
	return w
}

func (w *Writer) separate() {
	if w.comma {
		w.buf = append(w.buf, ',')
	}
}

// value appends one value, with the comma before it if one is due.
func (w *Writer) value(appendValue func([]byte) []byte) {
	w.separate()
	w.buf = appendValue(w.buf)
	w.comma = true
}

// BeginObject starts an object.
func (w *Writer) BeginObject() { w.begin('{') }

// EndObject ends the object begun last.
func (w *Writer) EndObject() { w.end('}') }

// BeginArray starts an array.
func (w *Writer) BeginArray() { w.begin('[') }

// EndArray ends the array begun last.
func (w *Writer) EndArray() { w.end(']') }

func (w *Writer) begin(bracket byte) {
	w.separate()
	w.buf = append(w.buf, bracket)
	w.comma = false
}

func (w *Writer) end(bracket byte) {
	w.buf = append(w.buf, bracket)
	w.comma = true
}

// String writes s as a JSON string.
func (w *Writer) String(s string) { w.value(func(b []byte) []byte { return appendString(b, s) }) }

// WriteStrings writes a list of strings (of any string type); a nil list is null, as
// encoding/json writes it.
func WriteStrings[S ~string](w *Writer, list []S) {
	if list == nil {
		w.value(func(b []byte) []byte { return append(b, "null"...) })
		return
	}
	w.BeginArray()
	for _, s := range list {
		w.String(string(s))
	}
	w.EndArray()
}

// Int writes n.
func (w *Writer) Int(n int) {
	w.value(func(b []byte) []byte { return strconv.AppendInt(b, int64(n), 10) })
}

// Bool writes true or false.
func (w *Writer) Bool(v bool) { w.value(func(b []byte) []byte { return strconv.AppendBool(b, v) }) }

// UUID writes u as a string in its canonical form.
func (w *Writer) UUID(u uuid.UUID) { w.value(func(b []byte) []byte { return appendUUID(b, u) }) }

// Float writes f as encoding/json writes a float64; NaN and the infinities fail.
func (w *Writer) Float(f float64) {
	w.value(func(b []byte) []byte {
		b, ok := appendFloat(b, f)
		w.failed = w.failed || !ok
		return b
	})
}

// Time writes t as time.Time's MarshalJSON does; a time it refuses fails.
func (w *Writer) Time(t time.Time) {
	w.value(func(b []byte) []byte {
		b, ok := appendTime(b, t)
		w.failed = w.failed || !ok
		return b
	})
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaped as encoding/json escapes it: quotes,
// backslashes and control characters; <, > and & (for HTML); U+2028 and U+2029; and every byte
// of invalid UTF-8 as U+FFFD.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if safe[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// safe holds the ASCII bytes a JSON string holds as they are.
var safe = func() (p [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		p[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return p
}()

// appendFloat appends f as encoding/json writes a float64. NaN and the infinities have no JSON:
// ok is false.
func appendFloat(dst []byte, f float64) (out []byte, ok bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return dst, false
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' { // e-07 is written e-7
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, true
}

// appendUUID appends u as a JSON string in its canonical form.
func appendUUID(dst []byte, u uuid.UUID) []byte {
	dst = append(dst, '"')
	for i, b := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hexDigits[b>>4], hexDigits[b&0xf])
	}
	return append(dst, '"')
}

// appendTime appends t as time.Time's MarshalJSON writes it (RFC 3339 with nanoseconds). A year
// outside 0–9999 or a zone offset of a day or more has no such form: ok is false.
func appendTime(dst []byte, t time.Time) (out []byte, ok bool) {
	if y := t.Year(); y < 0 || y > 9999 {
		return dst, false
	}
	if _, offset := t.Zone(); offset <= -24*60*60 || offset >= 24*60*60 {
		return dst, false
	}
	dst = append(dst, '"')
	dst = t.AppendFormat(dst, time.RFC3339Nano)
	return append(dst, '"'), true
}
