package main

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"
)

// TestAShortSoakLosesAndDuplicatesNothing is `make soak` in brief: the signpost binary as its own
// process, 12 seconds at a steady rate with a burst at five times the rate, then every
// acknowledged item must have its actions, once.
func TestAShortSoakLosesAndDuplicatesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: builds and runs the signpost binary for about 20 seconds")
	}
	database := os.Getenv("DATABASE_URL")
	if database == "" {
		database = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	t.Chdir("../../../..") // the repository root: the corpus's texts, and the binary's sources
	s := soakSettings{length: 12 * time.Second, rate: 40, burst: 3 * time.Second, factor: 5, database: database,
		binary: os.Getenv("SOAK_BINARY"), drain: time.Minute}
	r, err := soak(context.Background(), s, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	var report bytes.Buffer
	r.print(&report)
	t.Log(report.String())
	if len(r.load.acked) < r.load.offered/2 || len(r.samples) < 8 {
		t.Fatalf("%d of %d items acknowledged, %d samples of /metrics: the run proves little", len(r.load.acked), r.load.offered, len(r.samples))
	}
	if r.lost != 0 || r.duplicated() != 0 {
		t.Errorf("%d acknowledged items lost, %d duplicated", r.lost, r.duplicated())
	}
	if r.heapWarm == nil || r.heapEnd == nil {
		t.Error("no heap profiles from the pipeline's DEBUG_ADDR")
	}
	if first, last, ok := r.atLoad(); !ok || first.rssBytes == 0 || last.goroutines == 0 {
		t.Errorf("no memory or goroutine figures from /metrics: %+v %+v", first, last)
	}
}
