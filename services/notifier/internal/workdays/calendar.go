// Package workdays counts working days in England and Wales: weekends and bank holidays are not
// working days. The bank holiday list ships with the binary and says how far it reaches.
package workdays

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"time"
	_ "time/tzdata" // Europe/London must resolve on machines without a zoneinfo database
)

//go:embed bank-holidays.json
var bankHolidays []byte

// Calendar knows which days are bank holidays up to a date.
type Calendar struct {
	holidays      map[string]bool
	coversThrough time.Time
	zone          *time.Location
}

// EnglandAndWales is the calendar of the shipped bank holiday list.
func EnglandAndWales() (Calendar, error) {
	var f struct {
		CoversThrough string   `json:"covers_through"`
		Dates         []string `json:"dates"`
	}
	if err := json.Unmarshal(bankHolidays, &f); err != nil {
		return Calendar{}, fmt.Errorf("bank holiday list: %w", err)
	}
	zone, err := time.LoadLocation("Europe/London")
	if err != nil {
		return Calendar{}, err
	}
	c := Calendar{holidays: map[string]bool{}, zone: zone}
	if c.coversThrough, err = time.ParseInLocation(time.DateOnly, f.CoversThrough, zone); err != nil {
		return Calendar{}, fmt.Errorf("bank holiday list covers_through: %w", err)
	}
	for _, d := range f.Dates {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return Calendar{}, fmt.Errorf("bank holiday list: %w", err)
		}
		c.holidays[d] = true
	}
	return c, nil
}

// Day is the calendar day in England of an instant.
func (c Calendar) Day(t time.Time) time.Time {
	l := t.In(c.zone)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, c.zone)
}

// WorkingDay reports whether day is neither a weekend nor a bank holiday.
func (c Calendar) WorkingDay(day time.Time) bool {
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday && !c.holidays[day.Format(time.DateOnly)]
}

// AddWorkingDays returns the n-th working day after the day of t (the day itself is day 0).
// It fails rather than guess when the answer lies past the end of the bank holiday list.
func (c Calendar) AddWorkingDays(t time.Time, n int) (time.Time, error) {
	day := c.Day(t)
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if c.WorkingDay(day) {
			n--
		}
	}
	if day.After(c.coversThrough) {
		return time.Time{}, fmt.Errorf("the bank holiday list ends %s; update services/notifier/internal/workdays/bank-holidays.json",
			c.coversThrough.Format(time.DateOnly))
	}
	return day, nil
}
