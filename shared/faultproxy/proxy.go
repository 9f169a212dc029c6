// Package faultproxy is a TCP proxy for tests that puts the faults of a real network between a
// client and a server: latency, every connection cut at once, new connections refused for a while,
// and connections reset part-way through a stream. Point the client at Addr instead of the
// server; the proxy forwards each connection to the target and does to it what it is told.
package faultproxy

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Proxy forwards TCP connections from its own address to a target address.
type Proxy struct {
	target string
	ln     net.Listener

	latency    atomic.Int64 // one-way delay added to every chunk, in nanoseconds
	resetAfter atomic.Int64 // bytes from the target a new connection may carry before it is reset; 0: no limit

	mu       sync.Mutex
	links    map[*link]struct{}
	refusing bool
	closed   bool
	stats    Stats
	wg       sync.WaitGroup
}

// Stats count what the proxy did.
type Stats struct {
	// Accepted is how many connections were forwarded to the target.
	Accepted int
	// Refused is how many connections were turned away while Refuse was on, or because the
	// target did not answer.
	Refused int
	// Reset is how many forwarded connections the proxy reset: by Cut, or by ResetAfter.
	Reset int
}

// Start listens on a free loopback port and forwards every connection to target (host:port).
func Start(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fault proxy to %s: %w", target, err)
	}
	p := &Proxy{target: target, ln: ln, links: map[*link]struct{}{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is where clients connect (host:port).
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// SetLatency delays every chunk of data by d in each direction (so a round trip takes 2d more),
// without limiting throughput; 0 removes the delay. It applies to data read from now on.
func (p *Proxy) SetLatency(d time.Duration) { p.latency.Store(int64(d)) }

// Cut resets every open connection at once, as a crashed server or a broken network would, and
// returns how many it reset. New connections are still accepted unless Refuse is on.
func (p *Proxy) Cut() int {
	p.mu.Lock()
	links := make([]*link, 0, len(p.links))
	for l := range p.links {
		links = append(links, l)
	}
	p.stats.Reset += len(links)
	p.mu.Unlock()
	for _, l := range links {
		l.abort()
	}
	return len(links)
}

// Refuse turns new connections away (each is reset as soon as it is accepted) while on is true.
// Connections already open are not touched: Cut them too for an outage.
func (p *Proxy) Refuse(on bool) {
	p.mu.Lock()
	p.refusing = on
	p.mu.Unlock()
}

// ResetAfter resets each connection once it has carried n more bytes from the target to the
// client (the first n bytes are forwarded, then both sides see the connection reset): a stream
// broken part-way. It applies to open connections, counting from now, and to new ones; 0 turns
// it off.
func (p *Proxy) ResetAfter(n int64) {
	p.resetAfter.Store(n)
	p.mu.Lock()
	defer p.mu.Unlock()
	for l := range p.links {
		l.forwarded.Store(0)
		l.limit.Store(n)
	}
}

// Heal removes every fault: no latency, new connections accepted, no resets.
func (p *Proxy) Heal() {
	p.SetLatency(0)
	p.ResetAfter(0)
	p.Refuse(false)
}

// Stats returns what the proxy has done so far.
func (p *Proxy) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

// Close stops listening, resets every open connection and waits until all are done.
func (p *Proxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	links := make([]*link, 0, len(p.links))
	for l := range p.links {
		links = append(links, l)
	}
	p.mu.Unlock()
	err := p.ln.Close()
	for _, l := range links {
		l.abort()
	}
	p.wg.Wait()
	return err
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		} else if err != nil { // out of file descriptors, say: wait and go on
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if !p.admit() {
			reset(c)
			continue
		}
		p.wg.Add(1)
		go p.serve(c)
	}
}

// admit says whether a new connection may be forwarded, counting it as refused when not.
func (p *Proxy) admit() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.refusing || p.closed {
		p.stats.Refused++
		return false
	}
	return true
}

func (p *Proxy) serve(client net.Conn) {
	defer p.wg.Done()
	target, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil { // the target is down: the client sees its connection reset
		p.mu.Lock()
		p.stats.Refused++
		p.mu.Unlock()
		reset(client)
		return
	}
	l := newLink(p, client, target)
	p.mu.Lock()
	if p.refusing || p.closed { // refused while dialling
		p.stats.Refused++
		p.mu.Unlock()
		l.abort()
		return
	}
	p.links[l] = struct{}{}
	p.stats.Accepted++
	p.mu.Unlock()

	l.run()

	p.mu.Lock()
	delete(p.links, l)
	p.mu.Unlock()
}

// countReset records a reset the proxy injected into one connection.
func (p *Proxy) countReset() {
	p.mu.Lock()
	p.stats.Reset++
	p.mu.Unlock()
}

// reset closes c so that its peer sees a reset (RST) rather than an orderly end.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}
