package faultproxy

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// link is one proxied connection: the client's side and the target's.
type link struct {
	p              *Proxy
	client, target net.Conn

	limit     atomic.Int64 // bytes from the target allowed before a reset; 0: no limit
	forwarded atomic.Int64 // bytes from the target forwarded since limit was set

	done     chan struct{}
	stopOnce sync.Once
}

// chunk is data read from one side, to be written to the other once it is due.
type chunk struct {
	data []byte
	due  time.Time
}

func newLink(p *Proxy, client, target net.Conn) *link {
	l := &link{p: p, client: client, target: target, done: make(chan struct{})}
	l.limit.Store(p.resetAfter.Load())
	return l
}

// run forwards both ways until both sides are finished or the link is aborted.
func (l *link) run() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); l.pump(l.client, l.target, false) }()
	go func() { defer wg.Done(); l.pump(l.target, l.client, true) }()
	wg.Wait()
	l.stopOnce.Do(func() {
		close(l.done)
		_ = l.client.Close()
		_ = l.target.Close()
	})
}

// abort resets both sides at once.
func (l *link) abort() {
	l.stopOnce.Do(func() {
		close(l.done)
		reset(l.client)
		reset(l.target)
	})
}

func (l *link) aborted() bool {
	select {
	case <-l.done:
		return true
	default:
		return false
	}
}

// pump copies src to dst, each chunk delayed by the proxy's latency at the time it was read. An
// orderly end of src is passed on as a half-close of dst; an error on either side aborts the link.
func (l *link) pump(src, dst net.Conn, fromTarget bool) {
	chunks := make(chan chunk, 64)
	go l.read(src, chunks)
	for c := range chunks {
		if l.aborted() {
			continue // drain until the reader sees its connection closed
		}
		if wait := time.Until(c.due); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-l.done:
				t.Stop()
				continue
			}
		}
		data, resetNow := c.data, false
		if fromTarget {
			data, resetNow = l.budget(data)
		}
		if len(data) > 0 {
			if _, err := dst.Write(data); err != nil {
				l.abort()
				continue
			}
		}
		if resetNow {
			l.p.countReset()
			l.abort()
		}
	}
	if !l.aborted() {
		if tc, ok := dst.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
	}
}

// budget trims data from the target to what may still be forwarded before the connection is
// reset, and says whether to reset it after writing that.
func (l *link) budget(data []byte) ([]byte, bool) {
	limit := l.limit.Load()
	if limit <= 0 {
		return data, false
	}
	sent := l.forwarded.Add(int64(len(data))) - int64(len(data))
	room := max(limit-sent, 0)
	if room > int64(len(data)) {
		return data, false
	}
	return data[:room], true
}

// read sends what src delivers, stamped with when it is due, until src ends or fails.
func (l *link) read(src net.Conn, chunks chan<- chunk) {
	defer close(chunks)
	for {
		buf := make([]byte, 32<<10)
		n, err := src.Read(buf)
		if n > 0 {
			c := chunk{data: buf[:n], due: time.Now().Add(time.Duration(l.p.latency.Load()))}
			select {
			case chunks <- c:
			case <-l.done:
				return
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				l.abort() // a reset or a failure on one side reaches the other
			}
			return
		}
	}
}
