// Package fftcsv reads paper Friends and Family Test (FFT) cards that staff have typed up into a
// CSV file: a header line, then one line per card with its date, answer, free text and practice.
//
// Parse checks the whole file before anything is imported and says, line by line, what to fix.
// Its messages never repeat a patient's free text. No I/O beyond the reader it is given.
package fftcsv

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Row is one FFT card from the file.
type Row struct {
	// Line is the line of the file the card starts on; the header is line 1. A card whose text
	// runs over several lines (a quoted field with line breaks) is on the line where it starts.
	Line int
	// Date is the day on the card, a calendar date held as midnight UTC of that day.
	Date time.Time
	// Answer is the answer to "Overall, how was your experience of our service?": one of
	// very_good, good, neither_good_nor_poor, poor, very_poor or dont_know.
	Answer string
	// Text is the answer to the free-text question with surrounding whitespace trimmed; it may be
	// empty. It is the patient's own words: log and report it only where patient text belongs.
	Text string
	// Practice is the slug of the practice the card is about.
	Practice string
	// Occurrence numbers identical cards within one file: 1 for the first card with this practice,
	// date, answer and text (whitespace normalised), 2 for the second such card, and so on in file
	// order. Parse sets it; SourceID depends on it.
	Occurrence int
}

// SourceID is a stable id for the card, for de-duplication: importing the same file twice gives
// the same ids, so the second import adds nothing.
//
// It is the lower-case hex SHA-256 of, in order, the practice slug, the date as YYYY-MM-DD, the
// answer code, the text with every run of whitespace made a single space, and Occurrence in
// decimal, each followed by a NUL byte. Occurrence keeps two identical cards in one file as two
// items (the first is #1, the second #2). Cards are anonymous and have no serial number, so the
// count is per file: if a later file holds a card identical to one in an earlier file, the first
// such card in the later file is taken to be the card already imported.
func (r Row) SourceID() string {
	h := sha256.New()
	for _, s := range []string{r.Practice, r.Date.Format(time.DateOnly), r.Answer, oneSpaced(r.Text), strconv.Itoa(r.Occurrence)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// sameCard is what makes two cards identical for Occurrence; it hashes the same fields SourceID does.
func (r Row) sameCard() string {
	return strings.Join([]string{r.Practice, r.Date.Format(time.DateOnly), r.Answer, oneSpaced(r.Text)}, "\x00")
}

func oneSpaced(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
