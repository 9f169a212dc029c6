package views

import (
	"encoding/csv"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// WriteCSV writes rows as CSV for a spreadsheet. Every cell goes through SafeCell, not only the
// patient's text: whatever reaches a cell is defused before a spreadsheet can run it.
func WriteCSV(w io.Writer, rows []Row, loc *time.Location) error {
	c := csv.NewWriter(w)
	_ = c.Write([]string{"item_id", "received_at", "practice", "channel", "entry", "state", "route", "flags", "rating",
		"acknowledge_by", "case_state", "moderation_state", "removed_by_author", "text"})
	for _, r := range rows {
		removed := "no"
		if r.RemovedAt != nil {
			removed = "yes"
		}
		cells := []string{
			r.ItemID.String(), r.ReceivedAt.In(loc).Format("2006-01-02 15:04"), r.Practice, r.Channel, r.Kind, r.State,
			deref(r.Route), strings.Join(r.Flags, " "), r.Rating, deref(r.AcknowledgeBy), deref(r.CaseState),
			deref(r.ModerationState), removed, r.Text,
		}
		for i := range cells {
			cells[i] = SafeCell(cells[i])
		}
		if err := c.Write(cells); err != nil {
			return err
		}
	}
	c.Flush()
	return c.Error()
}

// SafeCell defuses text a spreadsheet would otherwise run as a formula, by starting it with an
// apostrophe: text whose first character is =, +, -, @ (or their full-width forms, which some
// spreadsheets also take), a tab, a carriage return or a line feed, and text that reaches one of
// those after leading spaces (which some spreadsheets trim on import).
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch r, _ := utf8.DecodeRuneInString(s); r {
	case '\t', '\r', '\n':
		return "'" + s
	}
	first, _ := utf8.DecodeRuneInString(strings.TrimLeftFunc(s, unicode.IsSpace))
	if strings.ContainsRune("=+-@\uFF1D\uFF0B\uFF0D\uFF20", first) {
		return "'" + s
	}
	return s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
