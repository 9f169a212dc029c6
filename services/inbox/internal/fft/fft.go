// Package fft is the Friends and Family Test monthly report as a practice submits it: for one
// practice and one month, how many answers of each kind came by each collection method.
package fft

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
)

// Answers are the national question's answers, in the order the report lists them.
var Answers = []struct{ Rating, Label string }{
	{"very_good", "Very good"}, {"good", "Good"}, {"neither_good_nor_poor", "Neither good nor poor"},
	{"poor", "Poor"}, {"very_poor", "Very poor"}, {"dont_know", "Don't know"},
}

// Methods are the collection methods, by channel.
var Methods = []struct{ Channel, Label string }{{"fft_sms", "SMS"}, {"fft_web", "Web"}, {"fft_paper", "Paper"}}

// Report is one practice's month.
type Report struct {
	Practice string
	Month    time.Time // first day of the month
	// Counts[answer][method]
	Counts map[string]map[string]int
}

// Count returns the answers of one kind by one method.
func (r Report) Count(rating, channel string) int { return r.Counts[rating][channel] }

// AnswerTotal is every method's count of one answer.
func (r Report) AnswerTotal(rating string) int {
	n := 0
	for _, c := range r.Counts[rating] {
		n += c
	}
	return n
}

// MethodTotal is every answer's count by one method.
func (r Report) MethodTotal(channel string) int {
	n := 0
	for _, m := range r.Counts {
		n += m[channel]
	}
	return n
}

// Total is every answer.
func (r Report) Total() int {
	n := 0
	for _, a := range Answers {
		n += r.AnswerTotal(a.Rating)
	}
	return n
}

// ParseMonth reads YYYY-MM.
func ParseMonth(s string) (time.Time, error) {
	return time.Parse("2006-01", s)
}

// Read counts the practice's answers written in the month (UK time).
func Read(ctx context.Context, tx sqlx.QueryerContext, organisation, practice string, month time.Time) (Report, error) {
	r := Report{Practice: practice, Month: month, Counts: map[string]map[string]int{}}
	for _, a := range Answers {
		r.Counts[a.Rating] = map[string]int{}
	}
	var rows []struct {
		Channel string `db:"channel"`
		Rating  string `db:"rating"`
		N       int    `db:"n"`
	}
	if err := sqlx.SelectContext(ctx, tx, &rows, `
		SELECT channel, rating, count(*) AS n FROM items
		WHERE organisation = $1 AND practice = $2 AND channel IN ('fft_sms', 'fft_web', 'fft_paper')
		  AND written_at >= ($3::timestamp AT TIME ZONE 'Europe/London')
		  AND written_at < (($3::timestamp + interval '1 month') AT TIME ZONE 'Europe/London')
		GROUP BY channel, rating`, organisation, practice, month.Format("2006-01-02")); err != nil {
		return r, fmt.Errorf("count FFT answers: %w", err)
	}
	for _, row := range rows {
		if m, ok := r.Counts[row.Rating]; ok {
			m[row.Channel] += row.N
		}
	}
	return r, nil
}

// WriteCSV writes the report as one row per answer, one column per collection method.
func (r Report) WriteCSV(w io.Writer) error {
	c := csv.NewWriter(w)
	header := []string{"practice", "month", "answer"}
	for _, m := range Methods {
		header = append(header, m.Label)
	}
	_ = c.Write(append(header, "Total"))
	month := r.Month.Format("2006-01")
	for _, a := range Answers {
		row := []string{r.Practice, month, a.Label}
		for _, m := range Methods {
			row = append(row, strconv.Itoa(r.Count(a.Rating, m.Channel)))
		}
		_ = c.Write(append(row, strconv.Itoa(r.AnswerTotal(a.Rating))))
	}
	row := []string{r.Practice, month, "Total"}
	for _, m := range Methods {
		row = append(row, strconv.Itoa(r.MethodTotal(m.Channel)))
	}
	_ = c.Write(append(row, strconv.Itoa(r.Total())))
	c.Flush()
	return c.Error()
}
