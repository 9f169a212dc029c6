package fftcsv_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/services/ingest/internal/fftcsv"
)

// now is 15 June 2025 in the morning, UK summer time.
var now = time.Date(2025, 6, 15, 9, 0, 0, 0, time.FixedZone("BST", 3600))

func known(slug string) bool { return slug == "riverside-surgery" || slug == "hill-house" }

func parse(t *testing.T, file string) ([]fftcsv.Row, []fftcsv.RowError, error) {
	t.Helper()
	return fftcsv.Parse(strings.NewReader(file), known, now)
}

func TestGoodFile(t *testing.T) {
	file := "date,answer,text,practice\r\n" +
		"2025-06-01,Very good,Lovely staff,riverside-surgery\r\n" +
		"01/06/2025,2,,hill-house\r\n" +
		"\r\n" + // a blank line: skipped, but still a line
		`"2025-05-31",Don't know,"Waited long, but` + "\r\n" + `the nurse was ""kind""",riverside-surgery` + "\r\n" +
		"15/6/2025,  neither good nor poor , \t  spaced out  ,Hill-House\r\n" +
		",,,\r\n" + // an empty spreadsheet row
		"16/06/2024,6,\"\",riverside-surgery\r\n"
	rows, rowErrs, err := parse(t, file)
	if err != nil || len(rowErrs) > 0 {
		t.Fatalf("err %v, row errors %v", err, rowErrs)
	}
	want := []fftcsv.Row{
		{Line: 2, Date: day(2025, 6, 1), Answer: "very_good", Text: "Lovely staff", Practice: "riverside-surgery", Occurrence: 1},
		{Line: 3, Date: day(2025, 6, 1), Answer: "good", Text: "", Practice: "hill-house", Occurrence: 1},
		{Line: 5, Date: day(2025, 5, 31), Answer: "dont_know", Text: "Waited long, but\nthe nurse was \"kind\"", Practice: "riverside-surgery", Occurrence: 1},
		{Line: 7, Date: day(2025, 6, 15), Answer: "neither_good_nor_poor", Text: "spaced out", Practice: "hill-house", Occurrence: 1},
		{Line: 9, Date: day(2024, 6, 16), Answer: "dont_know", Text: "", Practice: "riverside-surgery", Occurrence: 1},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d: %+v", len(rows), len(want), rows)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, rows[i], want[i])
		}
	}
}

func TestColumnsInAnyOrderAndCase(t *testing.T) {
	file := "\uFEFF Practice ,TEXT,Answer,  date\nhill-house,Fine,Good,2025-06-10\n"
	rows, rowErrs, err := parse(t, file)
	if err != nil || len(rowErrs) > 0 || len(rows) != 1 {
		t.Fatalf("rows %v, row errors %v, err %v", rows, rowErrs, err)
	}
	if r := rows[0]; r.Practice != "hill-house" || r.Text != "Fine" || r.Answer != "good" || r.Date != day(2025, 6, 10) {
		t.Errorf("got %+v", r)
	}
}

// secret is free text that no message may repeat.
const secret = "Dr Patel told me about my diabetes"

func TestRowErrors(t *testing.T) {
	for _, c := range []struct {
		name, row   string
		field, says string
	}{
		{"bad answer", "2025-06-01,Brilliant," + secret + ",hill-house", "answer", `"Brilliant" is not an FFT answer; use one of: Very good, Good,`},
		{"no answer", "2025-06-01,," + secret + ",hill-house", "answer", "is required"},
		{"text in the answer column", "2025-06-01," + secret + " and a bit more,,hill-house", "answer", "the 49-character value is not an FFT answer"},
		{"future date", "2025-06-16,Good," + secret + ",hill-house", "date", `"2025-06-16" is after today (2025-06-15)`},
		{"too old", "14/06/2024,Good," + secret + ",hill-house", "date", "more than 12 months ago; only cards dated 2024-06-15 or later"},
		{"impossible date", "30/02/2025,Good," + secret + ",hill-house", "date", "February 2025 has 28 days"},
		{"American date", "06/13/2025,Good," + secret + ",hill-house", "date", "no month 13"},
		{"unknown practice", "2025-06-01,Good," + secret + ",riverside", "practice", `"riverside" is not a practice Signpost knows`},
		{"no practice", "2025-06-01,Good," + secret + ", ", "practice", "is required"},
		{"text too long", "2025-06-01,Good," + strings.Repeat("x", 10_001) + ",hill-house", "text", "is 10001 characters; at most 10000"},
		{"too many fields", "2025-06-01,Good," + secret + ", really,hill-house", "", "has 5 fields but the header has 4; does the text have a comma"},
		{"too few fields", "2025-06-01,Good,hill-house", "", "has 3 fields but the header has 4; is a field missing"},
		{"bare quote", `2025-06-01,Good,` + secret + ` "ok",hill-house`, "", `write each " inside it as ""`},
	} {
		t.Run(c.name, func(t *testing.T) {
			file := "date,answer,text,practice\n2025-06-02,1,fine,hill-house\n" + c.row + "\n2025-06-03,5,,riverside-surgery\n"
			rows, rowErrs, err := parse(t, file)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 2 || rows[0].Line != 2 || rows[1].Line != 4 {
				t.Errorf("good rows: %+v", rows)
			}
			if len(rowErrs) != 1 {
				t.Fatalf("got %d row errors, want 1: %v", len(rowErrs), rowErrs)
			}
			e := rowErrs[0]
			msg := e.Error()
			prefix := "row 3 (line 3), " + c.field + ": "
			if c.field == "" {
				prefix = "row 3 (line 3): "
			}
			if e.Line != 3 || e.Row != 3 || e.Field != c.field || !strings.HasPrefix(msg, prefix) || !strings.Contains(msg, c.says) {
				t.Errorf("got %+v\n%s\nwant field %q, line 3, saying %q", e, msg, c.field, c.says)
			}
			if strings.Contains(msg, "Patel") || strings.Contains(msg, "xxxxxxxxxx") {
				t.Errorf("the message repeats the text: %s", msg)
			}
		})
	}
}

func TestEveryProblemInARow(t *testing.T) {
	file := "date,answer,text,practice\n2026-01-01,Great," + strings.Repeat("é", 10_001) + ",nowhere\n"
	_, rowErrs, err := parse(t, file)
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, e := range rowErrs {
		fields = append(fields, e.Field)
	}
	if got := strings.Join(fields, ","); got != "date,answer,text,practice" {
		t.Errorf("fields at fault: %s (%v)", got, rowErrs)
	}
}

func TestRowNumberAfterMultilineText(t *testing.T) {
	file := "date,answer,text,practice\n" +
		"2025-06-01,Good,\"one\ntwo\n\nthree\",hill-house\n" + // lines 2 to 5, spreadsheet row 2
		"2025-06-01,Bad,,hill-house\n" // line 6, spreadsheet row 3
	_, rowErrs, err := parse(t, file)
	if err != nil || len(rowErrs) != 1 {
		t.Fatalf("row errors %v, err %v", rowErrs, err)
	}
	if e := rowErrs[0]; e.Line != 6 || e.Row != 3 || !strings.HasPrefix(e.Error(), "row 3 (line 6), answer: ") {
		t.Errorf("got %+v: %s", e, e)
	}
}

func TestUnclosedQuote(t *testing.T) {
	file := "date,answer,text,practice\n" +
		"2025-06-01,Good,fine,hill-house\n" +
		"2025-06-01,Good,\"" + secret + ",hill-house\n" +
		"2025-06-01,Good,fine,hill-house\n"
	rows, rowErrs, err := parse(t, file)
	if err != nil || len(rows) != 1 || len(rowErrs) != 1 {
		t.Fatalf("rows %v, row errors %v, err %v", rows, rowErrs, err)
	}
	if msg := rowErrs[0].Error(); rowErrs[0].Line != 3 || !strings.Contains(msg, "not closed") ||
		!strings.Contains(msg, "lines 3 to 4 could not be read") || strings.Contains(msg, "Patel") {
		t.Errorf("got %s", msg)
	}
}

func TestUnnamedColumns(t *testing.T) {
	file := "date,answer,text,practice,,\n2025-06-01,Good,fine,hill-house,,\n2025-06-01,Good,fine,hill-house,,oops\n"
	rows, rowErrs, err := parse(t, file)
	if err != nil || len(rows) != 1 || len(rowErrs) != 1 {
		t.Fatalf("rows %v, row errors %v, err %v", rows, rowErrs, err)
	}
	if e := rowErrs[0]; e.Line != 3 || !strings.Contains(e.Problem, "column 6, which has no name") {
		t.Errorf("got %v", e)
	}
}

func TestPracticeLookedUpOnce(t *testing.T) {
	calls := 0
	lookup := func(slug string) bool { calls++; return slug == "hill-house" }
	file := "date,answer,text,practice\n" + strings.Repeat("2025-06-01,Good,,hill-house\n2025-06-01,Good,,Hill-House\n", 50)
	rows, rowErrs, err := fftcsv.Parse(strings.NewReader(file), lookup, now)
	if err != nil || len(rowErrs) > 0 || len(rows) != 100 || rows[1].Practice != "hill-house" {
		t.Fatalf("%d rows, row errors %v, err %v", len(rows), rowErrs, err)
	}
	if calls != 3 { // hill-house; Hill-House then hill-house
		t.Errorf("knownPractice called %d times", calls)
	}
}

func TestFileErrors(t *testing.T) {
	card := "2025-06-01,Good,fine,hill-house\n"
	for _, c := range []struct {
		name, file string
		line       int
		says       string
	}{
		{"empty", "", 0, "the file is empty"},
		{"only a BOM and blank lines", "\uFEFF\r\n \r\n", 0, "the file is empty"},
		{"header only", "date,answer,text,practice\n\n", 0, "no cards"},
		{"missing column", "date,answer,practice\n2025-06-01,Good,hill-house\n", 1, "missing column text"},
		{"misspelt column", "date,answr,text,practice\n" + card, 1, `missing column answer; the header has unknown column "answr" (misspelt?)`},
		{"extra column", "date,answer,text,practice,age\n" + card, 1, `unknown column "age"`},
		{"column twice", "date,answer,text,practice,Date\n" + card, 1, "names date more than once"},
		{"no header", card + card, 1, "names none of those columns"},
		{"semicolons", "date;answer;text;practice\n2025-06-01;Good;fine;hill-house\n", 1, "separated by semicolons"},
		{"tabs", "date\tanswer\ttext\tpractice\n", 1, "separated by tabs"},
		{"bad header quote", "date,\"answer,text,practice\n" + card, 1, "header line is not CSV"},
		{"windows-1252", "date,answer,text,practice\n" + card + "2025-06-01,Good,\x93fine\x94,hill-house\n", 3, "not UTF-8"},
		{"UTF-16", "\xFF\xFEd\x00a\x00", 0, "UTF-16"},
		{"xlsx", "PK\x03\x04\x14\x00\x06\x00", 0, "spreadsheet workbook"},
		{"NUL", "date,answer,text,practice\n\x00\n", 2, "NUL"},
		{"long line", "date,answer,text,practice\n" + card + "2025-06-01,Good," + strings.Repeat("a", 70_000) + ",hill-house\n", 3, "at most 65536 bytes"},
		{"10,001 rows", "date,answer,text,practice\n" + strings.Repeat(card, 10_001), 10_002, "more than 10000 cards"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rows, rowErrs, err := parse(t, c.file)
			var fe *fftcsv.FileError
			if !errors.As(err, &fe) || rows != nil || rowErrs != nil {
				t.Fatalf("got %d rows, %d row errors, err %v; want a FileError", len(rows), len(rowErrs), err)
			}
			if fe.Line != c.line || !strings.Contains(fe.Error(), c.says) {
				t.Errorf("got %q on line %d; want line %d saying %q", fe.Problem, fe.Line, c.line, c.says)
			}
			if strings.Contains(err.Error(), "fine") {
				t.Errorf("the message repeats a card: %s", err)
			}
		})
	}
}

func TestTenThousandRowsIsAllowed(t *testing.T) {
	var b strings.Builder
	b.WriteString("date,answer,text,practice\n")
	for i := range fftcsv.MaxRows {
		fmt.Fprintf(&b, "2025-06-01,%d,card %d,hill-house\n\n", i%6+1, i) // blank lines do not count
	}
	rows, rowErrs, err := parse(t, b.String())
	if err != nil || len(rowErrs) > 0 || len(rows) != fftcsv.MaxRows {
		t.Fatalf("%d rows, row errors %v, err %v", len(rows), len(rowErrs), err)
	}
	if last := rows[len(rows)-1]; last.Line != 2*fftcsv.MaxRows || last.Text != "card 9999" {
		t.Errorf("last row %+v", last)
	}
}

func TestReadError(t *testing.T) {
	broken := errors.New("disk on fire")
	_, _, err := fftcsv.Parse(errReader{broken}, known, now)
	var fe *fftcsv.FileError
	if !errors.Is(err, broken) || errors.As(err, &fe) {
		t.Errorf("got %v", err)
	}
}

func TestFileTooBig(t *testing.T) {
	endless := io.MultiReader(strings.NewReader("date,answer,text,practice\n"), endlessCards{})
	_, _, err := fftcsv.Parse(endless, known, now)
	var fe *fftcsv.FileError
	if !errors.As(err, &fe) || !strings.Contains(fe.Problem, "over 32 MiB") {
		t.Errorf("got %v", err)
	}
}

type endlessCards struct{}

func (endlessCards) Read(p []byte) (int, error) {
	const card = "2025-06-01,Good,fine,hill-house\n"
	for i := range p {
		p[i] = card[i%len(card)]
	}
	return len(p), nil
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
