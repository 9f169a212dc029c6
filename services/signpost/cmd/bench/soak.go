package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/signpost/signpost/shared/boot"
)

// soakSettings shape a soak run: a steady rate with a burst at factor times the rate in the
// middle.
type soakSettings struct {
	length   time.Duration // the whole load, burst included
	rate     int           // items per second offered at the steady rate
	burst    time.Duration // how long the burst lasts
	factor   int           // the burst's rate as a multiple of the steady rate
	database string        // the Postgres server (a fresh database is made on it)
	binary   string        // the signpost binary; built from source when empty
	// drain bounds the wait, after the load, for every acknowledged item to get its actions.
	drain time.Duration
}

func readSoakSettings(getenv func(string) string) soakSettings {
	s := soakSettings{length: time.Duration(intEnv(getenv, "SOAK_MINUTES", 30)) * time.Minute,
		rate: intEnv(getenv, "SOAK_RATE", 100), burst: time.Duration(intEnv(getenv, "SOAK_BURST_SECONDS", 60)) * time.Second,
		factor: intEnv(getenv, "SOAK_BURST_FACTOR", 10), database: getenv("DATABASE_URL"), binary: getenv("SOAK_BINARY"),
		drain: 10 * time.Minute}
	if s.database == "" {
		s.database = boot.DefaultDatabaseURL
	}
	return s
}

// runSoak is `bench soak`: it runs the pipeline as its own process under the load, prints the
// report, and fails when an acknowledged item was lost or an item's effects were duplicated.
func runSoak(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	s := readSoakSettings(getenv)
	if s.burst >= s.length {
		return fmt.Errorf("SOAK_BURST_SECONDS (%s) must be shorter than SOAK_MINUTES (%s)", s.burst, s.length)
	}
	fmt.Fprintf(stdout, "soak: %s at %d items/s, with %s at %d items/s in the middle; starting the pipeline\n",
		s.length, s.rate, s.burst, s.rate*s.factor)
	r, err := soak(ctx, s, stdout)
	if err != nil {
		return err
	}
	r.print(stdout)
	return r.verdict()
}

// soak starts the pipeline, offers the load while watching it, waits for it to drain, and
// measures.
func soak(ctx context.Context, s soakSettings, progress io.Writer) (soakReport, error) {
	p, err := startPipeline(ctx, s.database, s.binary)
	if err != nil {
		return soakReport{}, err
	}
	defer p.stop()
	all, err := texts()
	if err != nil {
		return soakReport{}, err
	}

	w := newWatch(p.metricsURL)
	watchCtx, stopWatch := context.WithCancel(ctx)
	watched := make(chan struct{})
	go func() { defer close(watched); w.run(watchCtx, time.Second) }()
	defer func() { stopWatch(); <-watched }()

	plan := newLoadPlan(s, time.Now())
	heapWarm := heapAt(ctx, p.debugURL, plan.warm(), progress)
	heapEnd := heapAt(ctx, p.debugURL, plan.end.Add(-2*time.Second), progress)
	load := runLoad(ctx, plan, p.url, all, progress)
	loadEnd := time.Now()
	fmt.Fprintf(progress, "soak: load done (%d items acknowledged); waiting for the pipeline to drain\n", len(load.acked))

	if err := p.waitDrained(ctx, len(load.acked), s.drain); err != nil && !errors.Is(err, errNotDrained) {
		return soakReport{}, err
	}
	time.Sleep(3 * time.Second) // a last few samples with nothing in flight
	stopWatch()
	<-watched

	r := soakReport{settings: s, plan: plan, load: load, loadEnd: loadEnd, samples: w.samples(), log: p.logSummary(),
		heapWarm: <-heapWarm, heapEnd: <-heapEnd}
	if err := r.measureStored(ctx, p); err != nil {
		return r, err
	}
	return r, nil
}
