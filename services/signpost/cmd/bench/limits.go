package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/signpost/signpost/shared/bus"
	"github.com/signpost/signpost/shared/store"
)

const limitMessages = 50000

// payload is about the size of a feedback.received event.
var payload = []byte(strings.Repeat("x", 700))

// rawLimits measures JetStream publish (async, acknowledged, fsync on every write; and in atomic
// batches, one fsync each), durable consume with explicit acks, and Postgres inserts of 100 rows
// per committed statement: how many a second, and the CPU each message or row took.
func rawLimits(ctx context.Context, s settings) ([]row, error) {
	dir, err := os.MkdirTemp("", "signpost-bench-nats")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ns, err := bus.StartEmbedded(dir, "")
	if err != nil {
		return nil, err
	}
	defer ns.Shutdown()
	nc, err := bus.InProcess(ns)("bench-limits")
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(1<<16))
	if err != nil {
		return nil, err
	}
	stream, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "LIMITS", Subjects: []string{"limits.>"}, Storage: jetstream.FileStorage,
		AllowAtomicPublish: true})
	if err != nil {
		return nil, err
	}

	published, err := measure("limit: JetStream publish (fsync)", limitMessages, false, func() error {
		for i := range limitMessages {
			if _, err := js.PublishAsync(fmt.Sprintf("limits.%d", i%10), payload); err != nil {
				return err
			}
		}
		select {
		case <-js.PublishAsyncComplete():
			return nil
		case <-time.After(time.Minute):
			return fmt.Errorf("publish acknowledgements did not arrive")
		}
	})
	if err != nil {
		return nil, err
	}
	rows := []row{published}

	batchSizes := []int{16, 256, bus.MaxAtomicBatch}
	for _, size := range batchSizes {
		r, err := measure(atomicLimit(size), limitMessages, false, func() error {
			return atomicPublish(ctx, nc, size)
		})
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	stored := limitMessages * (1 + len(batchSizes)) // the consumer reads everything published above

	cons, err := stream.CreateConsumer(ctx, jetstream.ConsumerConfig{Durable: "limits", AckPolicy: jetstream.AckExplicitPolicy})
	if err != nil {
		return nil, err
	}
	consumed, err := measure(consumeLimit, stored, false, func() error { return consume(cons, stored) })
	if err != nil {
		return nil, err
	}
	inserted, err := postgresInserts(ctx, s.database)
	if err != nil {
		return nil, err
	}
	return append(rows, consumed, inserted), nil
}

// measure runs fn, which handles n messages (or rows), as the raw limit name: how many it handled
// a second, and the CPU time it took for each in this process (where the NATS server runs) and,
// when it writes to Postgres, in Postgres.
func measure(name string, n int, writesPostgres bool, fn func() error) (row, error) {
	pgCPU := func() time.Duration { return 0 }
	if writesPostgres {
		pgCPU = postgresCPUTime
	}
	start, cpu, pg := time.Now(), measured{}.cpuTime(), pgCPU()
	if err := fn(); err != nil {
		return row{}, err
	}
	took := time.Since(start)
	self, pgEach := (measured{}.cpuTime()-cpu)/time.Duration(n), (pgCPU()-pg)/time.Duration(n)
	r := row{name: name, perSec: float64(n) / took.Seconds(), cpu: self + pgEach}
	r.note = fmt.Sprintf("(CPU %s each)", micro(r.cpu))
	if writesPostgres {
		r.note = fmt.Sprintf("(CPU %s each: Postgres %s, this process %s)", micro(r.cpu), micro(pgEach), micro(self))
	}
	return r, nil
}

// micro is a CPU time in microseconds, to a tenth.
func micro(d time.Duration) string { return fmt.Sprintf("%.1f µs", float64(d.Nanoseconds())/1e3) }

// atomicLimit names the raw limit of publishing in atomic batches of size.
func atomicLimit(size int) string {
	return fmt.Sprintf("limit: JetStream publish, atomic batches of %d", size)
}

// Names of the limits the pipeline's rows are compared with.
const (
	consumeLimit = "limit: JetStream durable consume, explicit ack"
	drainCeiling = "limit: drain, Postgres and JetStream alone"
)

// withCeiling adds, before the burst, the most a drain could do on this machine if Signpost's own
// code cost nothing: the CPU Postgres spent on each item in the drain, plus JetStream's for one
// atomic publish (the classifier's routed events, in batches of a thousand) and two consumes
// (the classifier's and the notifier's), all from this run, shared out over the machine's cores.
// The burst is then compared with that ceiling. Its note says, too, what is left of it once the
// classifier's decision is paid for as well, at what a decision cost the classifier alone.
func withCeiling(rows []row) []row {
	find := func(name string) int {
		return slices.IndexFunc(rows, func(r row) bool { return r.name == name })
	}
	burst := slices.IndexFunc(rows, func(r row) bool { return strings.HasPrefix(r.name, burstName) })
	publish, consume := find(atomicLimit(bus.MaxAtomicBatch)), find(consumeLimit)
	if burst < 0 || publish < 0 || consume < 0 || rows[burst].postgres == 0 {
		return rows
	}
	pg, pub, con := rows[burst].postgres, rows[publish].cpu, rows[consume].cpu
	floor := pg + pub + 2*con
	perSec := func(each time.Duration) float64 {
		return float64(runtime.NumCPU()) * float64(time.Second) / float64(each)
	}
	ceiling := row{name: drainCeiling, perSec: perSec(floor),
		note: fmt.Sprintf("(CPU %s an item: Postgres %s as the drain below used it, one atomic publish %s, two consumes %s each; over %d cores",
			micro(floor), micro(pg), micro(pub), micro(con), runtime.NumCPU())}
	if c := find(classifierName); c >= 0 && rows[c].cpu > 0 {
		ceiling.note += fmt.Sprintf("; with the decision too, %s as (c) took it: %.0f/s", micro(rows[c].cpu), perSec(floor+rows[c].cpu))
	}
	ceiling.note += ")"
	rows[burst].limit = drainCeiling
	return slices.Insert(rows, burst, ceiling)
}

// consume reads n messages with a durable consumer, acknowledging each.
func consume(cons jetstream.Consumer, n int) error {
	for got := 0; got < n; {
		batch, err := cons.Fetch(500, jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			return err
		}
		for m := range batch.Messages() {
			if err := m.Ack(); err != nil {
				return err
			}
			got++
		}
		if batch.Error() != nil {
			return batch.Error()
		}
	}
	return nil
}

// atomicPublish stores limitMessages in atomic batches of size, one batch after another: one sync
// to disk per batch.
func atomicPublish(ctx context.Context, nc *nats.Conn, size int) error {
	msgs := make([]*nats.Msg, size) // sent again and again: CommitAtomically takes its headers off each time
	for i := range msgs {
		msgs[i] = &nats.Msg{Subject: fmt.Sprintf("limits.%d", i%10), Data: payload, Header: nats.Header{}}
	}
	for sent := 0; sent < limitMessages; sent += size {
		if err := bus.CommitAtomically(ctx, nc, msgs[:min(size, limitMessages-sent)]); err != nil {
			return err
		}
	}
	return nil
}

// postgresInserts inserts limitMessages rows, 100 a statement, into a table of its own.
func postgresInserts(ctx context.Context, dsn string) (row, error) {
	db, err := store.Open(ctx, dsn, 10*time.Second)
	if err != nil {
		return row{}, err
	}
	defer db.Close()
	conn, err := db.Connx(ctx) // a temp table lives on one connection
	if err != nil {
		return row{}, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS bench_rows (id bigint PRIMARY KEY, body text NOT NULL)`); err != nil {
		return row{}, err
	}
	return measure("limit: Postgres insert, 100 rows a statement", limitMessages, true, func() error {
		for i := 0; i < limitMessages; i += 100 {
			if err := insertBatch(ctx, conn, i); err != nil {
				return err
			}
		}
		return nil
	})
}

func insertBatch(ctx context.Context, conn *sqlx.Conn, from int) error {
	var q strings.Builder
	args := make([]any, 0, 200)
	q.WriteString(`INSERT INTO bench_rows (id, body) VALUES `)
	for j := 0; j < 100; j++ {
		if j > 0 {
			q.WriteString(",")
		}
		fmt.Fprintf(&q, "($%d, $%d)", 2*j+1, 2*j+2)
		args = append(args, from+j, string(payload))
	}
	_, err := conn.ExecContext(ctx, q.String(), args...)
	return err
}
