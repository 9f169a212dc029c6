package fftcsv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on a file; going over one is a FileError.
const (
	// MaxRows is the most cards one file may hold.
	MaxRows = 10_000
	// MaxLineBytes is the longest line, in bytes without its line ending.
	MaxLineBytes = 64 << 10
	// MaxFileBytes is the largest file read: room for MaxRows cards of over 3,000 bytes each.
	MaxFileBytes = 32 << 20
	// MaxTextLength is the longest free text, in characters; a longer one is a RowError.
	MaxTextLength = 10_000
)

// Parse reads a CSV file of typed-up FFT cards and checks every row before returning.
//
// The first line is the header, naming the columns date, answer, text and practice in any order
// (case and surrounding spaces do not matter; any other named column is an error). Each further
// line is a card: a date as YYYY-MM-DD or DD/MM/YYYY, neither after now's date nor more than 12
// months before it (now's date is taken in now's location, so pass UK time); an answer as its
// label in any case and spacing ("Very good", "dont_know") or as 1 to 6 in card order; optional
// text of at most MaxTextLength characters, trimmed; and the slug of a practice, as typed or in
// lower case, for which knownPractice is true (it is asked once per distinct value). Text with commas, quotes or line breaks goes
// in double quotes, with each quote inside doubled (as spreadsheet programs write it). A UTF-8
// byte order mark is skipped, blank lines are skipped (line numbers still count them), and lines
// may end in LF, CRLF or CR.
//
// Parse returns the good cards as rows and the bad ones as row errors, each in file order; the
// caller decides whether to import the good cards when some are bad. The error is nil, a
// *FileError when the file as a whole cannot be taken (not CSV text, header wrong, no cards, more
// than MaxRows cards, a line over MaxLineBytes, a file over MaxFileBytes), or an error from r.
// No message repeats a card's free text.
func Parse(r io.Reader, knownPractice func(slug string) bool, now time.Time) ([]Row, []RowError, error) {
	if knownPractice == nil {
		return nil, nil, errors.New("fftcsv: Parse needs a knownPractice function")
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("reading the CSV file: %w", err)
	}
	if len(data) > MaxFileBytes {
		return nil, nil, &FileError{Problem: fmt.Sprintf("the file is over %d MiB; split it into smaller files", MaxFileBytes>>20)}
	}
	data, ferr := cleanFile(data)
	if ferr != nil {
		return nil, nil, ferr
	}

	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // checked for each row below, so a short or long row is a RowError
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, nil, &FileError{Line: startLine(err), Problem: "the header line is not CSV: " + quoteProblem(err)}
	}
	headerLine, _ := cr.FieldPos(0)
	cols, ferr := readHeader(header, headerLine)
	if ferr != nil {
		return nil, nil, ferr
	}

	p := parser{cols: cols, now: now, known: knownPractice, practices: map[string]string{}}
	var (
		rows    []Row
		rowErrs []RowError
		cards   int
		spill   = newlines(header) // line breaks inside fields so far: Line minus Row
		seen    = map[string]int{}
	)
	for {
		fields, err := cr.Read()
		if err == io.EOF {
			break
		}
		var line, row int
		if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
			line, row = pe.StartLine, pe.StartLine-spill
			spill += pe.Line - pe.StartLine
		} else if err != nil {
			return nil, nil, fmt.Errorf("reading the CSV file: %w", err)
		} else {
			line, _ = cr.FieldPos(0)
			row = line - spill
			spill += newlines(fields)
			if blank(fields) {
				continue
			}
		}
		if cards++; cards > MaxRows {
			return nil, nil, &FileError{Line: line, Problem: fmt.Sprintf(
				"the file has more than %d cards; split it into files of at most %d cards", MaxRows, MaxRows)}
		}

		switch {
		case err != nil:
			rowErrs = append(rowErrs, RowError{Row: row, Line: line, Problem: quoteProblem(err)})
		case len(fields) != cols.width:
			rowErrs = append(rowErrs, RowError{Row: row, Line: line, Problem: fieldCountProblem(len(fields), cols.width)})
		default:
			card, problems := p.card(fields, line, row)
			if len(problems) > 0 {
				rowErrs = append(rowErrs, problems...)
				continue
			}
			key := card.sameCard()
			seen[key]++
			card.Occurrence = seen[key]
			rows = append(rows, card)
		}
	}
	if cards == 0 {
		return nil, nil, &FileError{Problem: "the file has a header but no cards; add one line per card under the header"}
	}
	return rows, rowErrs, nil
}

// parser checks the fields of one card.
type parser struct {
	cols      columns
	now       time.Time
	known     func(string) bool
	practices map[string]string // practice as typed -> slug, or "" if unknown
}

func (p *parser) card(fields []string, line, row int) (Row, []RowError) {
	var problems []RowError
	fail := func(field, format string, args ...any) {
		problems = append(problems, RowError{Row: row, Line: line, Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	get := func(column string) string { return strings.TrimSpace(fields[p.cols.at[column]]) }

	card := Row{Line: line, Text: get("text")}
	var problem string
	if card.Date, problem = cardDate(get("date"), p.now); problem != "" {
		fail("date", "%s", problem)
	}
	answer := get("answer")
	var ok bool
	switch card.Answer, ok = parseAnswer(answer); {
	case answer == "":
		fail("answer", "is required; %s", answerHelp)
	case !ok:
		fail("answer", "%s is not an FFT answer; %s", echo(answer), answerHelp)
	}
	if n := utf8.RuneCountInString(card.Text); n > MaxTextLength {
		fail("text", "is %d characters; at most %d are accepted", n, MaxTextLength)
	}
	practice := get("practice")
	switch card.Practice = p.practice(practice); {
	case practice == "":
		fail("practice", "is required: the slug Signpost knows the practice by")
	case card.Practice == "":
		fail("practice", "%s is not a practice Signpost knows; use the slug Signpost knows the practice by", echo(practice))
	}
	for _, i := range p.cols.unnamed {
		if strings.TrimSpace(fields[i]) != "" {
			fail("", "has a value in column %d, which has no name in the header; move it to the right column or delete it", i+1)
			break
		}
	}
	return card, problems
}

// practice is the slug for a practice as typed, or "" if knownPractice knows neither it nor its
// lower case. Answers are remembered, as knownPractice may be a lookup.
func (p *parser) practice(typed string) string {
	if typed == "" {
		return ""
	}
	slug, done := p.practices[typed]
	if !done {
		switch lower := strings.ToLower(typed); {
		case p.known(typed):
			slug = typed
		case lower != typed && p.known(lower):
			slug = lower
		}
		p.practices[typed] = slug
	}
	return slug
}

func blank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// newlines counts the line breaks inside fields: after cleanFile each is one line of the file.
func newlines(fields []string) int {
	n := 0
	for _, f := range fields {
		n += strings.Count(f, "\n")
	}
	return n
}

func fieldCountProblem(got, want int) string {
	hint := "is a field missing? Leave an empty field (two commas together) rather than none"
	if got > want {
		hint = "does the text have a comma in it? Put the whole text in double quotes"
	}
	return fmt.Sprintf("has %d fields but the header has %d; %s", got, want, hint)
}

// startLine is the line a CSV error starts on, or 1.
func startLine(err error) int {
	if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
		return pe.StartLine
	}
	return 1
}

// quoteProblem says what to fix for a CSV syntax error, without repeating any of the row.
func quoteProblem(err error) string {
	pe := (*csv.ParseError)(nil)
	if !errors.As(err, &pe) {
		return err.Error()
	}
	var problem string
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		problem = `a field has a " in it but does not start with one; put the whole field in double quotes and write each " inside it as ""`
	case errors.Is(pe.Err, csv.ErrQuote):
		problem = `a field in double quotes is not closed properly: its closing " must come just before a comma or the end of the line, and each " inside it must be written as ""`
	default:
		problem = "this is not valid CSV"
	}
	if pe.Line > pe.StartLine {
		problem += fmt.Sprintf("; lines %d to %d could not be read", pe.StartLine, pe.Line)
	}
	return problem
}
