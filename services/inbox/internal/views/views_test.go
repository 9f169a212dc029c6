package views

import (
	"net/url"
	"testing"
)

func TestFiltersAreCheckedAgainstWhatExists(t *testing.T) {
	practices := []string{"stretton-medical-centre"}
	parse := func(q string) (Filter, []Problem) {
		v, _ := url.ParseQuery(q)
		return ParseFilter(v.Get, practices)
	}
	f, problems := parse("q=waited&channel=google_review&practice=stretton-medical-centre&from=2026-03-01&to=2026-03-31&flag=abusive&state=all")
	if len(problems) != 0 || f.Search != "waited" || f.Channel != "google_review" || f.State != "all" || !f.Active() {
		t.Fatalf("%+v %v", f, problems)
	}
	if d := f.Describe(); d != "search channel=google_review practice=stretton-medical-centre from=2026-03-01 to=2026-03-31 flag=abusive state=all" {
		t.Errorf("describe %q", d)
	}
	f, problems = parse("channel=fax&practice=charlton-medical-centre&from=31/03/2026&flag=rude&state=deleted")
	if len(problems) != 5 || f.Channel != "" || f.Practice != "" || f.From != "" || f.Flag != "" || f.State != "open" {
		t.Errorf("%+v %v", f, problems)
	}
	if _, problems := parse("from=2026-03-31&to=2026-03-01"); len(problems) != 1 || problems[0].Field != "to" {
		t.Errorf("to before from: %v", problems)
	}
	if f, _ := parse(""); f.Active() || f.State != "open" {
		t.Errorf("default %+v", f)
	}
	if likePattern(`50%_off\`) != `%50\%\_off\\%` {
		t.Errorf("like pattern %q", likePattern(`50%_off\`))
	}
}

func TestCellsASpreadsheetWouldRunAreDefused(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+44": "'+44", "-x": "'-x", "@SUM": "'@SUM", "fine": "fine", "": "",
		"\t=1": "'\t=1", "\r=1": "'\r=1", "\n=1": "'\n=1", "  =1+1": "'  =1+1", "\u00a0+1": "'\u00a0+1",
		"\uff1dSUM(A1)": "'\uff1dSUM(A1)", "\uff20x": "'\uff20x", "a=b": "a=b", "Very good": "Very good", "  ": "  "} {
		if got := SafeCell(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
