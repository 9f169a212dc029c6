package faults

import (
	"syscall"
	"testing"
	"time"
)

// Fault 5: SIGTERM to the classifier and the notifier with 1,000 items in flight; after a
// restart exactly 1,000 are processed.
func TestSIGTERMWithAThousandItemsInFlightProcessesExactlyAThousandAfterRestart(t *testing.T) {
	const items = 1000
	p := newPipeline(t, map[string]string{"BUS_ACK_WAIT": "3s"})
	p.ingest.start()
	p.ingest.waitReady()
	l := newLedger("sigterm")
	sendComplaints(p.ingest.URL(), l, 0, items, 8)
	acceptedAll(t, l, items)

	// All 1,000 wait in JetStream; the handlers start on them and are told to stop at once.
	p.notifier.restart()
	p.classifier.restart()
	p.waitCount("the classifier to be under way", decided, 1, 30*time.Second)
	for _, s := range []*service{p.classifier, p.notifier} {
		if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
	}
	decidedAtSignal, emailsAtSignal := p.count(decided), len(p.notify.Sent())
	for _, s := range []*service{p.classifier, p.notifier} {
		if err := s.wait(30 * time.Second); err != nil {
			t.Errorf("%s did not shut down cleanly on SIGTERM: %v", s.name, err)
		}
	}
	if decidedAtSignal >= items && emailsAtSignal >= items {
		t.Fatalf("everything was done before SIGTERM: nothing was in flight")
	}
	decidedAtExit, emailsAtExit := p.count(decided), len(p.notify.Sent())

	p.classifier.restart()
	p.notifier.restart()
	res := p.checkComplaints(l, false)
	if res.stored != items || res.emails != items {
		t.Errorf("after the restart: %s; want exactly %d stored and %d emails", res, items, items)
	}
	t.Logf("SIGTERM with %d decided and %d emails sent; %d and %d when both had exited; after the restart %s",
		decidedAtSignal, emailsAtSignal, decidedAtExit, emailsAtExit, res)
}
