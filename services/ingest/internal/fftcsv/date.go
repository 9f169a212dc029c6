package fftcsv

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

const dateHelp = "write it as 2025-03-31 or 31/03/2025"

var (
	isoDate = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
	ukDate  = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{2,4})$`)
)

// cardDate reads a date as YYYY-MM-DD or as a UK DD/MM/YYYY (leading zeros optional) and checks
// that it is a real day, not after today and not more than 12 months before today, where today is
// now's date in now's location. On failure it returns what is wrong and how to fix it.
func cardDate(s string, now time.Time) (time.Time, string) {
	var y, m, d int
	uk := false
	if g := isoDate.FindStringSubmatch(s); g != nil {
		y, m, d = atoi(g[1]), atoi(g[2]), atoi(g[3])
	} else if g := ukDate.FindStringSubmatch(s); g != nil {
		if len(g[3]) != 4 {
			return time.Time{}, fmt.Sprintf("%s has no full year; write the year with 4 digits: %s", echo(s), dateHelp)
		}
		d, m, y, uk = atoi(g[1]), atoi(g[2]), atoi(g[3]), true
	} else if s == "" {
		return time.Time{}, "is required; " + dateHelp
	} else {
		return time.Time{}, fmt.Sprintf("%s is not a date; %s", echo(s), dateHelp)
	}

	order := ""
	if uk {
		order = " (dates with / are day/month/year)"
	}
	if m < 1 || m > 12 {
		return time.Time{}, fmt.Sprintf("%s has no month %d%s", echo(s), m, order)
	}
	date := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if date.Day() != d {
		last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		return time.Time{}, fmt.Sprintf("%s is not a real date: %s %d has %d days", echo(s), time.Month(m), y, last)
	}

	ty, tm, td := now.Date()
	today := time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)
	earliest := today.AddDate(-1, 0, 0)
	switch {
	case date.After(today):
		return time.Time{}, fmt.Sprintf("%s is after today (%s); check the date on the card%s",
			echo(s), today.Format(time.DateOnly), order)
	case date.Before(earliest):
		return time.Time{}, fmt.Sprintf("%s is more than 12 months ago; only cards dated %s or later are accepted",
			echo(s), earliest.Format(time.DateOnly))
	}
	return date, ""
}

// atoi reads at most 4 ASCII digits, which the patterns above guarantee.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
