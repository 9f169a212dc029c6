package main

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// cvInput is a small set of JSON lines in the `classify cv` format, with
// blank lines and extra fields that must be ignored.
func cvInput() string {
	complaints := []string{
		"waited two hours and nobody told me why", "the receptionist was rude to me",
		"they lost my blood results again", "cancelled my appointment with no warning",
		"never called me back after three days", "refused to see my son even though he was ill",
		"wrong prescription given, nobody apologised", "phone line engaged all morning, disgraceful",
	}
	others := []string{
		"the nurse was lovely, thank you", "what time does the surgery open on saturday",
		"great service from the doctor today", "is the flu clinic running this week",
		"very helpful pharmacist", "thanks for the reminder about my review",
		"how do I register as a new patient", "kind and caring staff as always",
	}
	var b strings.Builder
	for i := range complaints {
		fmt.Fprintf(&b, "{\"text\": %q, \"complaint\": true, \"domain\": \"gp\"}\n", complaints[i])
		if i == 3 {
			b.WriteString("\n   \n")
		}
		fmt.Fprintf(&b, "{\"complaint\": false, \"text\": %q}\n", others[i])
	}
	return b.String()
}

func TestRunCVPrintsMacroF1Last(t *testing.T) {
	var out bytes.Buffer
	if err := runCV([]string{"-folds", "4", "-seed", "3"}, strings.NewReader(cvInput()), &out); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"4-fold", "16 examples", "complaint", "not_complaint", "macro avg", "confusion"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	last := lines[len(lines)-1]
	m := regexp.MustCompile(`^macro_f1=(\d+\.\d+)$`).FindStringSubmatch(last)
	if m == nil {
		t.Fatalf("last line %q is not macro_f1=<number>", last)
	}
	f, _ := strconv.ParseFloat(m[1], 64)
	if f < 0 || f > 1 {
		t.Errorf("macro_f1 %v out of range", f)
	}

}

func TestRunCVRejects(t *testing.T) {
	good := `{"text": "rude receptionist", "complaint": true}` + "\n"
	tests := []struct {
		name  string
		args  []string
		input string
		want  string
	}{
		{"malformed json", nil, good + "\n" + `{"text": "oops", "complaint": tru}` + "\n", "line 3"},
		{"not an object", nil, good + good + "[1, 2]\n", "line 3"},
		{"missing complaint", nil, good + `{"text": "no label"}` + "\n", `line 2: missing "complaint"`},
		{"missing text", nil, `{"complaint": false}`, `line 1: missing "text"`},
		{"complaint not a boolean", nil, good + `{"text": "x", "complaint": "yes"}`, "line 2"},
		{"no input", nil, "\n\n", "no examples"},
		{"one class only", []string{"-folds", "2"}, good + good + good, "both"},
		{"too few folds", []string{"-folds", "1"}, good, "-folds"},
		{"more folds than examples", []string{"-folds", "5"}, good + `{"text": "kind nurse", "complaint": false}`, "too few"},
		{"unknown flag", []string{"-bogus"}, good, "bogus"},
		{"positional argument", []string{"data.jsonl"}, good, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := runCV(tt.args, strings.NewReader(tt.input), &out)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
			if strings.Contains(out.String(), "macro_f1=") {
				t.Error("printed a figure despite the error")
			}
		})
	}
}

func TestRunCVLastLineWithoutNewline(t *testing.T) {
	in := strings.TrimRight(cvInput(), "\n") // no final newline
	var out bytes.Buffer
	if err := runCV([]string{"-folds", "2"}, strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "16 examples") {
		t.Errorf("the last line was lost:\n%s", out.String())
	}
}

func TestRunCVHelp(t *testing.T) {
	var out bytes.Buffer
	if err := runCV([]string{"-h"}, strings.NewReader(""), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "-folds") {
		t.Errorf("help lacks -folds:\n%s", out.String())
	}
}
