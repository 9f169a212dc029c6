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
	s := sample{at: time.Now()}
	err := w.series(func(name, labels string, v float64) {
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
	})
	return s, err == nil && s.rssBytes > 0
}

// batchMeans is how many messages each batch handler took at once on average since it started
// (signpost_handler_batch_messages).
func (w *watch) batchMeans() (map[string]float64, error) {
	sums, counts := map[string]float64{}, map[string]float64{}
	err := w.series(func(name, labels string, v float64) {
		_, handler, _ := strings.Cut(labels, `handler="`)
		handler, _, _ = strings.Cut(handler, `"`)
		switch name {
		case "signpost_handler_batch_messages_sum":
			sums[handler] = v
		case "signpost_handler_batch_messages_count":
			counts[handler] = v
		}
	})
	means := map[string]float64{}
	for h, n := range counts {
		if n > 0 {
			means[h] = sums[h] / n
		}
	}
	return means, err
}

// series calls f with each sample of the Prometheus text that /metrics serves.
func (w *watch) series(f func(name, labels string, v float64)) error {
	resp, err := w.client.Get(w.url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
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
		f(name, labels, v)
	}
	return sc.Err()
}
