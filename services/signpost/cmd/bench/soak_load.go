package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// loadPlan says when the burst is: steady until burstStart, factor times the rate until
// burstEnd, steady again until end.
type loadPlan struct {
	start, burstStart, burstEnd, end time.Time
	rate, factor                     int
}

func newLoadPlan(s soakSettings, start time.Time) loadPlan {
	steady := (s.length - s.burst) / 2
	return loadPlan{start: start, burstStart: start.Add(steady), burstEnd: start.Add(steady + s.burst),
		end: start.Add(s.length), rate: s.rate, factor: s.factor}
}

// warm is when the warm-up ends: the pipeline has loaded its models and filled its pools.
func (p loadPlan) warm() time.Time {
	return p.start.Add(min(30*time.Second, p.end.Sub(p.start)/10))
}

// rateAt is the items per second to offer at t.
func (p loadPlan) rateAt(t time.Time) int {
	if !t.Before(p.burstStart) && t.Before(p.burstEnd) {
		return p.rate * p.factor
	}
	return p.rate
}

// loadResult is what the load generator sent and had acknowledged.
type loadResult struct {
	acked     []sent
	offered   int // items in the ticks handed to senders
	failed    int // requests that got no acknowledgement (their items may still be stored)
	why       map[string]int
	notOffers int // ticks dropped because every sender was busy: the generator fell behind
}

// runLoad offers the plan's load: each tick is one Facebook delivery of 10 comments and 10 form
// submissions (sendTick), ticks paced to the rate of the moment.
func runLoad(ctx context.Context, plan loadPlan, base string, all []string, progress io.Writer) loadResult {
	// Few idle connections are kept: those the burst opens are closed as it ends, so the pipeline's
	// goroutines and memory are compared under the same load before and after it.
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}, Timeout: 60 * time.Second}
	var mu sync.Mutex
	res := loadResult{why: map[string]int{}}
	jobs := make(chan int, 1024)
	var wg sync.WaitGroup
	for range 256 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range jobs {
				got, err := sendTick(client, base, n, all)
				mu.Lock()
				if err != nil {
					res.failed++
					res.why[failure(err)]++
				}
				res.acked = append(res.acked, got...)
				mu.Unlock()
			}
		}()
	}
	next, n := plan.start, 0
	lastReport := plan.start
	for next.Before(plan.end) && ctx.Err() == nil {
		time.Sleep(time.Until(next))
		select {
		case jobs <- n:
			res.offered += 20
		default:
			res.notOffers++
		}
		n++
		next = next.Add(time.Second * 20 / time.Duration(plan.rateAt(next)))
		if now := time.Now(); now.Sub(lastReport) >= time.Minute {
			lastReport = now
			mu.Lock()
			fmt.Fprintf(progress, "soak: %s in, %d items acknowledged\n", now.Sub(plan.start).Round(time.Second), len(res.acked))
			mu.Unlock()
		}
	}
	close(jobs)
	wg.Wait()
	return res
}

// failure names why a request got no acknowledgement: its status, or a timeout, or the error.
func failure(err error) string {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case strings.Contains(err.Error(), ": "):
		return err.Error()
	}
	return "error: " + err.Error()
}
