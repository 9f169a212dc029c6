package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"
)

// measured is the Signpost under measurement: this process (pid 0), or the signpost binary
// running as a process of its own, whose runtime profiles are served on debugURL.
type measured struct {
	pid      int
	debugURL string
}

// proc is the process's directory in /proc.
func (m measured) proc() string {
	if m.pid == 0 {
		return "/proc/self"
	}
	return fmt.Sprintf("/proc/%d", m.pid)
}

// cpuTime is the CPU time the process has used so far, user and system.
func (m measured) cpuTime() time.Duration {
	_, cpu, _ := procStat(m.proc() + "/stat")
	return cpu
}

// rssMB is the process's resident memory.
func (m measured) rssMB() float64 {
	raw, err := os.ReadFile(m.proc() + "/statm")
	if err != nil {
		return 0
	}
	var size, resident int64
	_, _ = fmt.Sscan(string(raw), &size, &resident)
	return float64(resident*int64(os.Getpagesize())) / (1 << 20)
}

// startBusy starts measuring how busy Signpost, the load generator (this process, when Signpost
// runs in another) and Postgres are; the function it returns says it, as a share of the machine's
// cores, for the time since. It also says how busy the whole machine was, and how much of its
// cores the hypervisor gave to other guests (steal), so that a slow run can be told apart from a
// slow change. profileFor bounds a profile of Signpost in another process (its debug address
// serves one for a fixed time).
func startBusy(workload string, sys measured, profileFor time.Duration) func() busy {
	stopProfile := profileWindow(workload, sys, profileFor)
	self := measured{}
	start, signpost, generator, pg, m := time.Now(), sys.cpuTime(), self.cpuTime(), postgresCPUTime(), machineTime()
	return func() busy {
		stopProfile()
		now := machineTime()
		b := busy{took: time.Since(start), signpost: sys.cpuTime() - signpost, postgres: postgresCPUTime() - pg,
			machine: now.busy - m.busy, stolen: now.steal - m.steal, apart: sys.pid != 0}
		if b.apart {
			b.generator = self.cpuTime() - generator
		}
		return b
	}
}

// busy is the CPU time used over a stretch of wall time; apart says Signpost ran in a process of
// its own, and this one was the load generator.
type busy struct {
	took, signpost, generator, postgres, machine, stolen time.Duration
	apart                                                bool
}

func (b busy) String() string {
	cores := func(d time.Duration) float64 { return d.Seconds() / b.took.Seconds() }
	if !b.apart {
		return fmt.Sprintf("busy: Signpost (this process) %.2f, Postgres %.2f, machine %.2f, stolen %.2f of %d cores",
			cores(b.signpost), cores(b.postgres), cores(b.machine), cores(b.stolen), runtime.NumCPU())
	}
	return fmt.Sprintf("busy: Signpost %.2f, load generator %.2f, Postgres %.2f, machine %.2f, stolen %.2f of %d cores",
		cores(b.signpost), cores(b.generator), cores(b.postgres), cores(b.machine), cores(b.stolen), runtime.NumCPU())
}

// perItem is the CPU time Signpost and Postgres spent on each of n items: a figure that, unlike
// items per second, does not change with how many cores were free.
func (b busy) perItem(n int) string {
	us := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(max(n, 1)) }
	return fmt.Sprintf("CPU per item %.0f µs: Signpost %.0f, Postgres %.0f", us(b.signpost+b.postgres), us(b.signpost), us(b.postgres))
}

// machineCPU is the whole machine's CPU time: busy (user, nice, system, interrupts) and stolen by
// the hypervisor for other guests.
type machineCPU struct{ busy, steal time.Duration }

// machineTime reads the machine's CPU times from /proc/stat (zero where it cannot).
func machineTime() machineCPU {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return machineCPU{}
	}
	line, _, _ := strings.Cut(string(raw), "\n")
	// cpu user nice system idle iowait irq softirq steal ...
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return machineCPU{}
	}
	tick := func(i int) time.Duration {
		n, _ := strconv.ParseInt(f[i], 10, 64)
		return time.Duration(n) * time.Second / 100 // USER_HZ
	}
	return machineCPU{busy: tick(1) + tick(2) + tick(3) + tick(6) + tick(7), steal: tick(8)}
}

// cpuProfilePath is BENCH_CPUPROFILE: where to write a CPU profile of each workload's measured
// stretch ("" for none).
var cpuProfilePath string

// profileWindow writes a CPU profile of Signpost until the function it returns is called (of
// Signpost in another process: for profileFor from the start), to cpuProfilePath with the
// workload's name before its extension (go tool pprof -top <file>), so that what a workload does
// before it starts measuring (queueing the burst) is not in it. A profile that cannot be written
// is reported and the run goes on.
func profileWindow(workload string, sys measured, profileFor time.Duration) (stop func()) {
	if cpuProfilePath == "" {
		return func() {}
	}
	ext := filepath.Ext(cpuProfilePath)
	path := strings.TrimSuffix(cpuProfilePath, ext) + "." + workload + ext
	report := func(err error) {
		if err != nil {
			fmt.Fprintf(os.Stderr, "bench: no CPU profile of %s: %v\n", workload, err)
			return
		}
		fmt.Fprintf(os.Stderr, "bench: CPU profile of %s in %s\n", workload, path)
	}
	if sys.pid != 0 {
		done := make(chan error, 1)
		go func() { done <- fetchProfile(sys.debugURL, profileFor, path) }()
		return func() { report(<-done) }
	}
	f, err := os.Create(path)
	if err == nil {
		if err = pprof.StartCPUProfile(f); err != nil {
			f.Close()
		}
	}
	if err != nil {
		report(err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		report(f.Close())
	}
}

// fetchProfile writes to path a CPU profile that the process serving debugURL takes for d (at
// most 29 s: its debug address answers within 30).
func fetchProfile(debugURL string, d time.Duration, path string) error {
	seconds := min(max(int(d.Seconds()), 1), 29)
	raw, err := debugGet(context.Background(), fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", debugURL, seconds))
	if err != nil {
		return err
	}
	return os.WriteFile(path, raw, 0o644)
}

// postgresCPUTime is the CPU time used so far by the machine's postgres processes (from /proc;
// a backend that ended in between is missed, and the pools here keep theirs).
func postgresCPUTime() time.Duration {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var total time.Duration
	for _, path := range stats {
		if comm, cpu, ok := procStat(path); ok && comm == "postgres" {
			total += cpu
		}
	}
	return total
}

// procStat reads a process's command name and CPU time, user and system, from its /proc stat file.
func procStat(path string) (comm string, cpu time.Duration, ok bool) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", 0, false
	}
	// pid (comm) state ppid ... with utime and stime the 12th and 13th fields after comm.
	open, end := bytes.IndexByte(raw, '('), bytes.LastIndexByte(raw, ')')
	if open < 0 || end < open {
		return "", 0, false
	}
	fields := strings.Fields(string(raw[end+1:]))
	if len(fields) < 13 {
		return "", 0, false
	}
	user, _ := strconv.ParseInt(fields[11], 10, 64)
	sys, _ := strconv.ParseInt(fields[12], 10, 64)
	return string(raw[open+1 : end]), time.Duration(user+sys) * time.Second / 100, true // USER_HZ is 100 on Linux
}
