package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// startBusy starts measuring how busy this process and Postgres are; the function it returns
// says it, as a share of the machine's cores, for the time since. It also says how busy the whole
// machine was, and how much of its cores the hypervisor gave to other guests (steal), so that a
// slow run can be told apart from a slow change.
func startBusy(workload string) func() busy {
	stopProfile := profileWindow(workload)
	start, cpu, pg, m := time.Now(), cpuTime(), postgresCPUTime(), machineTime()
	return func() busy {
		stopProfile()
		now := machineTime()
		return busy{took: time.Since(start), process: cpuTime() - cpu, postgres: postgresCPUTime() - pg,
			machine: now.busy - m.busy, stolen: now.steal - m.steal}
	}
}

// busy is the CPU time used over a stretch of wall time.
type busy struct{ took, process, postgres, machine, stolen time.Duration }

func (b busy) String() string {
	cores := func(d time.Duration) float64 { return d.Seconds() / b.took.Seconds() }
	return fmt.Sprintf("busy: this process %.2f, Postgres %.2f, machine %.2f, stolen %.2f of %d cores",
		cores(b.process), cores(b.postgres), cores(b.machine), cores(b.stolen), runtime.NumCPU())
}

// perItem is the CPU time this process and Postgres spent on each of n items: a figure that,
// unlike items per second, does not change with how many cores were free.
func (b busy) perItem(n int) string {
	us := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(max(n, 1)) }
	return fmt.Sprintf("CPU per item %.0f µs: this process %.0f, Postgres %.0f", us(b.process+b.postgres), us(b.process), us(b.postgres))
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

// profileWindow writes a CPU profile of this process until the function it returns is called, to
// cpuProfilePath with the workload's name before its extension (go tool pprof -top <file>), so
// that what a workload does before it starts measuring (queueing the burst) is not in it. A
// profile that cannot be written is reported and the run goes on.
func profileWindow(workload string) (stop func()) {
	if cpuProfilePath == "" {
		return func() {}
	}
	ext := filepath.Ext(cpuProfilePath)
	path := strings.TrimSuffix(cpuProfilePath, ext) + "." + workload + ext
	f, err := os.Create(path)
	if err == nil {
		if err = pprof.StartCPUProfile(f); err != nil {
			f.Close()
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: no CPU profile of %s: %v\n", workload, err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
		fmt.Fprintf(os.Stderr, "bench: CPU profile of %s in %s\n", workload, path)
	}
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// postgresCPUTime is the CPU time used so far by the machine's postgres processes (from /proc;
// a backend that ended in between is missed, and the pools here keep theirs).
func postgresCPUTime() time.Duration {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	for _, path := range stats {
		raw, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ... with utime and stime the 12th and 13th fields after comm.
		open, end := bytes.IndexByte(raw, '('), bytes.LastIndexByte(raw, ')')
		if open < 0 || end < open || string(raw[open+1:end]) != "postgres" {
			continue
		}
		fields := strings.Fields(string(raw[end+1:]))
		if len(fields) < 13 {
			continue
		}
		user, _ := strconv.ParseInt(fields[11], 10, 64)
		sys, _ := strconv.ParseInt(fields[12], 10, 64)
		ticks += user + sys
	}
	return time.Duration(ticks) * time.Second / 100 // USER_HZ is 100 on Linux
}
