// Package corpus reads the team's labelled examples (corpus/gp-feedback.jsonl): each item with the
// route and flags a person gave it, following SPEC.md's labelling guide.
package corpus

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/signpost/signpost/services/classifier/internal/routing"
	"github.com/signpost/signpost/shared/feedback"
)

// Entry is one labelled item.
type Entry struct {
	ID       string           `json:"id"`
	Practice string           `json:"practice"`
	Channel  feedback.Channel `json:"channel"`
	Text     string           `json:"text"`
	Rating   string           `json:"rating,omitempty"`
	Route    feedback.Route   `json:"route"`
	Flags    []feedback.Flag  `json:"flags"`
}

// Kind is what the entry's text is, as the text model learns it: the route without the channel.
func (e Entry) Kind() routing.Kind {
	switch e.Route {
	case feedback.Complaint:
		return routing.KindComplaint
	case feedback.Other:
		return routing.KindOther
	}
	return routing.KindFeedback
}

// Read parses JSON lines of entries; a bad line is an error naming its line number.
func Read(r io.Reader) ([]Entry, error) {
	var out []Entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var e Entry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if _, err := feedback.ParseChannel(string(e.Channel)); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if err := (feedback.Decision{Route: e.Route, Flags: e.Flags, ModelVersion: "label"}).Validate(); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}
