package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// runsTheBinary prepares a test that builds and runs the signpost binary for about so long: it is
// skipped with -short, and runs from the repository root (the corpus's texts, and the binary's
// sources). It returns the Postgres server to make the test's database on.
func runsTheBinary(t *testing.T, howLong string) (database string) {
	t.Helper()
	if testing.Short() {
		t.Skip("skipped with -short: builds and runs the signpost binary for " + howLong)
	}
	t.Chdir("../../../..")
	if database = os.Getenv("DATABASE_URL"); database == "" {
		database = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	return database
}

// TestAShortSoakLosesAndDuplicatesNothing is `make soak` in brief: the signpost binary as its own
// process, 12 seconds at a steady rate with a burst at five times the rate, then every
// acknowledged item must have its actions, once.
func TestAShortSoakLosesAndDuplicatesNothing(t *testing.T) {
	database := runsTheBinary(t, "about 20 seconds")
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

// TestTheSustainedRunMeasuresTheAllInOneInItsOwnProcess is `make bench`'s sustained workload in
// brief: every item offered is acknowledged and stored, and the row's memory, CPU (in all and
// for each item), batch sizes and profile are the all-in-one's own, not the load generator's.
func TestTheSustainedRunMeasuresTheAllInOneInItsOwnProcess(t *testing.T) {
	database := runsTheBinary(t, "about 10 seconds")
	dir := t.TempDir()
	cpuProfilePath = dir + "/run.prof"
	t.Cleanup(func() { cpuProfilePath = "" })
	rows, err := sustainedRun(context.Background(), settings{seconds: 3, rate: 200, database: database})
	if err != nil {
		t.Fatal(err)
	}
	r := rows[0]
	t.Log(r.name, r.perSec, r.p50, r.p99, r.rssMB, r.note)
	var acked, offered int
	if _, err := fmt.Sscanf(r.note, "(%d of %d items offered", &acked, &offered); err != nil || offered < 600 || acked != offered ||
		r.perSec == 0 || r.p99 == 0 {
		t.Errorf("not every item offered at 200/s for 3 s was acknowledged and stored: %s", r.note)
	}
	if !strings.Contains(r.note, "busy: Signpost ") || !strings.Contains(r.note, "load generator ") {
		t.Errorf("the row does not tell Signpost's CPU from the load generator's: %s", r.note)
	}
	if r.rssMB < 20 || r.rssMB > 1000 {
		t.Errorf("RSS %.0f MB is not the all-in-one's", r.rssMB)
	}
	var classifierBatch, notifierBatch int
	if _, after, _ := strings.Cut(r.note, "batches of "); after == "" {
		t.Errorf("the row does not say how large the batches were: %s", r.note)
	} else if _, err := fmt.Sscanf(after, "%d items on average in the classifier, %d in the notifier", &classifierBatch, &notifierBatch); err != nil ||
		classifierBatch < 1 || notifierBatch < 1 {
		t.Errorf("batch sizes not read from the all-in-one's /metrics: %s", r.note)
	}
	var perItem, signpostPerItem, postgresPerItem int
	if _, after, _ := strings.Cut(r.note, "CPU per item "); after == "" {
		t.Errorf("the row does not say what an item cost: %s", r.note)
	} else if _, err := fmt.Sscanf(after, "%d µs: Signpost %d, Postgres %d", &perItem, &signpostPerItem, &postgresPerItem); err != nil ||
		signpostPerItem <= 0 || perItem != signpostPerItem+postgresPerItem && perItem != signpostPerItem+postgresPerItem+1 {
		t.Errorf("the CPU an item cost is not the all-in-one's and Postgres's: %s", r.note)
	}
	if p, err := os.Stat(dir + "/run.sustained.prof"); err != nil || p.Size() == 0 {
		t.Errorf("no CPU profile from the all-in-one's DEBUG_ADDR: %v", err)
	}
}
