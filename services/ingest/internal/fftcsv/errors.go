package fftcsv

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// RowError is a problem with one card (one row) of the file. Problem says what is wrong and how to
// put it right; it never contains the card's free text.
type RowError struct {
	// Row is the row number a spreadsheet program shows for the card; the header is row 1. It
	// differs from Line once an earlier card's text has run over several lines.
	Row int
	// Line is the line of the file the card starts on; the header is line 1.
	Line int
	// Field is the column at fault: date, answer, text or practice; empty when the whole row is.
	Field string
	// Problem is what is wrong and what to do about it.
	Problem string
}

// Error reads like: row 7 (line 7), answer: "Brilliant" is not an FFT answer; use one of: ...
func (e RowError) Error() string {
	where := fmt.Sprintf("row %d (line %d)", e.Row, e.Line)
	if e.Field == "" {
		return where + ": " + e.Problem
	}
	return where + ", " + e.Field + ": " + e.Problem
}

// FileError is a problem with the file as a whole, such as a missing header column or too many
// rows: nothing in the file can be imported until it is fixed. Problem says what to do.
type FileError struct {
	// Line is the line the problem is on, or 0 when it is not on one line.
	Line int
	// Problem is what is wrong and what to do about it.
	Problem string
}

// Error reads like: line 1: the header has no column "answer"; ...
func (e *FileError) Error() string {
	if e.Line == 0 {
		return e.Problem
	}
	return "line " + strconv.Itoa(e.Line) + ": " + e.Problem
}

// maxEcho is the longest value a message repeats.
const maxEcho = 40

// echo quotes a short value for a message. A longer value is only described: a long value in the
// date, answer or practice column is most likely a card's text in the wrong column.
func echo(s string) string {
	if n := utf8.RuneCountInString(s); n > maxEcho {
		return fmt.Sprintf("the %d-character value", n)
	}
	return strconv.Quote(s)
}
