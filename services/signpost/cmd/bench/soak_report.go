package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/google/pprof/profile"
	"github.com/google/uuid"
)

// soakReport is what a soak run measured.
type soakReport struct {
	settings soakSettings
	plan     loadPlan
	load     loadResult
	loadEnd  time.Time
	samples  []sample
	log      []string // the pipeline's warnings and errors, counted
	// heapWarm and heapEnd are the pipeline's live heap after warm-up and at the end of the load
	// (nil where it could not be taken).
	heapWarm, heapEnd *profile.Profile

	lost               int
	duplicateRows      int    // rows beyond one per item and kind of effect
	received, routed   uint64 // events in the feedback stream
	items              int    // item rows stored
	latency, steadyLat []time.Duration
	burstLat           []time.Duration
	lastStored         time.Time
}

// measureStored reads what the pipeline stored: what became of each acknowledged item, and
// anything stored twice.
func (r *soakReport) measureStored(ctx context.Context, p *pipeline) error {
	var rows []struct {
		ID uuid.UUID `db:"item_id"`
		At time.Time `db:"at"`
	}
	if err := p.db.SelectContext(ctx, &rows, `SELECT item_id, min(created_at) AS at FROM inbox_entries GROUP BY item_id`); err != nil {
		return err
	}
	stored := make(map[uuid.UUID]time.Time, len(rows))
	for _, row := range rows {
		stored[row.ID] = row.At
		if row.At.After(r.lastStored) {
			r.lastStored = row.At
		}
	}
	recovered := r.plan.burstEnd.Add(r.lagRecovery())
	for _, a := range r.load.acked {
		at, ok := stored[a.id]
		if !ok {
			r.lost++
			continue
		}
		d := max(at.Sub(a.acked), 0)
		r.latency = append(r.latency, d)
		if a.acked.Before(r.plan.burstStart) || a.acked.After(recovered) {
			r.steadyLat = append(r.steadyLat, d)
		} else {
			r.burstLat = append(r.burstLat, d)
		}
	}
	for _, l := range [][]time.Duration{r.latency, r.steadyLat, r.burstLat} {
		slices.Sort(l)
	}
	if err := p.db.GetContext(ctx, &r.duplicateRows, `SELECT
		(SELECT count(*) - count(DISTINCT (organisation, channel, source_id)) FROM items) +
		(SELECT count(*) - count(DISTINCT (item_id, revision)) FROM decisions) +
		(SELECT count(*) - count(DISTINCT (item_id, kind)) FROM inbox_entries) +
		(SELECT count(*) - count(DISTINCT (item_id, medium)) FROM outbox)`); err != nil {
		return err
	}
	if err := p.db.GetContext(ctx, &r.items, `SELECT count(*) FROM items`); err != nil {
		return err
	}
	var err error
	r.received, r.routed, err = p.streamCounts()
	return err
}

// duplicated counts items acknowledged once and taken in or acted on more than once: a
// feedback.received event beyond one per stored item, or a row beyond one per item and effect.
func (r soakReport) duplicated() int {
	extraEvents := 0
	if int(r.received) > r.items {
		extraEvents = int(r.received) - r.items
	}
	return extraEvents + r.duplicateRows
}

// steadyLag is the most the consumers had not processed before the burst, at the steady rate:
// messages in flight, zero when sampled between them.
func (r soakReport) steadyLag() float64 {
	var most float64
	for _, s := range r.samples {
		if s.at.After(r.plan.warm()) && s.at.Before(r.plan.burstStart) {
			most = max(most, s.lag)
		}
	}
	return most
}

// lagRecovery is how long after the burst ended the consumers' lag was first back to its level
// before the burst; the whole drain when it never was during the run.
func (r soakReport) lagRecovery() time.Duration {
	level := r.steadyLag()
	for _, s := range r.samples {
		if !s.at.Before(r.plan.burstEnd) && s.lag <= level {
			return s.at.Sub(r.plan.burstEnd)
		}
	}
	if len(r.samples) == 0 {
		return 0
	}
	return r.samples[len(r.samples)-1].at.Sub(r.plan.burstEnd)
}

// maxLag is the largest lag seen, and when.
func (r soakReport) maxLag() (float64, time.Duration) {
	var most float64
	var at time.Duration
	for _, s := range r.samples {
		if s.lag > most {
			most, at = s.lag, s.at.Sub(r.plan.start)
		}
	}
	return most, at
}

// atLoad returns the sample taken just after warm-up and the last one under load: both under the
// same steady rate, so their difference is drift rather than load.
func (r soakReport) atLoad() (first, last sample, ok bool) {
	for _, s := range r.samples {
		if s.at.After(r.plan.warm()) && s.at.Before(r.plan.end) {
			if first.at.IsZero() {
				first = s
			}
			last = s
		}
	}
	return first, last, !first.at.IsZero() && last.at.After(first.at)
}

func (r soakReport) verdict() error {
	if r.lost > 0 || r.duplicated() > 0 {
		return fmt.Errorf("soak failed: %d acknowledged items lost, %d duplicated", r.lost, r.duplicated())
	}
	return nil
}

func (r soakReport) print(w io.Writer) {
	s := r.settings
	fmt.Fprintf(w, "\nsoak report: %s at %d items/s; burst of %s at %d items/s from %s\n", s.length, s.rate, s.burst,
		s.rate*s.factor, r.plan.burstStart.Sub(r.plan.start).Round(time.Second))
	fmt.Fprintf(w, "  offered %d items, %d acknowledged; %d requests failed; %d ticks not offered (generator behind)\n",
		r.load.offered, len(r.load.acked), r.load.failed, r.load.notOffers)
	for why, n := range r.load.why {
		fmt.Fprintf(w, "    %d failed: %s\n", n, why)
	}
	fmt.Fprintf(w, "  lost        %d   (acknowledged, and without stored actions once drained; the last actions were stored %s after the load ended)\n",
		r.lost, max(r.lastStored.Sub(r.loadEnd), 0).Round(time.Second))
	fmt.Fprintf(w, "  duplicated  %d   (%d feedback.received events for %d stored items; %d rows beyond one per item and effect)\n",
		r.duplicated(), r.received, r.items, r.duplicateRows)
	fmt.Fprintf(w, "  latency, acknowledgement to stored actions: p50 %s  p99 %s  max %s\n",
		dur(pct(r.latency, 50)), dur(pct(r.latency, 99)), dur(pct(r.latency, 100)))
	fmt.Fprintf(w, "    at the steady rate: p50 %s  p99 %s;  burst until the lag recovered: p50 %s  p99 %s\n",
		dur(pct(r.steadyLat, 50)), dur(pct(r.steadyLat, 99)), dur(pct(r.burstLat, 50)), dur(pct(r.burstLat, 99)))
	most, at := r.maxLag()
	fmt.Fprintf(w, "  lag (messages the consumers have not processed, sampled every second): at most %.0f before the burst;\n"+
		"    max %.0f at %s; back to the level before the burst %s after the burst ended\n",
		r.steadyLag(), most, at.Round(time.Second), r.lagRecovery().Round(time.Second))
	if len(r.samples) > 0 {
		fmt.Fprintf(w, "  redelivered (not yet acknowledged) at the end: %.0f\n", r.samples[len(r.samples)-1].redelivered)
	}
	if first, last, ok := r.atLoad(); ok {
		span := last.at.Sub(first.at).Round(time.Second)
		fmt.Fprintf(w, "  memory (RSS) at the steady rate: %.0f MB after warm-up, %.0f MB %s later: drift %+.1f MB\n",
			first.rssBytes/(1<<20), last.rssBytes/(1<<20), span, (last.rssBytes-first.rssBytes)/(1<<20))
		fmt.Fprintf(w, "  Go heap in use:                   %.0f MB -> %.0f MB: drift %+.1f MB\n",
			first.heapBytes/(1<<20), last.heapBytes/(1<<20), (last.heapBytes-first.heapBytes)/(1<<20))
		fmt.Fprintf(w, "  goroutines:                       %.0f -> %.0f: drift %+.0f\n", first.goroutines, last.goroutines,
			last.goroutines-first.goroutines)
	}
	if r.heapWarm != nil && r.heapEnd != nil {
		sites := growth(r.heapWarm, r.heapEnd)
		var net int64
		for _, g := range sites {
			net += g.bytes
		}
		fmt.Fprintf(w, "  live heap from warm-up to the end of the load: %+.1f MB; the sites that grew by 1 MB or more (heap profiles from DEBUG_ADDR):\n",
			float64(net)/(1<<20))
		for i, g := range sites {
			if i == 6 || g.bytes < 1<<20 {
				break
			}
			fmt.Fprintf(w, "    %+7.1f MB  %s\n", float64(g.bytes)/(1<<20), g.site)
		}
	}
	for i, l := range r.log {
		if i == 0 {
			fmt.Fprintln(w, "  the pipeline's log (warnings and errors, by count):")
		}
		if i == 8 {
			fmt.Fprintf(w, "    ... and %d more kinds\n", len(r.log)-i)
			break
		}
		fmt.Fprintf(w, "    %s\n", l)
	}
	if n := len(r.samples); n > 0 {
		idle := r.samples[n-1]
		fmt.Fprintf(w, "  idle after the drain: RSS %.0f MB, Go heap %.0f MB, %.0f goroutines\n",
			idle.rssBytes/(1<<20), idle.heapBytes/(1<<20), idle.goroutines)
	}
}
