package fftcsv_test

import (
	"fmt"
	"regexp"
	"testing"
)

func TestSourceID(t *testing.T) {
	file := "date,answer,text,practice\n" +
		"2025-06-01,Good,Kind  nurse,hill-house\n" +
		"01/06/2025,good,\" Kind\nnurse \",hill-house\n" + // the same card: whitespace does not count
		"2025-06-01,Good,Kind nurse,riverside-surgery\n" +
		"2025-06-01,Good,Kind nurse,hill-house\n" +
		"2025-06-01,Good,kind nurse,hill-house\n"
	rows, rowErrs, err := parse(t, file)
	if err != nil || len(rowErrs) > 0 || len(rows) != 5 {
		t.Fatalf("rows %v, row errors %v, err %v", rows, rowErrs, err)
	}
	var occurrences []int
	ids := map[string]bool{}
	for _, r := range rows {
		occurrences = append(occurrences, r.Occurrence)
		id := r.SourceID()
		if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(id) || ids[id] {
			t.Errorf("row on line %d has id %s", r.Line, id)
		}
		ids[id] = true
	}
	if got := fmt.Sprint(occurrences); got != "[1 2 1 3 1]" {
		t.Errorf("occurrences %s; want [1 2 1 3 1]", got)
	}

	again, _, _ := parse(t, file)
	for i := range rows {
		if again[i].SourceID() != rows[i].SourceID() {
			t.Errorf("line %d: the same file gave a different id", rows[i].Line)
		}
	}
	// The first card alone in another file, in the other date format, is the same card.
	other, _, _ := parse(t, "practice,date,text,answer\nhill-house,01/06/2025,Kind nurse,2\n")
	if len(other) != 1 || other[0].SourceID() != rows[0].SourceID() {
		t.Errorf("the same card in another file gave a different id")
	}
}
