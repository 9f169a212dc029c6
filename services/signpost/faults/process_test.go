package faults

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/signpost/signpost/shared/bustest"
)

// process is one binary run as its own OS process, which the test can kill and start again.
// Everything it writes goes to a log file that survives restarts; a failed test shows its end.
type process struct {
	t      *testing.T
	name   string
	args   []string
	env    func() []string // read at every start, so a restart sees changed settings
	log    string
	cmd    *exec.Cmd
	exited chan struct{}
	err    error // how it exited, once exited is closed
}

func newProcess(t *testing.T, name string, env func() []string, args ...string) *process {
	t.Helper()
	p := &process{t: t, name: name, args: args, env: env, log: filepath.Join(t.TempDir(), name+".log")}
	t.Cleanup(func() {
		if p.running() {
			reportStop(t, p, p.stop(syscall.SIGINT, 30*time.Second))
		}
		if t.Failed() {
			t.Logf("last lines %s wrote:\n%s", name, tail(p.log, 30))
		}
	})
	return p
}

// start runs the binary; it fails the test if it cannot.
func (p *process) start() {
	p.t.Helper()
	if p.running() {
		p.t.Fatalf("%s is already running", p.name)
	}
	out, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		p.t.Fatal(err)
	}
	fmt.Fprintf(out, "--- start %s\n", time.Now().Format(time.RFC3339Nano))
	cmd := exec.Command(filepath.Join(binaries, p.name), p.args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = p.env(), out, out
	dieWithTest(cmd)
	if err := cmd.Start(); err != nil {
		out.Close()
		p.t.Fatalf("start %s: %v", p.name, err)
	}
	p.cmd, p.exited = cmd, make(chan struct{})
	go func() {
		p.err = cmd.Wait()
		out.Close()
		close(p.exited)
	}()
}

func (p *process) running() bool {
	if p.cmd == nil {
		return false
	}
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// stop sends sig and waits up to timeout for the process to exit; it returns how it exited
// (nil for status 0), or an error when it did not exit in time (it is then killed).
func (p *process) stop(sig syscall.Signal, timeout time.Duration) error {
	if !p.running() {
		return fmt.Errorf("%s is not running", p.name)
	}
	_ = p.cmd.Process.Signal(sig)
	return p.wait(timeout)
}

// wait waits up to timeout for the process to exit, as stop does.
func (p *process) wait(timeout time.Duration) error {
	select {
	case <-p.exited:
		return p.err
	case <-time.After(timeout):
		_ = p.cmd.Process.Kill()
		<-p.exited
		return fmt.Errorf("%s did not exit within %s (it was killed)", p.name, timeout)
	}
}

// kill ends the process with SIGKILL: no shutdown, no draining, whatever it was doing.
func (p *process) kill() {
	p.t.Helper()
	if err := p.stop(syscall.SIGKILL, 10*time.Second); err != nil && !killed(err) {
		p.t.Fatalf("kill %s: %v", p.name, err)
	}
}

// reportStop fails the test when a process had to be killed at the end, and notes a non-zero
// exit: after a connection to Postgres was cut, a clean shutdown still exits 1, because closing
// the dead connection fails (reported; shared/boot is not this package's to change).
func reportStop(t *testing.T, p *process, err error) {
	t.Helper()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		t.Logf("%s exited with %v on SIGINT: %s", p.name, err, tail(p.log, 1))
	default:
		t.Errorf("%s: %v", p.name, err)
	}
}

func killed(err error) bool {
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		return false
	}
	ws, ok := exit.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// service is a Signpost binary with an HTTP address.
type service struct {
	*process
	addr string
}

// URL is the service's base URL.
func (s *service) URL() string { return "http://" + s.addr }

// waitReady waits until /readyz answers 200 (the process is up and its dependencies answer),
// failing the test early if the process exits.
func (s *service) waitReady() {
	s.t.Helper()
	bustest.WaitFor(s.t, s.name+" to be ready", func() bool {
		if !s.running() {
			s.t.Fatalf("%s exited: %v\n%s", s.name, s.err, tail(s.log, 20))
		}
		resp, err := http.Get(s.URL() + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// restart starts the service again and waits until it is ready.
func (s *service) restart() {
	s.t.Helper()
	s.start()
	s.waitReady()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := bytes.Split(bytes.TrimRight(raw, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
