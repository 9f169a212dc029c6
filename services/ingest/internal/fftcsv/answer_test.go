package fftcsv

import "testing"

func TestParseAnswer(t *testing.T) {
	for typed, want := range map[string]string{
		"Very good": "very_good", "very_good": "very_good", "VERY GOOD": "very_good", " very  good ": "very_good",
		"Good": "good", "good.": "good",
		"Neither good nor poor": "neither_good_nor_poor", "neither good nor poor": "neither_good_nor_poor",
		"neither_good_nor_poor": "neither_good_nor_poor",
		"Poor":                  "poor", "very poor": "very_poor", "Very-Poor": "very_poor",
		"Don't know": "dont_know", "Dont know": "dont_know", "don’t know": "dont_know", "DONT_KNOW": "dont_know",
		"1": "very_good", "2": "good", "3": "neither_good_nor_poor", "4": "poor", "5": "very_poor", "6": "dont_know",
		" 6 ": "dont_know",
	} {
		if got, ok := parseAnswer(typed); !ok || got != want {
			t.Errorf("parseAnswer(%q) = %q, %v; want %q", typed, got, ok, want)
		}
	}
	for _, typed := range []string{"", "Brilliant", "0", "7", "12", "very", "good good", "Excellent", "1 Very good", "０"} {
		if got, ok := parseAnswer(typed); ok {
			t.Errorf("parseAnswer(%q) = %q; want no answer", typed, got)
		}
	}
}
