package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/signpost/signpost/services/classifier"
	"github.com/signpost/signpost/services/classifier/internal/routing"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/policy"
)

type input struct {
	ID       string `json:"id"`
	Practice string `json:"practice"`
	Channel  string `json:"channel"`
	Text     string `json:"text"`
	Rating   string `json:"rating,omitempty"`
}

type output struct {
	ID          string          `json:"id"`
	Route       feedback.Route  `json:"route,omitempty"`
	Flags       []feedback.Flag `json:"flags"`
	Confidence  float64         `json:"confidence"`
	NeedsReview bool            `json:"needs_review"`
	Reasons     []string        `json:"reasons"`
	Error       string          `json:"error,omitempty"`
}

// runClassify writes one decision per input line. A line that cannot be decided still gets a
// line, with "error" saying why (and needs_review true); the command then exits non-zero.
func runClassify(ctx context.Context, stdin io.Reader, stdout io.Writer) error {
	policies, err := policy.Load(policy.Examples())
	if err != nil {
		return err
	}
	engine, err := classifier.NewEngine()
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	failed := 0
	for n := 1; sc.Scan(); n++ {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		out := decide(line, n, policies, engine)
		if out.Error != "" {
			failed++
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d line(s) could not be decided (see their \"error\")", failed)
	}
	return nil
}

func decide(line string, n int, policies *policy.Set, engine routing.Engine) output {
	var in input
	fail := func(format string, args ...any) output {
		return output{ID: in.ID, Flags: []feedback.Flag{}, Reasons: []string{}, NeedsReview: true,
			Error: fmt.Sprintf("line %d: ", n) + fmt.Sprintf(format, args...)}
	}
	if err := json.Unmarshal([]byte(line), &in); err != nil {
		return fail("not a JSON object: %v", err)
	}
	p, ok := policies.ForPractice(in.Practice)
	if !ok {
		return fail("unknown practice %q (one of %s)", in.Practice, strings.Join(policies.Practices(), ", "))
	}
	ch, err := feedback.ParseChannel(in.Channel)
	if err != nil {
		return fail("%v", err)
	}
	if err := ch.CheckRating(in.Rating); err != nil && in.Rating != "" {
		return fail("%v", err)
	}
	d := engine.Decide(p, feedback.Item{Organisation: p.Organisation.Slug, Practice: in.Practice, Channel: ch,
		SourceID: in.ID, Text: in.Text, Rating: in.Rating, WrittenAt: time.Now()})
	return output{ID: in.ID, Route: d.Route, Flags: d.Flags, Confidence: round(d.Confidence), NeedsReview: d.NeedsReview, Reasons: d.Reasons}
}

func round(f float64) float64 { return float64(int(f*10000+0.5)) / 10000 }
