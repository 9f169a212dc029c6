package main

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/shared/bus"
)

func TestTheDrainIsComparedWithWhatPostgresAndJetStreamAloneAllow(t *testing.T) {
	rows := []row{
		{name: atomicLimit(256), perSec: 40000, cpu: 15 * time.Microsecond},
		{name: atomicLimit(bus.MaxAtomicBatch), perSec: 80000, cpu: 10 * time.Microsecond},
		{name: consumeLimit, perSec: 150000, cpu: 8 * time.Microsecond},
		{name: classifierName, perSec: 30000, cpu: 100 * time.Microsecond},
		{name: burstName + ": 1000 queued items drained to actions", perSec: 7000, limit: consumeLimit, postgres: 74 * time.Microsecond},
	}
	got := withCeiling(rows)
	if len(got) != len(rows)+1 {
		t.Fatalf("got %d rows, want the %d given and the ceiling", len(got), len(rows))
	}
	ceiling, burst := got[len(got)-2], got[len(got)-1]
	if ceiling.name != drainCeiling || burst.limit != drainCeiling {
		t.Fatalf("the ceiling (%q) should come just before the burst, which is compared with it (%q)", ceiling.name, burst.limit)
	}
	// 74 µs of Postgres, one publish of 10 and two consumes of 8: 100 µs an item on each core.
	if want := float64(runtime.NumCPU()) * 10000; ceiling.perSec < want*0.999 || ceiling.perSec > want*1.001 {
		t.Errorf("ceiling %.0f items/s, want %.0f", ceiling.perSec, want)
	}
	if !strings.Contains(ceiling.note, "100.0 µs an item") {
		t.Errorf("the ceiling's note should give the CPU an item it comes from: %s", ceiling.note)
	}
	// With a decision of 100 µs as well, 200 µs an item.
	if want := fmt.Sprintf("with the decision too, 100.0 µs as (c) took it: %d/s)", runtime.NumCPU()*5000); !strings.HasSuffix(ceiling.note, want) {
		t.Errorf("the ceiling's note should end %q: %s", want, ceiling.note)
	}

	withoutBurst := withCeiling(rows[:3])
	if len(withoutBurst) != 3 {
		t.Errorf("without a burst there is no ceiling to add: %d rows", len(withoutBurst))
	}
}
