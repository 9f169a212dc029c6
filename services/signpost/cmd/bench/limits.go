package main

import (
	"context"
	"fmt"
	"os"
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
// per committed statement.
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

	start := time.Now()
	for i := range limitMessages {
		if _, err := js.PublishAsync(fmt.Sprintf("limits.%d", i%10), payload); err != nil {
			return nil, err
		}
	}
	select {
	case <-js.PublishAsyncComplete():
	case <-time.After(time.Minute):
		return nil, fmt.Errorf("publish acknowledgements did not arrive")
	}
	rows := []row{{name: "limit: JetStream publish (fsync)", perSec: float64(limitMessages) / time.Since(start).Seconds()}}

	batchSizes := []int{16, 256}
	for _, size := range batchSizes {
		rate, err := atomicPublish(ctx, nc, size)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row{name: fmt.Sprintf("limit: JetStream publish, atomic batches of %d", size), perSec: rate})
	}
	stored := limitMessages * (1 + len(batchSizes)) // the consumer reads everything published above

	cons, err := stream.CreateConsumer(ctx, jetstream.ConsumerConfig{Durable: "limits", AckPolicy: jetstream.AckExplicitPolicy})
	if err != nil {
		return nil, err
	}
	start = time.Now()
	for got := 0; got < stored; {
		batch, err := cons.Fetch(500, jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			return nil, err
		}
		for m := range batch.Messages() {
			if err := m.Ack(); err != nil {
				return nil, err
			}
			got++
		}
		if batch.Error() != nil {
			return nil, batch.Error()
		}
	}
	rows = append(rows, row{name: "limit: JetStream durable consume, explicit ack", perSec: float64(stored) / time.Since(start).Seconds()})

	insert, err := postgresInserts(ctx, s.database)
	if err != nil {
		return nil, err
	}
	return append(rows, row{name: "limit: Postgres insert, 100 rows a statement", perSec: insert}), nil
}

// atomicPublish stores limitMessages in atomic batches of size, one batch after another: one sync
// to disk per batch.
func atomicPublish(ctx context.Context, nc *nats.Conn, size int) (float64, error) {
	msgs := make([]*nats.Msg, size) // sent again and again: CommitAtomically takes its headers off each time
	for i := range msgs {
		msgs[i] = &nats.Msg{Subject: fmt.Sprintf("limits.%d", i%10), Data: payload, Header: nats.Header{}}
	}
	start := time.Now()
	for sent := 0; sent < limitMessages; sent += size {
		if err := bus.CommitAtomically(ctx, nc, msgs[:min(size, limitMessages-sent)]); err != nil {
			return 0, err
		}
	}
	return float64(limitMessages) / time.Since(start).Seconds(), nil
}

func postgresInserts(ctx context.Context, dsn string) (float64, error) {
	db, err := store.Open(ctx, dsn, 10*time.Second)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	conn, err := db.Connx(ctx) // a temp table lives on one connection
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS bench_rows (id bigint PRIMARY KEY, body text NOT NULL)`); err != nil {
		return 0, err
	}
	start := time.Now()
	for i := 0; i < limitMessages; i += 100 {
		if err := insertBatch(ctx, conn, i); err != nil {
			return 0, err
		}
	}
	return float64(limitMessages) / time.Since(start).Seconds(), nil
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
