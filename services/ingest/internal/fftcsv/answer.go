package fftcsv

import (
	"strconv"
	"strings"
	"unicode"
)

// answers are the FFT answers in the order of the card, so that code i+1 is answers[i].
var answers = []struct{ code, label string }{
	{"very_good", "Very good"},
	{"good", "Good"},
	{"neither_good_nor_poor", "Neither good nor poor"},
	{"poor", "Poor"},
	{"very_poor", "Very poor"},
	{"dont_know", "Don't know"},
}

const answerHelp = "use one of: Very good, Good, Neither good nor poor, Poor, Very poor, Don't know " +
	"(or the numbers 1 to 6 in that order)"

// parseAnswer turns an answer as typed into its code. It takes a label or code in any case, with
// any spacing and punctuation ("VERY GOOD", "very_good", "Dont know"), or 1 to 6 in card order.
func parseAnswer(s string) (code string, ok bool) {
	typed := squash(s)
	for i, a := range answers {
		if typed == squash(a.code) || typed == strconv.Itoa(i+1) {
			return a.code, true
		}
	}
	return "", false
}

// squash keeps only the letters and digits of s, in lower case.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}
