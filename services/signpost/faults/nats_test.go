package faults

import (
	"testing"
	"time"
)

// Fault 2: the NATS server is killed with SIGKILL while items flow, and started again on the
// same store.
func TestNATSKilledAndRestartedOnItsStoreLosesNothingAcknowledged(t *testing.T) {
	p := newPipeline(t, nil)
	p.start()
	l := newLedger("nats")
	stop := keepSending(p.ingest.URL(), l, 0, 4, time.Millisecond)
	defer stop()

	at := p.waitCount("items to be flowing", decided, 100, 30*time.Second)
	p.nats.kill()
	acceptedBefore := len(l.acceptedIDs())
	time.Sleep(time.Second) // intake keeps being asked while NATS is gone
	p.nats.start()
	p.waitCount("items to flow again", decided, at+100, 30*time.Second)
	stop()

	res := p.checkComplaints(l, false)
	t.Logf("NATS killed at %d decided and %d acknowledged; answers by status %v; %s", at, acceptedBefore, l.summary(), res)
}
