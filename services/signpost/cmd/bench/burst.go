package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"runtime/debug"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/signpost/signpost/services/classifier"
	"github.com/signpost/signpost/services/notifier"
	"github.com/signpost/signpost/services/signpost/system"
	"github.com/signpost/signpost/shared/boot"
	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/event"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/store"
)

// burstName starts the burst's row.
const burstName = "(b) burst"

// burstDrain queues s.burst items in JetStream while nothing consumes, then starts the system
// and measures how fast it turns them all into stored actions.
func burstDrain(ctx context.Context, s settings) (row, error) {
	all, err := texts()
	if err != nil {
		return row{}, err
	}
	dataDir, _ := os.MkdirTemp("", "signpost-bench-burst")
	defer os.RemoveAll(dataDir)
	dbName := fmt.Sprintf("signpost_bench_burst_%d", time.Now().UnixNano())
	defer store.DropDatabase(context.Background(), s.database, dbName)

	// Create the streams and consumers once, then stop, so the queue builds with nobody reading.
	sys, err := benchSystem(ctx, s, dataDir, dbName)
	if err != nil {
		return row{}, err
	}
	if err := sys.Stop(context.Background()); err != nil {
		return row{}, err
	}
	if err := enqueue(ctx, dataDir+"/nats", s.burst, all); err != nil {
		return row{}, err
	}
	debug.FreeOSMemory() // what queueing used is the loader's, not the system's: give it back first

	busy := startBusy("burst", measured{}, 0)
	start := time.Now()
	sys, err = benchSystem(ctx, s, dataDir, dbName)
	if err != nil {
		return row{}, err
	}
	defer sys.Stop(context.Background())
	nc, err := sys.Connect("bench-watch")
	if err != nil {
		return row{}, err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return row{}, err
	}
	// Done when both handlers have acknowledged everything (the notifier acknowledges after its
	// transaction committed): watched through JetStream, so that the watching costs Postgres nothing.
	rss := 0.0
	deadline := start.Add(30 * time.Minute)
	for drained := false; !drained && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		rss = max(rss, measured{}.rssMB())
		if drained, err = settled(ctx, js, classifier.HandlerName, notifier.HandlerName); err != nil {
			return row{}, err
		}
	}
	took, load := time.Since(start), busy()
	var n int
	if err := sys.DB.GetContext(ctx, &n, `SELECT count(DISTINCT item_id) FROM inbox_entries`); err != nil {
		return row{}, err
	}
	return row{name: fmt.Sprintf("%s: %d queued items drained to actions", burstName, s.burst), perSec: float64(n) / took.Seconds(),
		rssMB: rss, limit: consumeLimit, postgres: load.postgres / time.Duration(max(n, 1)),
		note: fmt.Sprintf("(%d done in %s; %s; %s)", n, took.Round(time.Second), load, load.perItem(n))}, nil
}

// benchSystem starts the all-in-one on a fresh database and data directory.
func benchSystem(ctx context.Context, s settings, dataDir, dbName string) (*boot.System, error) {
	dsn, err := store.WithDatabase(s.database, dbName)
	if err != nil {
		return nil, err
	}
	env := map[string]string{"DATABASE_URL": dsn, "DATA_DIR": dataDir, "HTTP_ADDR": "127.0.0.1:0", "LOG_LEVEL": "error"}
	maps.Copy(env, underLoad)
	for _, name := range []string{"BUS_CONCURRENCY", "BUS_BATCH_SIZE", "DATABASE_MAX_CONNS"} { // to compare settings
		if v := os.Getenv(name); v != "" {
			env[name] = v
		}
	}
	sys, _, err := system.Start(ctx, func(k string) string { return env[k] }, os.Stderr) // errors only
	return sys, err
}

// settled says whether each handler's durable consumer has nothing left to deliver or to have
// acknowledged.
func settled(ctx context.Context, js jetstream.JetStream, handlers ...string) (bool, error) {
	topo := event.Topology{}
	for _, h := range handlers {
		c, err := js.Consumer(ctx, topo.FeedbackStream(), topo.Consumer(h))
		if err != nil {
			return false, err
		}
		info, err := c.Info(ctx)
		if err != nil {
			return false, err
		}
		if info.NumPending > 0 || info.NumAckPending > 0 {
			return false, nil
		}
	}
	return true, nil
}

func enqueue(ctx context.Context, storeDir string, count int, all []string) error {
	ns, err := bus.StartEmbedded(storeDir, "")
	if err != nil {
		return err
	}
	defer ns.Shutdown()
	nc, err := bus.InProcess(ns)("bench-enqueue")
	if err != nil {
		return err
	}
	defer nc.Close()
	pub, err := bus.NewPublisher(nc, nil) // stores them in atomic batches, as the services do
	if err != nil {
		return err
	}
	defer pub.Close()
	topo := event.Topology{}
	batch := make([]*message.Message, 0, bus.MaxAtomicBatch)
	for i := range count {
		source := fmt.Sprintf("burst-%d", i)
		it := feedback.Item{ID: feedback.ItemID("charlton-medical-centre", feedback.WebsiteReview, source),
			Organisation: "charlton-medical-centre", Practice: "charlton-medical-centre", Channel: feedback.WebsiteReview,
			SourceID: source, Text: all[i%len(all)], WrittenAt: time.Now()}
		data, id, err := event.NewReceived(it, "bench", time.Now())
		if err != nil {
			return err
		}
		batch = append(batch, bus.NewMessage(id, data, "bench"))
		if len(batch) == cap(batch) || i == count-1 {
			if err := pub.Publish(topo.Subject(event.Received), batch...); err != nil {
				return err
			}
			batch = batch[:0]
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}
