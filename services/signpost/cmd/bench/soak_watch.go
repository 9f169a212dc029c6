package main

import (
	"bufio"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// sample is the pipeline's state at one moment, as its /metrics tells an operator.
type sample struct {
	at          time.Time
	lag         float64 // messages the feedback stream's consumers have not processed: not yet delivered, or delivered and not acknowledged
	pending     float64 // of which not yet delivered
	redelivered float64
	rssBytes    float64
	heapBytes   float64
	goroutines  float64
}

// watch scrapes /metrics at a fixed interval.
type watch struct {
	url    string
	client *http.Client
	mu     sync.Mutex
	taken  []sample
}

func newWatch(url string) *watch {
	return &watch{url: url, client: &http.Client{Timeout: 5 * time.Second}}
}

func (w *watch) run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if s, ok := w.scrape(); ok {
			w.mu.Lock()
			w.taken = append(w.taken, s)
			w.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (w *watch) samples() []sample {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]sample(nil), w.taken...)
}

// scrape reads the few series the soak needs from the Prometheus text format.
func (w *watch) scrape() (sample, bool) {
	resp, err := w.client.Get(w.url)
	if err != nil {
		return sample{}, false
	}
	defer resp.Body.Close()
	s := sample{at: time.Now()}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		cut := strings.LastIndexByte(line, ' ')
		if cut < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[cut+1:], 64)
		if err != nil {
			continue
		}
		name, labels, _ := strings.Cut(line[:cut], "{")
		feedback := strings.Contains(labels, `stream="FEEDBACK"`)
		switch {
		case name == "signpost_jetstream_consumer_pending" && feedback:
			s.lag += v
			s.pending += v
		case name == "signpost_jetstream_consumer_ack_pending" && feedback:
			s.lag += v
		case name == "signpost_jetstream_consumer_redelivered" && feedback:
			s.redelivered += v
		case name == "process_resident_memory_bytes":
			s.rssBytes = v
		case name == "go_memstats_heap_alloc_bytes":
			s.heapBytes = v
		case name == "go_goroutines":
			s.goroutines = v
		}
	}
	return s, sc.Err() == nil && s.rssBytes > 0
}
