// Command bench measures Signpost on this machine and prints one table: for each workload,
// items per second and latency, beside the raw limits of JetStream and Postgres measured in the
// same run with the same settings (file store, fsync on every write; committed rows).
//
//	make bench          (BENCH_SECONDS, BENCH_RATE, BENCH_BURST tune the run; BENCH_WORKLOADS picks)
//	make soak           (bench soak: SOAK_MINUTES, SOAK_RATE, SOAK_BURST_SECONDS, SOAK_BURST_FACTOR)
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/signpost/signpost/services/signpost/system"
	"github.com/signpost/signpost/shared/boot"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "soak" { // bench soak: make soak (soak.go)
		boot.Main("bench soak", runSoak)
		return
	}
	system.LimitMemory() // the system runs in this process, as in the all-in-one
	boot.Main("bench", run)
}

type settings struct {
	seconds  int // length of the sustained run
	rate     int // items per second offered in the sustained run
	burst    int // items queued before the burst drain
	database string
}

func run(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	s := settings{seconds: intEnv(getenv, "BENCH_SECONDS", 20), rate: intEnv(getenv, "BENCH_RATE", 2000),
		burst: intEnv(getenv, "BENCH_BURST", 200000), database: getenv("DATABASE_URL")}
	if s.database == "" {
		s.database = boot.DefaultDatabaseURL
	}
	if cpuProfilePath = getenv("BENCH_CPUPROFILE"); cpuProfilePath != "" {
		probe, err := os.CreateTemp(filepath.Dir(cpuProfilePath), ".bench-profile-*")
		if err != nil {
			return fmt.Errorf("BENCH_CPUPROFILE: cannot write there: %w", err)
		}
		probe.Close()
		os.Remove(probe.Name())
	}
	one := func(r row, err error) ([]row, error) { return []row{r}, err }
	workloads := []struct {
		name, what string
		run        func() ([]row, error)
	}{
		{"limits", "raw limits", func() ([]row, error) { return rawLimits(ctx, s) }},
		{"classifier", "classifier alone", func() ([]row, error) { return one(classifierAlone()) }},
		{"sustained", "sustained", func() ([]row, error) { return sustainedRun(ctx, s) }},
		{"burst", "burst", func() ([]row, error) { return one(burstDrain(ctx, s)) }},
	}
	var rows []row
	want := getenv("BENCH_WORKLOADS") // limits,classifier,sustained,burst; empty runs every one
	for _, w := range workloads {
		if want != "" && !slices.Contains(strings.Split(want, ","), w.name) {
			continue
		}
		got, err := w.run()
		if err != nil {
			return fmt.Errorf("%s: %w", w.what, err)
		}
		rows = append(rows, got...)
	}
	printTable(stdout, withCeiling(rows))
	return nil
}

// row is one line of the table.
type row struct {
	name     string
	perSec   float64
	p50, p99 time.Duration
	rssMB    float64
	limit    string  // which raw limit it is compared with
	ofLimit  float64 // filled in by printTable
	note     string
	// cpu is the CPU time a raw limit's message or row took, or a decision of the classifier alone;
	// postgres is the CPU Postgres took for each item the burst drained.
	cpu, postgres time.Duration
}

func printTable(w io.Writer, rows []row) {
	limits := map[string]float64{}
	for _, r := range rows {
		if r.limit == "" {
			limits[r.name] = r.perSec
		}
	}
	fmt.Fprintf(w, "\n%-52s %12s %10s %10s %8s  %s\n", "workload", "items/s", "p50", "p99", "RSS MB", "ratio to the raw limit")
	for _, r := range rows {
		ratio := ""
		if l, ok := limits[r.limit]; ok && l > 0 {
			ratio = fmt.Sprintf("%.2f of %s", r.perSec/l, r.limit)
		}
		fmt.Fprintf(w, "%-52s %12.0f %10s %10s %8s  %s %s\n", r.name, r.perSec, dur(r.p50), dur(r.p99), mb(r.rssMB), ratio, r.note)
	}
}

func dur(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return d.Round(100 * time.Microsecond).String()
}

func mb(v float64) string {
	if v == 0 {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

func intEnv(getenv func(string) string, name string, def int) int {
	if v, err := strconv.Atoi(getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
