package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"

	"github.com/signpost/signpost/shared/store"
)

// pipeline is the signpost binary running as its own process, as in production, on a fresh
// database and data directory; its embedded NATS server listens on a local port so that the soak
// can read the streams.
type pipeline struct {
	cmd        *exec.Cmd
	exited     chan error
	url        string
	metricsURL string
	natsURL    string
	debugURL   string // runtime profiles (DEBUG_ADDR)
	db         *sqlx.DB
	dbName     string
	server     string // the Postgres server's URL
	dir        string
	logs       *os.File
}

// underLoad is how the all-in-one is configured to be measured, in this process or its own: no
// rate limit in the way of the load, no deliveries polled for, and the bench's Facebook secret.
var underLoad = map[string]string{"FACEBOOK_APP_SECRET": benchSecret, "FORM_RATE_PER_MINUTE": "100000000",
	"FORM_RATE_BURST": "1000000", "REQUEST_RATE_PER_MINUTE": "100000000", "REQUEST_RATE_BURST": "1000000",
	"DELIVERY_POLL": "1h"}

// startPipeline starts binary (built from source when empty) on a fresh database on the Postgres
// server at database.
func startPipeline(ctx context.Context, database, binary string) (_ *pipeline, err error) {
	dir, err := os.MkdirTemp("", "signpost-pipeline")
	if err != nil {
		return nil, err
	}
	p := &pipeline{dir: dir, server: database, dbName: fmt.Sprintf("signpost_pipeline_%d", time.Now().UnixNano())}
	defer func() {
		if err != nil {
			p.stop()
		}
	}()
	if binary == "" {
		binary = filepath.Join(dir, "signpost")
		build := exec.CommandContext(ctx, "go", "build", "-o", binary, "github.com/signpost/signpost/services/signpost/cmd/signpost")
		if out, err := build.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("build the signpost binary: %w\n%s", err, out)
		}
	}
	dsn, err := store.WithDatabase(database, p.dbName)
	if err != nil {
		return nil, err
	}
	httpAddr, natsAddr, debugAddr, err := freeAddr(), freeAddr(), freeAddr(), nil
	if httpAddr == "" || natsAddr == "" || debugAddr == "" {
		return nil, errors.New("no free local port")
	}
	token := make([]byte, 24)
	_, _ = rand.Read(token)
	if p.logs, err = os.Create(filepath.Join(dir, "signpost.log")); err != nil {
		return nil, err
	}
	p.cmd = exec.Command(binary)
	p.cmd.Dir = dir
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	p.cmd.Env = append(os.Environ(), "DATABASE_URL="+dsn, "DATA_DIR="+filepath.Join(dir, "data"), "HTTP_ADDR="+httpAddr,
		"DEBUG_ADDR="+debugAddr, "EMBEDDED_NATS_LISTEN="+natsAddr, "LOG_LEVEL=warn", "LOG_FORMAT=json",
		"OPS_API_TOKEN="+hex.EncodeToString(token))
	for k, v := range underLoad {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", binary, err)
	}
	p.exited = make(chan error, 1)
	go func() { p.exited <- p.cmd.Wait() }()
	p.url, p.metricsURL, p.natsURL = "http://"+httpAddr, "http://"+httpAddr+"/metrics", "nats://"+natsAddr
	p.debugURL = "http://" + debugAddr
	if err := p.waitReady(ctx, 2*time.Minute); err != nil {
		return nil, err
	}
	if p.db, err = store.Open(ctx, dsn, 10*time.Second); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *pipeline) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if err := p.pause(ctx, 200*time.Millisecond, " at start"); err != nil {
			return err
		}
		if resp, err := http.Get(p.url + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return fmt.Errorf("the pipeline was not ready within %s; its log:\n%s", limit, p.logTail())
}

var errNotDrained = errors.New("not drained")

// waitDrained waits until want items have their actions, or limit passes.
func (p *pipeline) waitDrained(ctx context.Context, want int, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		var n int
		if err := p.db.GetContext(ctx, &n, `SELECT count(DISTINCT item_id) FROM inbox_entries`); err != nil {
			return err
		}
		if n >= want {
			return nil
		}
		if time.Now().After(deadline) {
			return errNotDrained
		}
		if err := p.pause(ctx, 500*time.Millisecond, ""); err != nil {
			return err
		}
	}
}

// pause waits d, unless the pipeline stops meanwhile (when, say " at start") or ctx ends: then it
// says why the wait cannot go on.
func (p *pipeline) pause(ctx context.Context, d time.Duration, when string) error {
	select {
	case err := <-p.exited:
		p.exited <- err
		return fmt.Errorf("the pipeline stopped%s (%v); its log:\n%s", when, err, p.logTail())
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// streamCounts counts the feedback.received and feedback.routed events in the feedback stream.
func (p *pipeline) streamCounts() (received, routed uint64, err error) {
	nc, err := nats.Connect(p.natsURL, nats.Name("soak"))
	if err != nil {
		return 0, 0, err
	}
	defer nc.Close()
	js, err := nc.JetStream()
	if err != nil {
		return 0, 0, err
	}
	info, err := js.StreamInfo("FEEDBACK", &nats.StreamInfoRequest{SubjectsFilter: "feedback.>"})
	if err != nil {
		return 0, 0, err
	}
	return info.State.Subjects["feedback.received"], info.State.Subjects["feedback.routed"], nil
}

// stop ends the process as an operator would (SIGINT), drops its database and its files.
func (p *pipeline) stop() {
	if p.db != nil {
		p.db.Close()
	}
	if p.cmd != nil && p.cmd.Process != nil && p.exited != nil {
		_ = p.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-p.exited:
		case <-time.After(60 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	}
	if p.logs != nil {
		p.logs.Close()
	}
	_ = store.DropDatabase(context.Background(), p.server, p.dbName)
	_ = os.RemoveAll(p.dir)
}

// logSummary counts the pipeline's log lines by level and message (LOG_LEVEL=warn: warnings and
// errors only, never patient text), most frequent first.
func (p *pipeline) logSummary() []string {
	raw, _ := os.ReadFile(p.logs.Name())
	counts := map[string]int{}
	for _, line := range bytes.Split(raw, []byte("\n")) {
		var l struct{ Level, Message string }
		if json.Unmarshal(line, &l) == nil && l.Level != "" {
			counts[l.Level+": "+l.Message]++
		}
	}
	out := make([]string, 0, len(counts))
	for m, n := range counts {
		out = append(out, fmt.Sprintf("%6d  %s", n, m))
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// logTail is the end of the pipeline's log, to show why it failed.
func (p *pipeline) logTail() string {
	raw, _ := os.ReadFile(p.logs.Name())
	if len(raw) > 4000 {
		raw = raw[len(raw)-4000:]
	}
	return string(bytes.TrimSpace(raw))
}

func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return ""
	}
	defer ln.Close()
	return ln.Addr().String()
}
