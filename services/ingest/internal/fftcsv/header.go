package fftcsv

import (
	"fmt"
	"slices"
	"strings"
)

// required are the header's columns, in the order messages name them.
var required = []string{"date", "answer", "text", "practice"}

const headerHelp = "the header must name the columns date, answer, text and practice (in any order) and no others"

// columns says where each required column is in a row.
type columns struct {
	at      map[string]int // required column -> its index in a row
	width   int            // how many fields a row has
	unnamed []int          // indexes of columns with a blank name: tolerated while empty
}

// readHeader reads the header. Names match case-insensitively, ignoring surrounding spaces. Any
// other named column is an error, so that a misspelt column is not silently ignored. Columns with
// no name (spreadsheets often add empty ones at the end) are allowed; parse checks they stay empty.
func readHeader(fields []string, line int) (columns, *FileError) {
	cols := columns{at: map[string]int{}, width: len(fields)}
	var unknown, twice []string
	for i, f := range fields {
		name := strings.ToLower(strings.TrimSpace(f))
		_, seen := cols.at[name]
		switch {
		case name == "":
			cols.unnamed = append(cols.unnamed, i)
		case !slices.Contains(required, name):
			unknown = append(unknown, echo(strings.TrimSpace(f)))
		case seen:
			twice = append(twice, name)
		default:
			cols.at[name] = i
		}
	}
	if len(cols.at) == 0 {
		// Perhaps the header is missing and this is a card: say nothing of what the line holds.
		problem := "the first line must be the header date,answer,text,practice, but it names none of those columns"
		if len(fields) == 1 {
			for _, sep := range []struct{ char, name string }{{";", "semicolons"}, {"\t", "tabs"}} {
				if strings.Contains(fields[0], sep.char) {
					problem = "the columns are separated by " + sep.name + ", not commas; " + saveAs
				}
			}
		}
		return columns{}, &FileError{Line: line, Problem: problem}
	}

	var problems []string
	var missing []string
	for _, name := range required {
		if _, ok := cols.at[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		problems = append(problems, fmt.Sprintf("the header is missing %s %s", plural(len(missing), "column"), strings.Join(missing, ", ")))
	}
	if len(unknown) > 0 {
		problems = append(problems, fmt.Sprintf("the header has unknown %s %s (misspelt?)", plural(len(unknown), "column"), strings.Join(unknown, ", ")))
	}
	if len(twice) > 0 {
		problems = append(problems, fmt.Sprintf("the header names %s more than once", strings.Join(twice, ", ")))
	}
	if len(problems) > 0 {
		return columns{}, &FileError{Line: line, Problem: strings.Join(problems, "; ") + "; " + headerHelp}
	}
	return cols, nil
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
