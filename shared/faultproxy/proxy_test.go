package faultproxy

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// echoServer answers every line with the same line, until the client closes.
func echoServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = io.Copy(c, c)
			}()
		}
	}()
	return ln.Addr().String()
}

func startProxy(t *testing.T) *Proxy {
	t.Helper()
	p, err := Start(echoServer(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func dial(t *testing.T, p *Proxy) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// roundTrip sends a line and reads the answer, with a deadline so a broken proxy fails the test
// instead of hanging it.
func roundTrip(c net.Conn, line string) (string, error) {
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, line+"\n"); err != nil {
		return "", err
	}
	got, err := bufio.NewReader(c).ReadString('\n')
	return strings.TrimSuffix(got, "\n"), err
}

// freshRoundTrip is roundTrip over a new connection; a refused connection may fail at the dial
// already, when the reset comes before connect returns.
func freshRoundTrip(p *Proxy, line string) (string, error) {
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		return "", err
	}
	defer c.Close()
	return roundTrip(c, line)
}

func TestForwardsBothWaysAndPassesAnOrderlyEndOn(t *testing.T) {
	p := startProxy(t)
	c := dial(t, p)
	for _, line := range []string{"hello", strings.Repeat("x", 100_000)} {
		if got, err := roundTrip(c, line); err != nil || got != line {
			t.Fatalf("echo of %d bytes: got %d bytes, %v", len(line), len(got), err)
		}
	}
	_ = c.(*net.TCPConn).CloseWrite() // the echo server sees the end and closes: so must we
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Errorf("after a half-close the client read %v, want EOF", err)
	}
	if s := p.Stats(); s.Accepted != 1 || s.Reset != 0 || s.Refused != 0 {
		t.Errorf("stats %+v", s)
	}
}

func TestLatencyHoldsDataBack(t *testing.T) {
	p := startProxy(t)
	c := dial(t, p)
	p.SetLatency(400 * time.Millisecond)
	if _, err := io.WriteString(c, "late\n"); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if n, err := c.Read(make([]byte, 16)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read %d bytes (%v) before the injected latency had passed", n, err)
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	got, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || got != "late\n" {
		t.Fatalf("after the latency: %q, %v", got, err)
	}
	p.SetLatency(0)
	if got, err := roundTrip(c, "prompt"); err != nil || got != "prompt" {
		t.Fatalf("without latency: %q, %v", got, err)
	}
}

func TestCutResetsEveryOpenConnectionAndNewOnesStillWork(t *testing.T) {
	p := startProxy(t)
	a, b := dial(t, p), dial(t, p)
	for _, c := range []net.Conn{a, b} {
		if _, err := roundTrip(c, "up"); err != nil {
			t.Fatal(err)
		}
	}
	if n := p.Cut(); n != 2 {
		t.Fatalf("cut %d connections, want 2", n)
	}
	for _, c := range []net.Conn{a, b} {
		if _, err := roundTrip(c, "after the cut"); err == nil {
			t.Error("a cut connection still carried data")
		}
	}
	if got, err := roundTrip(dial(t, p), "new"); err != nil || got != "new" {
		t.Fatalf("a new connection after the cut: %q, %v", got, err)
	}
	if s := p.Stats(); s.Reset != 2 || s.Accepted != 3 {
		t.Errorf("stats %+v", s)
	}
}

func TestRefuseTurnsNewConnectionsAwayUntilLifted(t *testing.T) {
	p := startProxy(t)
	open := dial(t, p)
	if _, err := roundTrip(open, "before"); err != nil {
		t.Fatal(err)
	}
	p.Refuse(true)
	if _, err := freshRoundTrip(p, "refused"); err == nil {
		t.Fatal("a new connection was forwarded while refusing")
	}
	if got, err := roundTrip(open, "still open"); err != nil || got != "still open" {
		t.Fatalf("refusing new connections broke an open one: %q, %v", got, err)
	}
	p.Refuse(false)
	if got, err := roundTrip(dial(t, p), "again"); err != nil || got != "again" {
		t.Fatalf("after refusing: %q, %v", got, err)
	}
	if s := p.Stats(); s.Refused != 1 {
		t.Errorf("stats %+v, want one refused", s)
	}
}

func TestResetAfterBreaksAStreamPartWay(t *testing.T) {
	p := startProxy(t)
	c := dial(t, p)
	if _, err := roundTrip(c, "before the limit"); err != nil {
		t.Fatal(err)
	}
	p.ResetAfter(5)
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, "0123456789\n"); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c)
	if err == nil || string(got) != "01234" {
		t.Fatalf("read %q then %v, want the first 5 bytes and then a reset", got, err)
	}
	fresh := dial(t, p) // new connections get the same budget
	_ = fresh.SetDeadline(time.Now().Add(10 * time.Second))
	_, _ = io.WriteString(fresh, "abcdefgh\n")
	if got, err := io.ReadAll(fresh); err == nil || string(got) != "abcde" {
		t.Fatalf("a new connection read %q then %v", got, err)
	}
	p.Heal()
	if got, err := roundTrip(dial(t, p), "healed and long enough"); err != nil || got != "healed and long enough" {
		t.Fatalf("after Heal: %q, %v", got, err)
	}
	if s := p.Stats(); s.Reset != 2 {
		t.Errorf("stats %+v, want two resets", s)
	}
}

func TestATargetThatIsDownLooksLikeAResetConnection(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p, err := Start(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := freshRoundTrip(p, "anyone?"); err == nil {
		t.Fatal("a connection to a target that is down carried data")
	}
	if s := p.Stats(); s.Refused != 1 || s.Accepted != 0 {
		t.Errorf("stats %+v", s)
	}
}

func TestCloseEndsEverything(t *testing.T) {
	p := startProxy(t)
	c := dial(t, p)
	if _, err := roundTrip(c, "up"); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := roundTrip(c, "after close"); err == nil {
		t.Error("an open connection survived Close")
	}
	if _, err := net.DialTimeout("tcp", p.Addr(), time.Second); err == nil {
		t.Error("the proxy still accepts after Close")
	}
}
