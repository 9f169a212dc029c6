package faults

import (
	"strings"
	"testing"
	"time"

	"github.com/signpost/signpost/shared/faultproxy"
)

// proxyTo starts a fault proxy in front of addr for the length of the test.
func proxyTo(t *testing.T, addr string) *faultproxy.Proxy {
	t.Helper()
	px, err := faultproxy.Start(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { px.Close() })
	return px
}

// hostPort is the host:port of a postgres:// or nats:// URL.
func hostPort(url string) string {
	rest := url[strings.Index(url, "://")+3:]
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		rest = rest[at+1:]
	}
	if slash := strings.IndexAny(rest, "/?"); slash >= 0 {
		rest = rest[:slash]
	}
	return rest
}

// viaProxy is a database or NATS URL with its host:port replaced by the proxy's.
func viaProxy(url string, px *faultproxy.Proxy) string {
	return strings.Replace(url, hostPort(url), px.Addr(), 1)
}

// Fault 4: latency and connection resets between every service and NATS, and between every
// service and Postgres, while items flow.
func TestLatencyAndConnectionResetsToNATSAndPostgresLoseNothingAndRepeatNothing(t *testing.T) {
	p := newPipeline(t, nil)
	natsProxy := proxyTo(t, p.nats.addr)
	pgProxy := proxyTo(t, hostPort(p.env["DATABASE_URL"]))
	p.env["NATS_URL"] = viaProxy(p.env["NATS_URL"], natsProxy)
	p.env["DATABASE_URL"] = viaProxy(p.env["DATABASE_URL"], pgProxy)
	p.start()

	l := newLedger("network")
	natsProxy.SetLatency(5 * time.Millisecond)
	pgProxy.SetLatency(2 * time.Millisecond)
	stop := keepSending(p.ingest.URL(), l, 0, 8, time.Millisecond)
	defer stop()
	p.waitCount("items to be flowing", decided, 20, 30*time.Second)

	// Rounds of trouble while the items flow: every connection cut, streams broken part-way,
	// more latency.
	for _, fault := range []func(){
		func() { natsProxy.Cut() },
		func() { pgProxy.Cut() },
		func() { pgProxy.ResetAfter(16 << 10) },
		func() { pgProxy.ResetAfter(0); natsProxy.SetLatency(40 * time.Millisecond) },
		func() { natsProxy.ResetAfter(8 << 10) },
		func() { natsProxy.ResetAfter(0); natsProxy.Cut(); pgProxy.Cut() },
	} {
		time.Sleep(400 * time.Millisecond)
		fault()
	}
	time.Sleep(400 * time.Millisecond)
	natsProxy.Heal()
	pgProxy.Heal()
	time.Sleep(300 * time.Millisecond) // and a little more flow on a healed network
	stop()

	res := p.checkComplaints(l, false)
	noteStuckEmails(t, res)
	ns, ps := natsProxy.Stats(), pgProxy.Stats()
	if ns.Reset == 0 || ps.Reset == 0 {
		t.Errorf("no connection was reset (NATS %+v, Postgres %+v): the test proved nothing", ns, ps)
	}
	t.Logf("NATS proxy %+v, Postgres proxy %+v; answers by status %v; %s", ns, ps, l.summary(), res)
}
