package fftcsv_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/signpost/signpost/services/ingest/internal/fftcsv"
)

// FuzzParse checks that Parse never panics, that every card it returns is valid, and that it
// reports no more rows than the file has lines.
func FuzzParse(f *testing.F) {
	f.Add([]byte("date,answer,text,practice\n2025-06-01,Very good,Lovely staff,hill-house\n01/06/2025,3,,riverside-surgery\n"))
	f.Add([]byte("\xEF\xBB\xBFDate,Answer,Text,Practice\r\n2025-06-14,Don't know,ok,hill-house\r\n"))
	f.Add([]byte("text,practice,date,answer\n\"Waited long, but\nthe nurse was \"\"kind\"\"\",hill-house,2025-06-01,poor\n\n"))
	f.Add([]byte("date,answer,text,practice\n2025-06-01,Brilliant,secret,hill-house\n2099-01-01,1,,nowhere\n2025-06-01,1\n"))
	f.Add([]byte("\x00\xff\xfePK\x03\x04 garbage \"\r,\n"))
	f.Add([]byte("date,answer,text,practice,\n2025-06-01,2,\"unclosed,hill-house,\n"))
	f.Fuzz(func(t *testing.T, file []byte) {
		rows, rowErrs, err := fftcsv.Parse(bytes.NewReader(file), known, now)
		if err != nil {
			var fe *fftcsv.FileError
			if !errors.As(err, &fe) || fe.Problem == "" || len(rows)+len(rowErrs) > 0 {
				t.Fatalf("err %v with %d rows and %d row errors", err, len(rows), len(rowErrs))
			}
			return
		}
		// Lines as a text editor counts them, line endings being LF, CRLF or CR.
		text := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(string(file))
		lines := strings.Count(strings.TrimSuffix(text, "\n"), "\n") + 1

		var badLines []int // lines with at least one row error, each once
		for _, e := range rowErrs {
			if e.Line < 2 || e.Line > lines || e.Row < 2 || e.Row > e.Line || e.Problem == "" {
				t.Fatalf("row error out of place in a file of %d lines: %+v", lines, e)
			}
			if len(badLines) == 0 || badLines[len(badLines)-1] != e.Line {
				badLines = append(badLines, e.Line)
			}
		}
		if !slices.IsSorted(badLines) || len(slices.Compact(slices.Clone(badLines))) != len(badLines) {
			t.Fatalf("row errors not in file order: %v", rowErrs)
		}
		if len(rows)+len(badLines) > lines-1 {
			t.Fatalf("%d rows and %d bad rows from %d lines", len(rows), len(badLines), lines)
		}

		ids := map[string]bool{}
		for i, r := range rows {
			if _, ok := answerLabels[r.Answer]; !ok || r.Line < 2 || r.Line > lines || (i > 0 && r.Line <= rows[i-1].Line) {
				t.Fatalf("bad row: %+v", r)
			}
			if !known(r.Practice) || r.Date.After(now) || r.Date.Before(now.AddDate(-1, 0, -1)) || r.Occurrence < 1 {
				t.Fatalf("bad row: %+v", r)
			}
			if !utf8.ValidString(r.Text) || strings.TrimSpace(r.Text) != r.Text || utf8.RuneCountInString(r.Text) > fftcsv.MaxTextLength {
				t.Fatalf("bad text on line %d", r.Line)
			}
			if id := r.SourceID(); ids[id] {
				t.Fatalf("two rows have the id %s", id)
			} else {
				ids[id] = true
			}
		}
	})
}

var answerLabels = map[string]bool{
	"very_good": true, "good": true, "neither_good_nor_poor": true, "poor": true, "very_poor": true, "dont_know": true,
}
