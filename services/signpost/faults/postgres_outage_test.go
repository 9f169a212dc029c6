package faults

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/shared/store"
)

// Fault 3: Postgres stops (pg_ctl stop -m immediate, as a crash) during intake. While it is down
// intake answers 503 with a reason and never 2xx; within 30 s of its return intake accepts again
// by itself, and everything acknowledged before, during and after is processed once.
func TestPostgresCrashDuringIntakeIsAnswered503UntilItIsBack(t *testing.T) {
	pg := ownPostgres(t)
	name := "faults_outage_" + strings.ReplaceAll(time.Now().Format("150405.000000"), ".", "")
	dsn := pg.URL(name)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := store.Open(ctx, dsn, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := store.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	p := newPipelineOn(t, db, dsn, map[string]string{"DATABASE_WAIT": "60s"})
	p.start()

	l := newLedger("pgdown")
	// Patients keep submitting, a little apart, before, during and after the outage.
	stop := keepSending(p.ingest.URL(), l, 0, 4, 5*time.Millisecond)
	defer stop()
	p.waitCount("items to be flowing", decided, 50, 30*time.Second)

	if err := pg.crash(); err != nil {
		t.Fatal(err)
	}
	down := time.Now()
	time.Sleep(2 * time.Second)
	up := time.Now()
	if err := pg.start(); err != nil {
		t.Fatal(err)
	}
	back := time.Now()

	// Intake recovers by itself: the first acknowledgement after the restart, within 30 s.
	var recovered time.Time
	deadline := back.Add(30 * time.Second)
	for recovered.IsZero() && time.Now().Before(deadline) {
		for _, o := range l.outcomesSince(back) {
			if o.accepted() {
				recovered = o.finish
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // and keeps accepting
	stop()
	if recovered.IsZero() {
		t.Fatalf("intake accepted nothing within 30 s of Postgres coming back (answers by status: %v)", l.summary())
	}

	var during, refused int
	var acknowledged, other []outcome
	for _, o := range l.outcomesWithin(down, up) {
		during++
		switch {
		case o.accepted():
			acknowledged = append(acknowledged, o)
		case o.status != 503 || o.contentType != "application/problem+json" || o.detail == "":
			other = append(other, o)
		default:
			refused++
		}
	}
	if during == 0 {
		t.Fatal("no request was made while Postgres was down: the test proved nothing")
	}
	if len(acknowledged) > 0 {
		t.Errorf("intake acknowledged %d of %d requests made while Postgres was down (the first %s after the crash: item %s)",
			len(acknowledged), during, acknowledged[0].start.Sub(down).Round(time.Millisecond), acknowledged[0].itemID)
	}
	for _, o := range other[:min(len(other), 3)] {
		t.Errorf("while Postgres was down intake answered %d %q %q (%v), want 503 with a problem saying why",
			o.status, o.contentType, o.detail, o.err)
	}
	res := p.checkComplaints(l, false)
	noteStuckEmails(t, res)
	t.Logf("down %s: %d requests, %d refused with 503; intake accepted again %s after Postgres was back; %s; answers by status %v",
		up.Sub(down).Round(time.Millisecond), during, refused, recovered.Sub(back).Round(time.Millisecond), res, l.summary())
}
