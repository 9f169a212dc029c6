// Package views is the inbox's lists: which entries each view holds, the filters a Practice
// Manager can apply, and the queries that read them for one organisation.
package views

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/signpost/signpost/shared/feedback"
)

// View is one list in the inbox.
type View struct {
	Slug        string
	Title       string
	Kinds       []string // inbox entry kinds it holds
	Description string
}

// All are the inbox's views, in the order shown.
var All = []View{
	{"urgent", "Urgent", []string{"urgent"},
		"Someone may be at risk. Nothing was sent automatically: a person decides what happens next."},
	{"respond", "To respond", []string{"respond"},
		"Reviews on the organisation's official channels, each with a suggested reply to approve or edit."},
	{"complaints", "Complaints", []string{"delete_requested", "signpost", "complaint_case", "complaint_awareness"},
		"Complaints on social media (the poster was asked to delete the post), on official channels (signposted to the Complaints Procedure), complaint cases with their acknowledgement dates, and complaints on other sites."},
	{"moderation", "Moderation", []string{"moderation"},
		"Posts on the organisation's own page that break the code of conduct: hidden, to hide, or reported."},
	{"needs-review", "Needs review", []string{"needs_review"},
		"Decisions the classifier was not sure of. Nothing reaches the patient until a person confirms or corrects them."},
	{"ignored", "Ignored", []string{"ignored"},
		"Reviews on other sites and posts that are not feedback: recorded, with no response."},
}

// Find returns the view with the slug.
func Find(slug string) (View, bool) {
	for _, v := range All {
		if v.Slug == slug {
			return v, true
		}
	}
	return View{}, false
}

// Filter narrows a view. The zero value shows open entries of every channel, practice and date.
type Filter struct {
	Search   string
	Channel  string
	Practice string
	From, To string // YYYY-MM-DD, received on or after From and on or before To
	Flag     string
	State    string // open (default), handled or all
}

// Problem is one filter value that cannot be used, and what to do instead.
type Problem struct{ Field, Text string }

// MaxSearch is the longest search text accepted.
const MaxSearch = 200

// ParseFilter reads the filter from query values, checking each against what exists: channels,
// flags and this organisation's practices. A practice of another organisation is as unknown as
// one that does not exist.
func ParseFilter(get func(string) string, practices []string) (Filter, []Problem) {
	f := Filter{
		Search: strings.TrimSpace(get("q")), Channel: get("channel"), Practice: get("practice"),
		From: get("from"), To: get("to"), Flag: get("flag"), State: get("state"),
	}
	var problems []Problem
	if utf8.RuneCountInString(f.Search) > MaxSearch {
		problems = append(problems, Problem{"q", "Search for at most 200 characters."})
		f.Search = ""
	}
	if f.Channel != "" {
		if _, err := feedback.ParseChannel(f.Channel); err != nil {
			problems = append(problems, Problem{"channel", "Choose a channel from the list."})
			f.Channel = ""
		}
	}
	if f.Practice != "" && !slices.Contains(practices, f.Practice) {
		problems = append(problems, Problem{"practice", "Choose one of your organisation's practices."})
		f.Practice = ""
	}
	if f.Flag != "" && !slices.Contains(feedback.Flags, feedback.Flag(f.Flag)) {
		problems = append(problems, Problem{"flag", "Choose a flag from the list."})
		f.Flag = ""
	}
	for _, d := range []struct {
		field string
		v     *string
	}{{"from", &f.From}, {"to", &f.To}} {
		if *d.v == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, *d.v); err != nil {
			problems = append(problems, Problem{d.field, "Enter the date as year-month-day, for example 2026-03-31."})
			*d.v = ""
		}
	}
	if f.From != "" && f.To != "" && f.To < f.From {
		problems = append(problems, Problem{"to", "The end date must be on or after the start date."})
		f.To = ""
	}
	switch f.State {
	case "", "open":
		f.State = "open"
	case "handled", "all":
	default:
		problems = append(problems, Problem{"state", "Show open, handled or all entries."})
		f.State = "open"
	}
	return f, problems
}

// Active reports whether any filter other than the default state is set.
func (f Filter) Active() bool {
	return f.Search != "" || f.Channel != "" || f.Practice != "" || f.From != "" || f.To != "" || f.Flag != "" || f.State != "open"
}

// Describe names the filters in use without their search text, for the audit log.
func (f Filter) Describe() string {
	var parts []string
	add := func(name, v string) {
		if v != "" {
			parts = append(parts, name+"="+v)
		}
	}
	if f.Search != "" {
		parts = append(parts, "search")
	}
	add("channel", f.Channel)
	add("practice", f.Practice)
	add("from", f.From)
	add("to", f.To)
	add("flag", f.Flag)
	add("state", f.State)
	return strings.Join(parts, " ")
}

// likePattern escapes the search text for ILIKE.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}
