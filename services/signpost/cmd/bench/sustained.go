package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/signpost/signpost/services/classifier"
	"github.com/signpost/signpost/services/notifier"
	"github.com/signpost/signpost/shared/feedback"
)

const (
	benchSecret = "bench-facebook-app-secret"
	trentPage   = "100000000000202"
)

// sent is an item the load generator had acknowledged, and when.
type sent struct {
	id    uuid.UUID
	acked time.Time
}

// sustainedRun offers Facebook webhook batches of 10 comments and form posts, half and half, at
// a fixed rate, and measures from each HTTP acknowledgement to the item's stored actions. The
// all-in-one runs as a process of its own, as in production, so that its memory and CPU are its
// own and not the load generator's.
func sustainedRun(ctx context.Context, s settings) ([]row, error) {
	all, err := texts()
	if err != nil {
		return nil, err
	}
	sys, err := startPipeline(ctx, s.database, "")
	if err != nil {
		return nil, err
	}
	defer sys.stop()
	signpost := measured{pid: sys.cmd.Process.Pid, debugURL: sys.debugURL}

	// Senders work at once as platforms do: enough of them that waiting for answers does not
	// hold back the offered rate.
	const senders = 512
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: senders}, Timeout: 30 * time.Second}
	var mu sync.Mutex
	var acked []sent
	var failures int
	// Each tick sends one Facebook batch (10 items) and 10 form posts: 20 items.
	ticks := s.rate / 20
	interval := time.Second / time.Duration(max(ticks, 1))
	jobs := make(chan int, 4096)
	var wg sync.WaitGroup
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range jobs {
				got, err := sendTick(client, sys.url, n, all)
				mu.Lock()
				if err != nil {
					failures++
				}
				acked = append(acked, got...)
				mu.Unlock()
			}
		}()
	}
	start := time.Now()
	busy := startBusy("sustained", signpost, time.Duration(s.seconds)*time.Second)
	rss, offered := 0.0, 0
	// Each tick has its time on a fixed schedule: a tick that comes late is still sent (a ticker
	// would drop it while this goroutine waits for a core, and offer less than it says).
	next := start
	for n := 0; time.Since(start) < time.Duration(s.seconds)*time.Second; n++ {
		time.Sleep(time.Until(next))
		next = next.Add(interval)
		select {
		case jobs <- n:
			offered += 20
		default: // the senders are 4,096 ticks behind: not offered
		}
		if n%100 == 0 {
			rss = max(rss, signpost.rssMB())
		}
	}
	close(jobs)
	wg.Wait()
	took := time.Since(start)

	lat, last, err := actionLatencies(ctx, sys, acked)
	if err != nil {
		return nil, err
	}
	rss = max(rss, signpost.rssMB())
	means, err := newWatch(sys.metricsURL).batchMeans()
	if err != nil {
		return nil, fmt.Errorf("batch sizes from /metrics: %w", err)
	}
	load := busy()
	note := fmt.Sprintf("(%d of %d items offered at %d/s acknowledged in %s; %d requests failed; batches of %.0f items on average in the classifier, %.0f in the notifier; %s; %s)",
		len(acked), offered, s.rate, took.Round(time.Second), failures, means[classifier.HandlerName], means[notifier.HandlerName], load,
		load.perItem(len(acked)))
	return []row{{name: "(a) sustained: webhook batches + forms, ack -> actions", perSec: float64(len(lat)) / last.Sub(start).Seconds(),
		p50: pct(lat, 50), p99: pct(lat, 99), rssMB: rss, limit: atomicLimit(256), note: note}}, nil
}

func sendTick(client *http.Client, base string, n int, all []string) ([]sent, error) {
	var out []sent
	// A Facebook delivery of 10 comments.
	var changes []string
	ids := make([]string, 10)
	for i := range 10 {
		ids[i] = fmt.Sprintf("202_%d_%d", n, i)
		text, _ := json.Marshal(all[(n*20+i)%len(all)])
		changes = append(changes, fmt.Sprintf(`{"field":"feed","value":{"item":"comment","verb":"add","post_id":"202_%d",
		  "comment_id":%q,"parent_id":"202_%d","from":{"id":"9%d","name":"P"},"message":%s,"created_time":%d}}`,
			n, ids[i], n, i, text, time.Now().Unix()))
	}
	body := []byte(fmt.Sprintf(`{"object":"page","entry":[{"id":%q,"time":%d,"changes":[%s]}]}`, trentPage, time.Now().Unix(),
		bytes.Join(toBytes(changes), []byte(","))))
	mac := hmac.New(sha256.New, []byte(benchSecret))
	mac.Write(body)
	req, _ := http.NewRequest(http.MethodPost, base+"/webhooks/facebook", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	if err := do(client, req, http.StatusOK); err != nil {
		return out, err
	}
	now := time.Now()
	for _, id := range ids {
		out = append(out, sent{feedback.ItemID("trent-meadows-stretton", feedback.FacebookComment, id), now})
	}
	// 10 form posts.
	for i := range 10 {
		sub := fmt.Sprintf("bench-%d-%d", n, i)
		text, _ := json.Marshal(all[(n*20+10+i)%len(all)])
		req, _ := http.NewRequest(http.MethodPost, base+"/v1/submissions", bytes.NewReader([]byte(fmt.Sprintf(
			`{"practice":"charlton-medical-centre","channel":"website_review","text":%s,"submission_id":%q}`, text, sub))))
		req.Header.Set("Content-Type", "application/json")
		if err := do(client, req, http.StatusAccepted); err != nil {
			return out, err
		}
		out = append(out, sent{feedback.ItemID("charlton-medical-centre", feedback.WebsiteReview, sub), time.Now()})
	}
	return out, nil
}

func toBytes(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

func do(client *http.Client, req *http.Request, want int) error {
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %d", req.Method, req.URL.Path, resp.StatusCode)
	}
	return nil
}

// actionLatencies waits (up to two minutes) until every acknowledged item has its actions, and
// returns each item's time from acknowledgement to its first stored action, and the last.
func actionLatencies(ctx context.Context, p *pipeline, acked []sent) ([]time.Duration, time.Time, error) {
	if err := p.waitDrained(ctx, len(acked), 2*time.Minute); err != nil && !errors.Is(err, errNotDrained) {
		return nil, time.Time{}, err
	}
	var rows []struct {
		ID uuid.UUID `db:"item_id"`
		At time.Time `db:"at"`
	}
	if err := p.db.SelectContext(ctx, &rows, `SELECT item_id, min(created_at) AS at FROM inbox_entries GROUP BY item_id`); err != nil {
		return nil, time.Time{}, err
	}
	stored := make(map[uuid.UUID]time.Time, len(rows))
	var last time.Time
	for _, r := range rows {
		stored[r.ID] = r.At
		if r.At.After(last) {
			last = r.At
		}
	}
	var lat []time.Duration
	for _, a := range acked {
		if at, ok := stored[a.id]; ok {
			lat = append(lat, max(at.Sub(a.acked), 0))
		}
	}
	slices.Sort(lat)
	return lat, last, nil
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}
